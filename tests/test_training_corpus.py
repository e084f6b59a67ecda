"""The classifier's training corpus: the numbers of issue 17, the schema, and not one sentence
taken from ../shared."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from whodid.knowledge.classifier import record_problem, shipped_corpus
from whodid.knowledge.codebook import PLOVER_CATEGORIES, PLOVER_QUAD

from .conftest import SHARED

FIELDS = {"id", "text", "event", "plover", "mode", "cameo", "quad", "source", "target"}
RECORDS: list[dict[str, Any]] = [json.loads(line) for path in shipped_corpus()
                                 for line in path.read_text("utf-8").splitlines() if line.strip()]


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_corpus_is_eight_files_of_at_least_4000_sentences() -> None:
    assert [p.name for p in shipped_corpus()] == [f"events_{x}.jsonl" for x in "abcdefgh"]
    assert len(RECORDS) >= 4000


@pytest.mark.parametrize("category", PLOVER_CATEGORIES)
def test_every_plover_category_has_at_least_150_sentences(category: str) -> None:
    assert sum(1 for r in RECORDS if r["plover"] == category) >= 150


@pytest.mark.parametrize("root", [f"{n:02d}" for n in range(1, 21)])
def test_every_cameo_root_has_at_least_40_sentences(root: str) -> None:
    assert sum(1 for r in RECORDS if (r["cameo"] or "")[:2] == root) >= 40


def test_at_least_800_sentences_report_no_event() -> None:
    assert sum(1 for r in RECORDS if not r["event"]) >= 800


def schema_problem(record: dict[str, Any]) -> str | None:
    """Return what is wrong with a corpus record (None when nothing is)."""
    if set(record) != FIELDS:
        return f"fields {sorted(set(record) ^ FIELDS)}"
    if not isinstance(record["id"], str) or not record["id"]:
        return "no id"
    if not isinstance(record["event"], bool) or record["text"] != record["text"].strip():
        return "event not a boolean, or text with spaces around it"
    if not (record["mode"] is None or isinstance(record["mode"], str)):
        return "mode"
    if not (record["cameo"] is None or re.fullmatch(r"\d{3,4}", record["cameo"])):
        return "cameo not 3-4 digits"
    if record["event"] and not (record["plover"] in PLOVER_CATEGORIES and record["cameo"]):
        return "an event without a PLOVER category or a CAMEO code"
    # no event, or only a statement (CAMEO 01)
    if not record["event"] and (record["cameo"] or "01")[:2] != "01":
        return "a CAMEO code other than 01 without an event"
    return record_problem(record)


def test_every_record_has_the_schema() -> None:
    problems = [f"{r.get('id')}: {p}" for r in RECORDS if (p := schema_problem(r))]
    assert not problems


def test_spans_are_the_words_at_their_offsets() -> None:
    for record in RECORDS:
        for role in ("source", "target"):
            span = record[role]
            if span is not None:
                assert set(span) == {"text", "start", "end"}
                assert record["text"][span["start"]:span["end"]] == span["text"], record["id"]


def test_quad_is_the_plover_manuals_quad_of_the_category() -> None:
    for record in RECORDS:
        assert record["quad"] == PLOVER_QUAD.get(record["plover"] or "", 0), record["id"]


def test_ids_are_unique() -> None:
    repeated = [i for i, n in Counter(r["id"] for r in RECORDS).items() if n > 1]
    assert not repeated


def test_no_sentence_is_written_twice() -> None:
    repeated = [t for t, n in Counter(normalised(r["text"]) for r in RECORDS).items() if n > 1]
    assert not repeated


def shared_texts() -> Iterator[str]:
    """Yield every text of the gold files, corpora and code books in ../shared (each string of
    a JSON Lines record, the whole of any other file)."""
    for folder in ("gold", "corpus", "codes"):
        for path in sorted((SHARED / folder).rglob("*")):
            if not path.is_file():
                continue
            text = path.read_text("utf-8", errors="replace")
            if path.suffix == ".jsonl":
                for line in text.splitlines():
                    if line.strip():
                        yield from strings(json.loads(line))
            else:
                yield text


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def test_no_sentence_comes_from_shared() -> None:
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not beside this checkout: cannot check the corpus against it")
    texts = [normalised(t) for t in shared_texts()]
    everything = "\n".join(texts)
    shared_grams = set().union(*(trigrams(t.split()) for t in texts))
    # only a sentence whose inner words (the first and last may be parts of longer words) all
    # occur as trigrams in ../shared can be inside a text there: test those exactly
    candidates = [r for r in RECORDS
                  if trigrams(normalised(r["text"]).split()[1:-1]) <= shared_grams]
    copied = [r["id"] for r in candidates if normalised(r["text"]) in everything]
    assert not copied, f"training sentences found in ../shared: {copied[:10]}"
    ours = {normalised(r["text"]) for r in RECORDS}
    shared_sentences = {s for t in texts for s in re.split(r"(?<=[.!?\"”])\s+", t)}
    assert not ours & shared_sentences


def test_the_readme_says_how_the_corpus_was_made_and_how_to_extend_it() -> None:
    readme = (shipped_corpus()[0].parent / "README.md").read_text("utf-8")
    for words in ("2026-12-06", "whodid train --extra", "## Schema", "negated"):
        assert words in readme
