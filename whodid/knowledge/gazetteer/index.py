"""The gazetteer index: every place whodid knows, by folded name and by GeoNames id.

The index holds the places of one population floor (``MIN_CITY_POPULATION``); the callers that
want fewer of them say so with a population threshold on the lookup (``place_names``,
``place_countries``) instead of loading other data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from whodid.knowledge.gazetteer.tables import IdTable, NameTable, PlaceTable

# The one floor: cities of at least this many people are in the index (README, "Places": the
# villages and small towns of conflict reporting are worth the memory).
MIN_CITY_POPULATION = 1000
FOUND_CACHE_SIZE = 50_000  # names whose entries the index keeps at hand
CITY, ADMIN1, ADMIN2, COUNTRY, CONTINENT, REGION, LOCALITY = (
    "city", "admin1", "admin2", "country", "continent", "region", "locality")


@lru_cache(maxsize=1 << 16)
def ascii_fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics or apostrophes ("‘Afrīn" -> "afrin").

    Cached: the places stage folds the same names (its candidates', its toponyms') again and
    again. Plain ASCII has nothing to decompose."""
    if text.isascii():
        return text.replace("'", "").lower().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("‘", "").replace("’", "").replace("'", "").lower().strip()


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A place: GeoNames id (None for our own additions), name, ISO3 country, first-level area,
    coordinates, population, feature (city | admin1 | admin2 | country | continent | region |
    locality)
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


@dataclass
class GazetteerIndex:
    """The places as compact columns (fast to load: ``tables.py``), their positions by folded
    name (most populous first) and by GeoNames id; the countries of our alias table's names, of
    the national capitals and of the ISO 3166-2 subdivisions (folded name -> ISO3), and the
    city floor the index was built with."""

    rows: PlaceTable
    names: NameTable
    ids: IdTable
    alias_countries: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    subdivisions: dict[str, str] = field(default_factory=dict)
    min_population: int = MIN_CITY_POPULATION
    # the entries of the names looked up (the places stage asks for the same names again and
    # again); neither pickled nor compared
    _found: dict[str, tuple[GazetteerEntry, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_found"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._found = {}

    def lookup(self, key: str) -> list[GazetteerEntry]:
        """Return the entries of an already folded name, most populous first."""
        found = self._found.get(key)
        if found is None:
            if len(self._found) > FOUND_CACHE_SIZE:  # bound the memory of a long run
                self._found.clear()
            found = self._found[key] = tuple(GazetteerEntry(*self.rows.row(i))
                                             for i in self.names.get(key, ()))
        return list(found)

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Return the entries a place name may mean, most populous first."""
        return self.lookup(ascii_fold(name))

    def by_id(self, geonameid: int) -> GazetteerEntry | None:
        """Return the entry of a GeoNames id, if the index has it."""
        position = self.ids.get(geonameid)
        return None if position is None else GazetteerEntry(*self.rows.row(position))

    @property
    def size(self) -> int:
        """The number of places."""
        return len(self.rows)

    def city_names(self, min_population: int) -> dict[str, tuple[int, str]]:
        """Return the folded own name (not an alternate name) of every city of at least
        ``min_population`` people -> (population, ISO3) of the most populous city of that name.

        Raises ValueError for a threshold under the floor the index was built with.
        """
        if min_population < self.min_population:
            raise ValueError(f"the gazetteer holds cities of {self.min_population} people or "
                             f"more; {min_population} asks for places it does not have")
        best: dict[str, tuple[int, str]] = {}
        table = self.rows
        for i, (population, feature) in enumerate(zip(table.population, table.feature,
                                                      strict=True)):
            if feature != CITY or population < min_population:
                continue
            key = table.key[i]
            if key not in best or population > best[key][0]:
                best[key] = (population, table.country[i])
        return best

    def place_names(self, min_population: int) -> frozenset[str]:
        """Return the folded names of the cities of at least ``min_population`` people, of the
        national capitals (whatever their size: "Belmopan") and of our alias table: the names a
        word must have to be taken for a place, not a person."""
        return (frozenset(self.city_names(min_population)) | frozenset(self.capitals)
                | frozenset(self.alias_countries))

    def place_countries(self, min_population: int) -> dict[str, str]:
        """Return folded place name -> ISO 3166 alpha-3 code of its country.

        Names are the cities of at least ``min_population`` people (a name several cities share
        goes to the most populous: "Tripoli" -> Libya), the national capitals of any size, the
        ISO 3166-2 subdivisions ("Kunar", "West Darfur") and the names of our alias table, which
        win.
        """
        countries = {key: code for key, (_, code) in self.city_names(min_population).items()}
        for names in (self.capitals, self.subdivisions):
            for key, code in names.items():
                countries.setdefault(key, code)
        countries.update(self.alias_countries)
        return countries
