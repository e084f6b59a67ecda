"""Evaluation on five-class event sentences (ConfliBERT's CAMEO task).

A gold file is JSON Lines of ``{"id", "text", "quad", ...}`` records without ``events``; ``quad``
is 0 make a statement (CAMEO 01-02), 1 verbal cooperation, 2 material cooperation, 3 verbal
conflict (with CAMEO 16), 4 material conflict. Scoring, for each sentence:

1. rules: the class of the document's highest-confidence event that is not negated, from its
   CAMEO root (``data/events/quad_classes.tsv``); 0 when there is none;
2. classifier alone: the class of its most probable label (NONE -> 0, a PLOVER category -> the
   class of its CAMEO roots, from the same table);
3. combination: as the rules, on the events coded with the classifier's second opinion
   (``whodid.stages.events.second_opinion``).

Each is reported as accuracy and macro-F1 over the five classes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from whodid.knowledge.classifier import EventClassifier
from whodid.knowledge.rules import RuleFileError, packaged, read_tsv

CLASSES = (0, 1, 2, 3, 4)
CLASS_NAMES = ("statement", "verbal cooperation", "material cooperation", "verbal conflict",
               "material conflict")


@dataclass(frozen=True)
class QuadDocument:
    """One gold sentence and its class."""

    id: str
    text: str
    quad: int


def is_quad_gold(path: Path) -> bool:
    """True when the first record of a gold file has a ``quad`` and no ``events``."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                return isinstance(record, dict) and "quad" in record and "events" not in record
    return False


def read_quad_gold(path: Path) -> list[QuadDocument]:
    """Return the sentences of a five-class gold file; ValueError "FILE:LINE: ..." for a record
    without text or with a class outside 0-4."""
    documents = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record.get("text"), str) or record.get("quad") not in CLASSES:
            raise ValueError(f"{path}:{number}: expected a 'text' and a 'quad' class 0-4")
        documents.append(QuadDocument(str(record.get("id") or number), record["text"],
                                      record["quad"]))
    return documents


@cache
def quad_table() -> dict[str, int]:
    """Return the class of each CAMEO root ("01".."20") and classifier label (PLOVER category,
    NONE) from ``data/events/quad_classes.tsv``."""
    source = packaged("events/quad_classes.tsv")
    table = {}
    for line, row in read_tsv(source):
        if row["class"] not in ("0", "1", "2", "3", "4"):
            raise RuleFileError(source, line, f"class must be 0-4, not {row['class']!r}")
        table[row["code"]] = int(row["class"])
    return table


def event_quad(article: dict[str, Any]) -> int:
    """Return the class of the article's highest-confidence event that is not negated (the
    first of equals), 0 when there is none."""
    events = [e for e in article.get("events") or [] if not e.get("negated") and e.get("cameo")]
    if not events:
        return 0
    best = max(events, key=lambda e: float(e.get("confidence") or 0.0))
    return quad_table().get(str(best["cameo"])[:2], 0)


def label_quad(label: str) -> int:
    """Return the class of a classifier label (NONE or a PLOVER category)."""
    return quad_table()[label]


def scores(gold: Sequence[int], predicted: Sequence[int]) -> dict[str, float | None]:
    """Return accuracy and macro-F1 (over the five classes) of ``predicted`` against ``gold``."""
    if not gold:
        return {"accuracy": None, "macro_f1": None}
    pairs = list(zip(gold, predicted, strict=True))
    f1s = []
    for c in CLASSES:
        true_positive = sum(1 for g, p in pairs if g == p == c)
        wrong = sum(1 for g, p in pairs if (g == c) != (p == c))
        f1s.append(2 * true_positive / (2 * true_positive + wrong) if true_positive else 0.0)
    return {"accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4),
            "macro_f1": round(sum(f1s) / len(f1s), 4)}


def score_quad(documents: Sequence[QuadDocument], articles: dict[str, dict[str, Any]],
               classifier: EventClassifier | None,
               combined: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Return the figures of the rules (``articles``: ``Article.to_dict()`` by id) and, when
    given, of the classifier alone and of the combination (``combined``, articles coded with
    the classifier's second opinion), on the gold ``documents``."""
    gold = [d.quad for d in documents]
    rules = [event_quad(articles.get(d.id, {})) for d in documents]
    figures: dict[str, Any] = {"documents": len(documents)}
    figures.update({f"rules_{k}": v for k, v in scores(gold, rules).items()})
    if classifier is not None:
        tops = classifier.tops([d.text for d in documents])
        learned = [label_quad(label) for label, _ in tops]
        figures.update({f"classifier_{k}": v for k, v in scores(gold, learned).items()})
    if combined is not None:
        both = [event_quad(combined.get(d.id, {})) for d in documents]
        figures.update({f"combination_{k}": v for k, v in scores(gold, both).items()})
    return figures
