"""Evaluation against gold data: the scoring rule of ``shared/gold/README.md``.

Gold files are JSON Lines. Two event formats are read:
- seeds (``{"doc", "published", "events", "forbidden_evidence", ...}``): the text is the file
  ``doc`` in a folder of articles (``texts``);
- PLOVER gold-standard records (``{"id", "text", "published", "events"}``).

Per document, predicted events that are not negated reduce to keys (CAMEO root, PLOVER category,
source country, target country; a country is the first three letters of the actor code); events
marked incomplete (a side their category needs is missing) count for the type-only figures, which
ignore actors, and not for the others. A gold
event stands for every combination of its acceptable codes (and the swapped pair when
``symmetric``); a null gold actor matches anything; where the gold ``cameo`` list is empty, PLOVER
categories are compared instead of roots. A gold event is found when a key matches it; a key is
correct when it matches any gold event. Precision = correct keys / keys, recall = found required
events / required events, micro-averaged over documents; the same ignoring actors (type only);
accuracy on documents whose gold has no event (nothing predicted); leaks (events whose evidence
holds forbidden text); date accuracy over found gold events that carry a date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from whodid.config import Options
from whodid.model import Article, InputError
from whodid.stages.read import article_from_record, read_file


@dataclass(frozen=True)
class Key:
    """A predicted event reduced for scoring."""

    root: str
    plover: str | None
    source: str | None
    target: str | None


@dataclass
class GoldDocument:
    """One gold document: its id, text (when the gold holds it) and events."""

    id: str
    text: str | None
    published: str | None
    events: list[dict[str, Any]]
    forbidden: list[str] = field(default_factory=list)


@dataclass
class Counts:
    """Running totals of one evaluation."""

    keys: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0
    keys_type: int = 0
    correct_type: int = 0
    found_type: int = 0
    empty_documents: int = 0
    empty_right: int = 0
    leaks: int = 0
    dated: int = 0
    dated_right: int = 0
    documents: int = 0
    leak_examples: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """Return precision, recall and F1 (with actors and type only) and the other figures."""
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        def f1(p: float | None, r: float | None) -> float | None:
            return round(2 * p * r / (p + r), 4) if p and r else 0.0 if p is not None else None

        precision, recall = ratio(self.correct, self.keys), ratio(self.found, self.required)
        precision_type = ratio(self.correct_type, self.keys_type)
        recall_type = ratio(self.found_type, self.required)
        return {
            "documents": self.documents, "predicted_keys": self.keys,
            "required_events": self.required,
            "precision": precision, "recall": recall, "f1": f1(precision, recall),
            "precision_type": precision_type, "recall_type": recall_type,
            "f1_type": f1(precision_type, recall_type),
            "empty_document_accuracy": ratio(self.empty_right, self.empty_documents),
            "leaks": self.leaks,
            "date_accuracy": ratio(self.dated_right, self.dated),
        }


def read_gold(path: Path) -> list[GoldDocument]:
    """Return the documents of a gold file (seeds or PLOVER format)."""
    documents = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        identifier = str(record.get("doc") or record["id"])
        documents.append(GoldDocument(
            id=identifier.removesuffix(".txt"), text=record.get("text"),
            published=record.get("published"), events=list(record.get("events") or []),
            forbidden=list(record.get("forbidden_evidence") or [])))
    return documents


def gold_articles(documents: list[GoldDocument], texts: Path | None,
                  options: Options) -> Iterator[Article]:
    """Yield the Article of each gold document: its own text, or its file in ``texts``."""
    for document in documents:
        if document.text is not None:
            yield article_from_record({"id": document.id, "text": document.text,
                                       "published": document.published}, "gold", document.id)
            continue
        if texts is None:
            raise ValueError(f"gold document {document.id!r} has no text; give the folder of "
                             "its articles (--texts)")
        path = texts / f"{document.id}.txt"
        for item in read_file(path, options):
            if isinstance(item, InputError):
                raise ValueError(str(item))
            item.id = document.id
            yield item


def keys_of(article: dict[str, Any], complete: bool = True) -> list[tuple[Key, dict[str, Any]]]:
    """Return (key, event) for each event of an article that is not negated; with ``complete``
    only those not ``incomplete`` (a side their category needs is missing: users are not shown
    them)."""
    result = []
    for event in article.get("events") or []:
        if event.get("negated") or (complete and event.get("incomplete")):
            continue
        result.append((Key(root=str(event["cameo"])[:2], plover=event.get("plover"),
                           source=_country(event.get("source")),
                           target=_country(event.get("target"))), event))
    return result


def _country(participant: dict[str, Any] | None) -> str | None:
    code = (participant or {}).get("code")
    return str(code)[:3] if code else None


def matches(key: Key, gold: dict[str, Any], with_actors: bool = True) -> bool:
    """True when a predicted key matches a gold event (see the module docstring)."""
    cameo = [str(c)[:2] for c in gold.get("cameo") or []]
    if cameo:
        if key.root not in cameo:
            return False
    elif key.plover != gold.get("plover"):
        return False
    if not with_actors:
        return True
    sources = _countries(gold.get("source"))
    targets = _countries(gold.get("target"))
    if _actors_fit(key.source, key.target, sources, targets):
        return True
    return bool(gold.get("symmetric")) and _actors_fit(key.target, key.source, sources, targets)


def _countries(codes: Any) -> set[str] | None:
    if not codes:
        return None
    if isinstance(codes, str):
        codes = [codes]
    return {str(c)[:3] for c in codes}


def _actors_fit(source: str | None, target: str | None, sources: set[str] | None,
                targets: set[str] | None) -> bool:
    return (sources is None or source in sources) and (targets is None or target in targets)


def score(documents: list[GoldDocument], articles: dict[str, dict[str, Any]]) -> Counts:
    """Score predicted articles (``Article.to_dict()`` by id) against gold documents."""
    counts = Counts()
    for document in documents:
        counts.documents += 1
        article = articles.get(document.id, {"events": []})
        predicted = keys_of(article)
        keys = {key for key, _ in predicted}
        counts.keys += len(keys)
        counts.correct += sum(1 for k in keys if any(matches(k, g) for g in document.events))
        keys_type = {(k.root, k.plover) for k, _ in keys_of(article, complete=False)}
        counts.keys_type += len(keys_type)
        counts.correct_type += sum(1 for root, plover in keys_type if any(
            matches(Key(root, plover, None, None), g, with_actors=False)
            for g in document.events))
        if not document.events:
            counts.empty_documents += 1
            counts.empty_right += not keys
        for gold in document.events:
            if gold.get("required", True):
                counts.required += 1
                counts.found += any(matches(k, gold) for k in keys)
                counts.found_type += any(matches(Key(root, plover, None, None), gold,
                                                 with_actors=False) for root, plover in keys_type)
            if gold.get("date"):
                found = [e for k, e in predicted if matches(k, gold)]
                if found:
                    counts.dated += 1
                    counts.dated_right += any(_date_fits(e.get("date"), gold) for e in found)
        for _, event in predicted:
            evidence = event.get("evidence") or ""
            for text in document.forbidden:
                if text in evidence:
                    counts.leaks += 1
                    counts.leak_examples.append(f"{document.id}: {text!r} in {evidence[:80]!r}")
    return counts


def _date_fits(predicted: str | None, gold: dict[str, Any]) -> bool:
    if not predicted:
        return False
    try:
        days = abs((date.fromisoformat(predicted[:10]) - date.fromisoformat(gold["date"])).days)
    except ValueError:
        return False
    return days <= int(gold.get("date_tolerance_days") or 0)


def read_predictions(path: Path) -> dict[str, dict[str, Any]]:
    """Return predicted articles (JSON lines of ``Article.to_dict()``) by id."""
    articles = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            articles[str(article["id"]).removesuffix(".txt")] = article
    return articles


def articles_by_id(articles: Iterable[Article]) -> dict[str, dict[str, Any]]:
    """Return ``Article.to_dict()`` of coded articles by id."""
    return {a.id: a.to_dict() for a in articles}
