"""Compact id sets: a run remembers millions of ids at about 8 bytes each, exactly as a set."""

from __future__ import annotations

from whodid.idset import MIN_RECENT, RECENT_SOURCES, IdSet, SeenIds


def test_an_id_set_answers_like_a_set_across_merges() -> None:
    ids = IdSet()
    count = 3 * MIN_RECENT + 17  # several merges into the sorted array and a growth of it
    for i in range(count):
        ids.add(f"article-{i}")
    ids.add("article-5")  # again: no second member
    assert len(ids) == count
    assert all(f"article-{i}" in ids for i in range(0, count, 997))
    assert "article-0" in ids and f"article-{count - 1}" in ids
    assert f"article-{count}" not in ids and "" not in ids


def test_an_id_set_holds_pairs_apart_from_their_parts() -> None:
    pairs = IdSet()
    pairs.add("doc-1", "hash-a")
    assert ("doc-1", "hash-a") in pairs
    assert ("doc-1", "hash-b") not in pairs
    assert "doc-1" not in pairs and ("doc-1hash-a",) not in pairs


def test_seen_ids_name_the_first_source_of_the_latest_ids_only() -> None:
    seen = SeenIds()
    for i in range(RECENT_SOURCES + 5):
        seen.add(f"doc-{i}", f"corpus.jsonl:{i + 1}")
    assert "doc-0" in seen and "doc-10004" in seen and "doc-10005" not in seen
    assert seen.source("doc-10004") == "corpus.jsonl:10005"
    assert seen.source("doc-0") is None  # read long ago: its source is no longer kept
