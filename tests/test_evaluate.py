"""The scoring rule of shared/gold/README.md, on hand-made gold and predictions."""

from __future__ import annotations

from typing import Any

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
