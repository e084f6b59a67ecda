"""The events stage: real-looking sentences for every CAMEO root and PLOVER category."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from whodid import Article, Event, Pipeline
from whodid.knowledge.codebook import PLOVER_CATEGORIES, goldstein, quad_class
from whodid.stages.events.patterns import EventCoder, parse_patterns, rule_words

from .conftest import code_text

CASES = yaml.safe_load((Path(__file__).parent / "data" / "event_cases.yaml").read_text("utf-8"))
ROOTS = [f"{n:02d}" for n in range(2, 21)]


def _code(participant: Any) -> str | None:
    return participant.code if participant is not None else None


def fits(event: Event, case: dict[str, Any]) -> bool:
    """True when a non-negated event matches the case's spec (prefixes; null = anything)."""
    if event.negated or not event.cameo.startswith(str(case["cameo"])):
        return False
    if event.plover != case["plover"]:
        return False

    def actors_fit(source: str | None, target: str | None) -> bool:
        return all(want is None or (got or "").startswith(want)
                   for want, got in ((case.get("source"), source), (case.get("target"), target)))

    source, target = _code(event.source), _code(event.target)
    return actors_fit(source, target) or (bool(case.get("symmetric")) and actors_fit(target,
                                                                                    source))


def describe(article: Article) -> list[str]:
    return [f"{_code(e.source)}->{_code(e.target)} {e.cameo} {e.plover} "
            f"{'NEG ' if e.negated else ''}[{e.trigger}]" for e in article.events]


def _case_param(index: int, case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if case.get(
        "known_gap") else []
    return pytest.param(case, marks=marks,
                        id=f"{index}-{case['expect']}-{case['cameo']}-{case['plover']}")


@pytest.mark.parametrize("case", [_case_param(i, c) for i, c in enumerate(CASES)])
def test_event_case(pipeline: Pipeline, case: dict[str, Any]) -> None:
    article = code_text(pipeline, case["text"], case.get("published"))
    found = any(fits(event, case) for event in article.events)
    assert found == (case["expect"] == "present"), (case["why"], describe(article))


def test_every_root_and_category_has_positive_and_negative_cases() -> None:
    coded = [c for c in CASES if not c.get("known_gap")]  # cases the coder gets right
    present = Counter(str(c["cameo"])[:2] for c in coded if c["expect"] == "present")
    absent = Counter(str(c["cameo"])[:2] for c in coded if c["expect"] == "absent")
    for root in ROOTS:
        assert present[root] >= 3 and absent[root] >= 1, root
    present_category = Counter(c["plover"] for c in coded if c["expect"] == "present")
    absent_category = Counter(c["plover"] for c in coded if c["expect"] == "absent")
    for category in PLOVER_CATEGORIES:
        assert present_category[category] >= 3 and absent_category[category] >= 1, category


def test_events_carry_evidence_codebook_values_and_stable_ids(pipeline: Pipeline) -> None:
    text = ("Turkish warplanes bombed positions of the Kurdistan Workers' Party in northern Iraq "
            "on Tuesday, the Turkish defence ministry said.")
    first = code_text(pipeline, text, "2021-06-01")
    second = code_text(pipeline, text, "2021-06-01")
    assert first.events and [e.id for e in first.events] == [e.id for e in second.events]
    for event in first.events:
        start, end = event.span
        assert first.text[start:end] == event.evidence
        assert event.trigger_span is not None
        assert first.text[event.trigger_span[0]:event.trigger_span[1]] == event.trigger
        assert event.goldstein == goldstein(event.cameo)
        assert event.quad_class == quad_class(event.cameo)
        assert 0.0 <= event.confidence <= 1.0


def test_a_statement_alone_is_not_an_event(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "The Iraqi government said on Monday that the situation in "
                                  "Basra was calm.", "2020-01-06")
    assert article.events == []


PATTERN_HEADER = ("pos\tlemma\tobject\tprep\tprep_object\tparticle\tcameo\tplover\tmode\t"
                  "target_preps\treciprocal\tnote\n")
MEET = "VERB\tmeet\t\t\t\t\t040\tCONSULT\t\twith\tyes\t\n"


def test_a_pattern_row_with_a_bad_code_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    shifted = "VERB\tsuspend\t\tfrom\tactivity\t\t\t160\tSANCTION\t\tno\t\n"  # cameo late
    good, bad = tmp_path / "good.tsv", tmp_path / "bad.tsv"
    good.write_text(PATTERN_HEADER + MEET, "utf-8")
    bad.write_text(PATTERN_HEADER + MEET + shifted, "utf-8")
    assert [p.cameo for p in parse_patterns(good)] == ["040"]
    with pytest.raises(ValueError, match=r"bad.tsv:3: \(VERB suspend\).*cameo"):
        list(parse_patterns(bad))


def test_a_pattern_row_with_a_tab_too_many_is_an_error_naming_file_and_line(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(PATTERN_HEADER + MEET + MEET.replace("040", "\t040"), "utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:3: 13 tab-separated fields"):
        list(parse_patterns(bad))


def test_a_users_own_pattern_file_replaces_the_shipped_one(pipeline: Pipeline,
                                                             tmp_path: Path) -> None:
    own = tmp_path / "patterns.tsv"
    own.write_text(PATTERN_HEADER + MEET, "utf-8")
    # the rules alone: the classifier's second opinion would rescue the bombing
    resources = dataclasses.replace(pipeline.resources, events=EventCoder.load(own),
                                    opinion=None)
    only_meetings = Pipeline(resources)
    text = ("The Iraqi foreign minister met the Iranian president. "
            "Turkish jets bombed Kurdish villages.")
    assert [e.plover for e in code_text(only_meetings, text, "2020-01-01").events] == [
        "CONSULT"]
    assert "ASSAULT" in [e.plover for e in code_text(pipeline, text, "2020-01-01").events]


def test_the_rules_refuse_words_that_yaml_reads_as_booleans() -> None:
    with pytest.raises(ValueError, match="topic_prepositions"):
        rule_words({"topic_prepositions": ["about", True]}, "topic_prepositions")


def test_a_place_stands_for_its_country_when_no_actor_is_named(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Russian artillery shelled residential districts of Kharkiv "
                        "on Monday.", "2022-03-07")
    assert [(_code(e.source), _code(e.target), e.cameo) for e in article.events] == [
        ("RUSMIL", "UKR", "194")]


@pytest.mark.parametrize(("text", "plover", "incomplete"), [
    ("At least 29 people were killed in eastern Ghouta on Friday.", "ASSAULT", True),
    ("The Iraqi government demanded on Monday.", "REQUEST", True),
    ("Thousands of protesters rallied in central Baghdad on Friday.", "PROTEST", False),
    ("The Turkish army withdrew from the town on Sunday.", "RETREAT", False),
    ("Iraqi police arrested three ISIS fighters in Mosul.", "COERCE", False),
])
def test_an_event_missing_a_side_its_category_needs_is_incomplete_and_less_sure(
        pipeline: Pipeline, text: str, plover: str, incomplete: bool) -> None:
    article = code_text(pipeline, text, "2021-03-06")
    events = [e for e in article.events if e.plover == plover]
    assert events and all(e.incomplete == incomplete for e in events), describe(article)
    if incomplete:
        assert all(e.confidence < 0.5 for e in events)
