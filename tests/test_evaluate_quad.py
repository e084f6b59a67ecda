"""Evaluation on five-class event sentences (the ConfliBERT format): rules and classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from whodid.cli import main
from whodid.evaluate.quad import event_quad, is_quad_gold, label_quad, quad_table, scores
from whodid.knowledge.classifier import LABELS

from .conftest import SHARED

GOLD = [
    {"id": "q1", "text": "Rebel gunmen ambushed an army convoy near the border town on Sunday, "
                         "killing six soldiers.", "published": None, "quad": 4},
    {"id": "q2", "text": "The bakery chain said quarterly sales rose eight percent on strong "
                         "demand for bread.", "published": None, "quad": 0},
    {"id": "q3", "text": "The foreign ministers of Chile and Bolivia held talks in La Paz on "
                         "water rights.", "published": None, "quad": 1},
]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def event(cameo: str, confidence: float, negated: bool = False) -> dict[str, Any]:
    return {"cameo": cameo, "confidence": confidence, "negated": negated}


@pytest.mark.parametrize(("code", "quad"), [
    ("01", 0), ("02", 0), ("03", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3), ("13", 3),
    ("16", 3), ("14", 4), ("15", 4), ("17", 4), ("20", 4),
    ("NONE", 0), ("REQUEST", 3), ("SANCTION", 3), ("CONCEDE", 2), ("PROTEST", 4)])
def test_the_table_gives_conflibert_classes(code: str, quad: int) -> None:
    assert quad_table()[code] == quad


def test_every_root_and_label_has_a_class() -> None:
    assert {f"{n:02d}" for n in range(1, 21)} | set(LABELS) == set(quad_table())
    assert all(label_quad(label) in range(5) for label in LABELS)


@pytest.mark.parametrize(("events", "quad"), [
    ([], 0),
    ([event("190", 0.5), event("042", 0.9), event("111", 0.99, negated=True)], 1),
    ([event("1623", 0.7), event("0874", 0.6)], 3),
    ([event("145", 0.8, negated=True)], 0),
])
def test_a_document_takes_the_class_of_its_most_confident_real_event(
        events: list[dict[str, Any]], quad: int) -> None:
    assert event_quad({"events": events}) == quad


def test_scores_are_accuracy_and_macro_f1_over_five_classes() -> None:
    figures = scores([0, 1, 4, 4], [0, 1, 4, 3])
    assert figures["accuracy"] == 0.75
    # per class F1: 1, 1, 0 (class 2, absent), 0 (3: one false positive), 2/3 (4)
    assert figures["macro_f1"] == round((1 + 1 + 0 + 0 + 2 / 3) / 5, 4)


def test_the_format_is_told_apart_from_event_gold(tmp_path: Path) -> None:
    assert is_quad_gold(write_jsonl(tmp_path / "q.jsonl", GOLD))
    assert not is_quad_gold(write_jsonl(tmp_path / "p.jsonl", [
        {"id": "p", "text": "x", "published": None, "events": [], "quad": 1}]))


def test_evaluate_scores_predictions_and_the_classifier(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", [
        {"id": "q1", "events": [event("190", 0.8)]},
        {"id": "q2", "events": [event("111", 0.6, negated=True)]},
        {"id": "q3", "events": [event("0874", 0.7)]},
    ])
    result = CliRunner().invoke(main, ["evaluate", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.splitlines()[-1])
    assert figures["documents"] == 3
    assert figures["rules_accuracy"] == round(2 / 3, 4)
    assert figures["classifier_accuracy"] == 1.0


def test_evaluate_codes_the_gold_texts_without_pred(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.splitlines()[-1])
    assert 0 <= figures["rules_accuracy"] <= 1
    assert 0 <= figures["rules_macro_f1"] <= 1
    assert figures["classifier_accuracy"] == 1.0


def test_a_gold_record_without_a_class_is_named(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [GOLD[0], {**GOLD[1], "quad": 7}])
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 1
    assert f"{gold}:2: expected a 'text' and a 'quad' class 0-4" in result.output


def test_the_visible_conflibert_file_is_in_this_format() -> None:
    path = SHARED / "gold" / "conflibert_quad.visible.jsonl"
    if not path.is_file():
        pytest.skip("../shared is not beside this checkout")
    assert is_quad_gold(path)
