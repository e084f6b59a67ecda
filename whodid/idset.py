"""Compact sets of article ids for a run's bookkeeping: a run over millions of articles must not
hold a dict of every id it read (about 95 bytes an id) to find duplicates or work already done.

- ``IdSet``: strings kept as 64-bit BLAKE2b keys in a sorted numpy array (8 bytes a member, in
  an array that doubles when full) and a Python set of the latest ones, merged into the array
  when it grows past an eighth of it (so the merges cost O(n log n) in all). Two different
  strings share a key with a chance of about n^2 / 2^65 (3e-8 at a million ids): a risk taken as 0.
- ``SeenIds``: the ids read so far in a run, with the source of the latest ``RECENT_SOURCES``
  of them, to name where a duplicate was first read.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

MIN_RECENT = 65_536
RECENT_SOURCES = 10_000


def id_key(*parts: str) -> int:
    """Return the 64-bit key of ``parts`` (joined by a unit separator)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class IdSet:
    """A set of strings (or tuples of strings) held as 64-bit keys, about 8 bytes a member."""

    def __init__(self) -> None:
        # Sorted keys in the first ``_size`` cells of an array that doubles when full: merges
        # sort in place, so the heap is not cut up by an array of a new size at each merge.
        self._keys = np.empty(MIN_RECENT, dtype=np.uint64)
        self._size = 0
        self._recent: set[int] = set()

    def __len__(self) -> int:
        return self._size + len(self._recent)

    def __contains__(self, parts: object) -> bool:
        return self._has(id_key(*parts) if isinstance(parts, tuple) else id_key(str(parts)))

    def _has(self, key: int) -> bool:
        if key in self._recent:
            return True
        keys = self._keys[:self._size]
        at = int(np.searchsorted(keys, np.uint64(key)))
        return at < self._size and int(keys[at]) == key

    def add(self, *parts: str) -> None:
        """Add the string (or tuple of strings) ``parts``."""
        key = id_key(*parts)
        if self._has(key):
            return
        self._recent.add(key)
        if len(self._recent) >= max(MIN_RECENT, self._size // 8):
            self._merge()

    def _merge(self) -> None:
        """Move the recent keys into the sorted array."""
        size = self._size + len(self._recent)
        if size > len(self._keys):
            grown = np.empty(max(size, 2 * len(self._keys)), dtype=np.uint64)
            grown[:self._size] = self._keys[:self._size]
            self._keys = grown
        self._keys[self._size:size] = sorted(self._recent)
        self._keys[:size].sort(kind="stable")  # two sorted runs: a merge
        self._size = size
        self._recent = set()


class SeenIds:
    """The article ids read so far in a run: ``first_read`` says whether (and where) an id was
    read before; ``add`` records one."""

    def __init__(self) -> None:
        self._ids = IdSet()
        self._sources: OrderedDict[str, str] = OrderedDict()

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def source(self, article_id: str) -> str | None:
        """Return where ``article_id`` was first read when it is among the latest ids read."""
        return self._sources.get(article_id)

    def add(self, article_id: str, source: str) -> None:
        self._ids.add(article_id)
        self._sources[article_id] = source
        if len(self._sources) > RECENT_SOURCES:
            self._sources.popitem(last=False)
