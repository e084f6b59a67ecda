"""The quantities stage: counts of people and units, and the tolls events count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whodid import Article, Options, Pipeline, read_inputs
from whodid.stages.quantities import number_value

from .conftest import SHARED, code_text


@pytest.mark.parametrize(("written", "value"), [
    ("600", 600), ("1,300", 1300), ("five", 5), ("2.5 million", 2_500_000), ("40,000", 40000),
    ("forty", 40), ("many", None)])
def test_numbers_are_read_as_written(written: str, value: int | None) -> None:
    assert number_value(written) == value


def test_counts_of_people_and_units_are_kept_with_their_hedges(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "The Coalition has around 600 troops in Hasakah, and the SDF "
                        "holds about 10,000 ISIS members in its camps.", "2020-02-15")
    found = {(q.value, q.unit, q.qualifier) for q in article.quantities}
    assert (600, "troop", "around") in found and (10000, "member", "about") in found


def test_an_event_counts_its_toll(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Russian police detained more than 1,300 people at an "
                        "opposition rally in Moscow on Saturday.", "2021-01-23")
    detained = next(e for e in article.events if e.trigger == "detained")
    assert [(q.value, q.kind, q.qualifier) for q in detained.quantities] == [
        (1300, "arrested", "more than")]
    killed = code_text(pipeline, "Rebels killed 40 villagers in the Beni region of eastern "
                       "Congo, the army said.", "2020-05-01")
    assert [(q.value, q.kind) for e in killed.events for q in e.quantities] == [(40, "dead")]


def test_the_seed_quantities_of_the_gold_are_found(pipeline: Pipeline, seed_paths: list[Path],
                                                   options: Options) -> None:
    gold = [json.loads(line) for line in (SHARED / "gold" / "seeds.jsonl").read_text(
        "utf-8").splitlines() if line.strip()]
    coded = {a.id: a for a in pipeline(list(read_inputs([str(p) for p in seed_paths], options)))
             if isinstance(a, Article)}
    for document in gold:
        article = coded[document["doc"].removesuffix(".txt")]
        found = {(q.value, q.text) for q in article.quantities}
        for expected in document.get("quantities") or []:
            assert any(value == expected["value"] and text in expected["mention"]
                       for value, text in found), (expected, found)
