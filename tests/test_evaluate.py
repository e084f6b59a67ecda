"""The scoring rule of shared/gold/README.md, on hand-made gold and predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from whodid.cli import main
from whodid.evaluate.errors import document_errors, reliability
from whodid.evaluate.events import GoldDocument, score


def event(cameo: str, source: str | None, target: str | None, plover: str = "CONSULT",
          negated: bool = False, evidence: str = "", date: str | None = None) -> dict[str, Any]:
    return {"cameo": cameo, "plover": plover, "negated": negated, "evidence": evidence,
            "date": date, "source": {"code": source} if source else None,
            "target": {"code": target} if target else None}


def gold(events: list[dict[str, Any]], forbidden: list[str] | None = None) -> GoldDocument:
    return GoldDocument(id="d", text=None, published=None, events=events,
                        forbidden=forbidden or [])


MEETING = {"source": ["IRQGOV"], "target": ["USAGOV"], "cameo": ["040", "042"],
           "plover": "CONSULT", "symmetric": True, "required": True, "date": "2020-02-14",
           "date_tolerance_days": 1}


def test_a_matching_key_finds_the_event_and_is_correct() -> None:
    counts = score([gold([MEETING])], {"d": {"events": [event("043", "IRQGOV", "USAMIL")]}})
    figures = counts.figures()
    assert (figures["precision"], figures["recall"]) == (1.0, 1.0)


def test_symmetric_gold_accepts_the_swapped_pair_and_others_do_not() -> None:
    swapped = {"d": {"events": [event("040", "USAGOV", "IRQGOV")]}}
    assert score([gold([MEETING])], swapped).figures()["recall"] == 1.0
    one_way = dict(MEETING, symmetric=False)
    assert score([gold([one_way])], swapped).figures()["recall"] == 0.0


def test_negated_events_are_ignored_and_wrong_keys_lower_precision() -> None:
    predicted = {"d": {"events": [event("040", "IRQ", "USA", negated=True),
                                  event("190", "IRQ", "USA", plover="ASSAULT")]}}
    figures = score([gold([MEETING])], predicted).figures()
    assert (figures["precision"], figures["recall"], figures["predicted_keys"]) == (0.0, 0.0, 1)


def test_without_cameo_codes_plover_categories_are_compared() -> None:
    gsr = {"source": ["TUR", "GRC"], "target": None, "cameo": [], "plover": "AGREE",
           "symmetric": True, "required": True}
    right = {"d": {"events": [event("030", "GRC", None, plover="AGREE")]}}
    wrong = {"d": {"events": [event("030", "GRC", None, plover="CONSULT")]}}
    assert score([gold([gsr])], right).figures()["f1"] == 1.0
    assert score([gold([gsr])], wrong).figures()["recall"] == 0.0


def test_type_only_figures_ignore_the_actors() -> None:
    predicted = {"d": {"events": [event("042", "FRA", "DEU")]}}
    figures = score([gold([MEETING])], predicted).figures()
    assert (figures["recall"], figures["recall_type"], figures["precision_type"]) == (
        0.0, 1.0, 1.0)


def test_optional_events_count_for_precision_not_recall() -> None:
    optional = dict(MEETING, cameo=["051"], plover="SUPPORT", required=False)
    predicted = {"d": {"events": [event("051", "IRQ", "USA", plover="SUPPORT")]}}
    figures = score([gold([MEETING, optional])], predicted).figures()
    assert (figures["precision"], figures["recall"], figures["required_events"]) == (1.0, 0.0, 1)


def test_leaks_empty_documents_and_dates() -> None:
    documents = [gold([MEETING], forbidden=["You must be logged in"]),
                 GoldDocument(id="empty", text="", published=None, events=[])]
    predicted = {
        "d": {"events": [event("040", "IRQ", "USA", date="2020-02-15",
                               evidence="You must be logged in to comment.")]},
        "empty": {"events": []},
    }
    figures = score(documents, predicted).figures()
    assert figures["leaks"] == 1
    assert figures["empty_document_accuracy"] == 1.0
    assert figures["date_accuracy"] == 1.0  # one day off, tolerance one day
    predicted["d"]["events"][0]["date"] = "2020-02-17"
    assert score(documents, predicted).figures()["date_accuracy"] == 0.0


def errors_of(gold_events: list[dict[str, Any]], predicted: list[dict[str, Any]],
              forbidden: list[str] | None = None) -> list[tuple[str, str]]:
    found = document_errors([gold(gold_events, forbidden)], {"d": {"events": predicted}})
    return [(e.kind, e.error_class) for d in found for e in d.errors]


ONE_WAY = dict(MEETING, symmetric=False)


@pytest.mark.parametrize(("predicted", "classes"), [
    (event("190", "IRQGOV", "USAGOV", plover="ASSAULT"),
     [("missed", "not found"), ("false", "wrong type")]),
    (event("040", "IRNGOV", "USAGOV"), [("missed", "wrong source"), ("false", "wrong source")]),
    (event("040", "IRQGOV", "FRAGOV"), [("missed", "wrong target"), ("false", "wrong target")]),
    (event("040", "IRQGOV", None), [("missed", "missing side"), ("false", "missing side")]),
    (event("040", "IRQGOV", "USAGOV"), []),
])
def test_errors_name_the_class_of_each_missed_and_false_event(
        predicted: dict[str, Any], classes: list[tuple[str, str]]) -> None:
    assert errors_of([ONE_WAY], [predicted]) == classes


def test_an_event_on_forbidden_evidence_is_a_leak_even_when_its_key_is_right() -> None:
    leaked = event("040", "IRQGOV", "USAGOV", evidence="the minister met the envoy in 2014")
    assert errors_of([ONE_WAY], [leaked], forbidden=["in 2014"]) == [("false", "leak")]


def test_documents_without_errors_are_not_listed() -> None:
    right = {"d": {"events": [event("040", "IRQGOV", "USAGOV")]}}
    assert document_errors([gold([MEETING])], right) == []


def test_reliability_bins_count_keys_by_their_highest_confidence() -> None:
    high = dict(event("040", "IRQGOV", "USAGOV"), confidence=0.9)
    low = dict(event("040", "IRQGOV", "USAGOV"), confidence=0.3)
    wrong = dict(event("190", "IRQ", "USA", plover="ASSAULT"), confidence=0.85)
    unsure = dict(event("111", "IRQ", "USA", plover="ACCUSE"), confidence=0.1)
    bins = reliability([gold([MEETING])], {"d": {"events": [high, low, wrong, unsure]}})
    assert [(b.low, b.keys, b.correct) for b in bins] == [
        (0.0, 1, 0), (0.2, 0, 0), (0.4, 0, 0), (0.6, 0, 0), (0.8, 2, 1)]
    assert (bins[4].share, bins[1].share) == (0.5, None)


def test_evaluate_errors_lists_each_documents_errors_and_the_reliability_table(
        tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps({"id": "d1", "text": "x", "events": [ONE_WAY]}) + "\n",
                         "utf-8")
    pred = tmp_path / "pred.jsonl"
    wrong = dict(event("040", "IRQGOV", None, evidence="the minister met"), confidence=0.7)
    pred.write_text(json.dumps({"id": "d1", "events": [wrong]}) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(gold_file), "--pred", str(pred),
                                       "--errors"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "== d1"
    assert lines[1].split()[:3] == ["missed", "missing", "side"]
    assert lines[2].split()[:3] == ["false", "missing", "side"]
    bins = [line for line in result.output.splitlines() if "0.6-0.8" in line]
    assert bins and "│ 1    │ 0 " in bins[0]


def test_evaluate_errors_on_toponym_gold_lists_each_missed_toponym_with_its_class(
        tmp_path: Path) -> None:
    text = "From Paris to Lyon and Nowhereville."
    gold_file = tmp_path / "places.jsonl"
    gold_file.write_text(json.dumps({"id": "g1", "text": text, "places": [
        {"start": 5, "end": 10, "text": "Paris", "lat": 48.85, "lon": 2.35},
        {"start": 14, "end": 18, "text": "Lyon", "lat": 45.76, "lon": 4.83},
        {"start": 23, "end": 35, "text": "Nowhereville", "lat": 10.0, "lon": 10.0}]}) + "\n",
        "utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "g1", "places": [
        {"start": 5, "end": 10, "name": "Paris", "lat": 33.66, "lon": -95.56, "country": "USA"},
        {"start": 14, "end": 18, "name": "Lyon", "lat": 45.75, "lon": 4.85,
         "country": "FRA"}]}) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(gold_file), "--pred", str(pred),
                                       "--errors"])
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in result.output.splitlines()
            if line.startswith("│ g1")]
    assert [row[:4] for row in rows] == [["g1", "wrong_country", "Paris", "Paris"],
                                         ["g1", "not_found", "Nowhereville", ""]]
    assert json.loads(result.output.splitlines()[-1])["errors_not_found"] == 1
