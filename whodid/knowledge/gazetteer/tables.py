"""Compact tables of the gazetteer index: what the disk cache holds and a process loads.

A pickled list of 190,000 row tuples and a dict of 525,000 names cost a process most of a
second to load: every string, tuple and int is an object to make. These tables keep the same
data in a few large objects instead (``array`` columns, strings joined into one), which load
as fast as the bytes can be read, and answer the index's questions by position and by binary
search:

- ``PlaceTable``: the places column by column (GeoNames id, name, folded name, country,
  first-level area, latitude, longitude, population, feature, capital); ``row(i)`` is the
  ``EntryRow`` of place ``i``;
- ``NameTable``: folded names, sorted, each with the positions of its places (most populous
  first); ``get(name)`` finds them by bisection;
- ``IdTable``: GeoNames ids, sorted, with the position of each id's own place.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EntryRow = tuple[int | None, str, str, str | None, float, float, int, str, bool]


def _joined(texts: Iterable[str]) -> tuple[str, array[int]]:
    """Return the texts joined into one string, and the offset of each (and of the end)."""
    starts = array("I", [0])
    parts = []
    for text in texts:
        parts.append(text)
        starts.append(starts[-1] + len(text))
    return "".join(parts), starts


@dataclass(frozen=True)
class _Joined:
    """Strings joined into one, read back by number."""

    text: str
    starts: array[int]

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> str:
        return self.text[self.starts[i]:self.starts[i + 1]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Joined:
        return cls(*_joined(texts))


@dataclass(frozen=True)
class PlaceTable:
    """The places, column by column (module docstring)."""

    geonameid: array[int]  # 0: none (our own additions)
    name: _Joined
    key: _Joined  # the folded own name
    country: list[str]
    admin1: list[str | None]
    lat: array[float]
    lon: array[float]
    population: array[int]
    feature: list[str]
    capital: bytes

    @classmethod
    def of(cls, rows: Sequence[EntryRow], keys: Iterable[str]) -> PlaceTable:
        """Return the table of ``rows`` (``keys``: their folded own names). Repeated short
        strings (countries, areas, features) are interned, so the pickle stores each once."""
        def interned(value: str | None) -> str | None:
            return None if value is None else sys.intern(value)

        return cls(geonameid=array("q", (r[0] or 0 for r in rows)),
                   name=_Joined.of(r[1] for r in rows), key=_Joined.of(keys),
                   country=[sys.intern(r[2]) for r in rows],
                   admin1=[interned(r[3]) for r in rows],
                   lat=array("d", (r[4] for r in rows)), lon=array("d", (r[5] for r in rows)),
                   population=array("q", (r[6] for r in rows)),
                   feature=[sys.intern(r[7]) for r in rows],
                   capital=bytes(1 if r[8] else 0 for r in rows))

    def __len__(self) -> int:
        return len(self.geonameid)

    def row(self, i: int) -> EntryRow:
        """Return the row of place ``i``."""
        return (self.geonameid[i] or None, self.name[i], self.country[i], self.admin1[i],
                self.lat[i], self.lon[i], self.population[i], self.feature[i],
                bool(self.capital[i]))


@dataclass(frozen=True)
class NameTable:
    """Folded names, sorted, and the positions of each name's places (module docstring)."""

    names: _Joined
    starts: array[int]  # the positions of name i are positions[starts[i]:starts[i + 1]]
    positions: array[int]

    @classmethod
    def of(cls, names: dict[str, tuple[int, ...]]) -> NameTable:
        """Return the table of a name -> positions mapping."""
        ordered = sorted(names)
        starts = array("I", [0])
        positions = array("I")
        for name in ordered:
            positions.extend(names[name])
            starts.append(len(positions))
        return cls(_Joined.of(ordered), starts, positions)

    def __len__(self) -> int:
        return len(self.names)

    def get(self, name: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        """Return the positions of a folded name's places, or ``default``."""
        i = bisect_left(self.names, name)
        if i == len(self.names) or self.names[i] != name:
            return default
        return tuple(self.positions[self.starts[i]:self.starts[i + 1]])


@dataclass(frozen=True)
class IdTable:
    """GeoNames ids, sorted, and the position of each id's place."""

    ids: array[int]
    positions: array[int]

    @classmethod
    def of(cls, ids: dict[int, int]) -> IdTable:
        """Return the table of an id -> position mapping."""
        ordered = sorted(ids)
        return cls(array("q", ordered), array("I", (ids[i] for i in ordered)))

    def get(self, geonameid: int) -> int | None:
        """Return the position of an id's place, or None."""
        i = bisect_left(self.ids, geonameid)
        return self.positions[i] if i < len(self.ids) and self.ids[i] == geonameid else None
