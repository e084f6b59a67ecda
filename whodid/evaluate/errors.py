"""Error analysis and reliability: what went wrong per document, and what confidence is worth.

``document_errors`` lists, per document, the required gold events no predicted key found
(missed) and the predicted keys that match no gold event (false), each with its class:

- ``leak``: a false event whose evidence holds text the gold forbids;
- ``wrong type``: a false event of a type no gold event of the document has;
- ``not found``: a missed event no predicted key has the type of;
- ``missing side``: the type is right but the prediction has no source or no target where
  the gold names one;
- ``wrong source`` / ``wrong target``: the type is right but the source (first checked) or
  the target is another actor.

For a false event the nearest gold event is one of its type; for a missed one, a predicted key
of its type. ``reliability`` bins the predicted keys by confidence (the highest confidence of
the events giving the key) and gives the share of each bin that is correct: the scorer's rule
(``whodid.evaluate.events``) decides what is correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whodid.evaluate.events import GoldDocument, Key, keys_of, matches

BIN_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class EventError:
    """A missed gold event or a false prediction, its class and what it was."""

    kind: str  # "missed" or "false"
    error_class: str
    type: str  # CAMEO code(s) or PLOVER category
    source: str | None
    target: str | None
    evidence: str


@dataclass
class DocumentErrors:
    """The errors of one document."""

    id: str
    errors: list[EventError] = field(default_factory=list)


@dataclass(frozen=True)
class ReliabilityBin:
    """The predicted keys whose confidence falls in [low, high) ([0.8, 1.0] for the last)."""

    low: float
    high: float
    keys: int
    correct: int

    @property
    def share(self) -> float | None:
        """Return the share of correct keys in the bin (None when it is empty)."""
        return round(self.correct / self.keys, 4) if self.keys else None


def _side_error(source: str | None, target: str | None, gold: dict[str, Any]) -> str:
    """Return how a prediction of the gold event's type differs from it in its actors."""
    sources, targets = _codes(gold.get("source")), _codes(gold.get("target"))
    if (source is None and sources) or (target is None and targets):
        return "missing side"
    if sources is not None and source not in sources:
        if gold.get("symmetric") and targets is not None and source in targets:
            return "wrong target"  # the pair swapped is accepted: the other side is wrong
        return "wrong source"
    return "wrong target"


def _codes(codes: Any) -> set[str] | None:
    if not codes:
        return None
    return {str(c)[:3] for c in ([codes] if isinstance(codes, str) else codes)}


def _same_type(key: Key, gold: dict[str, Any]) -> bool:
    return matches(Key(key.root, key.plover, None, None), gold, with_actors=False)


def false_event_class(key: Key, evidence: str, document: GoldDocument) -> str:
    """Return the class of a predicted key that matches no gold event of ``document``."""
    if any(text in evidence for text in document.forbidden):
        return "leak"
    typed = [g for g in document.events if _same_type(key, g)]
    if not typed:
        return "wrong type"
    classes = [_side_error(key.source, key.target, g) for g in typed]
    return min(classes, key=("missing side", "wrong target", "wrong source").index)


def missed_event_class(gold: dict[str, Any], keys: list[Key]) -> str:
    """Return the class of a required gold event no key found."""
    typed = [k for k in keys if _same_type(k, gold)]
    if not typed:
        return "not found"
    classes = [_side_error(k.source, k.target, gold) for k in typed]
    return min(classes, key=("missing side", "wrong target", "wrong source").index)


def _gold_type(gold: dict[str, Any]) -> str:
    return "/".join(str(c) for c in gold.get("cameo") or []) or str(gold.get("plover"))


def _gold_side(codes: Any) -> str | None:
    found = _codes(codes)
    return "|".join(sorted(found)) if found else None


def document_errors(documents: list[GoldDocument], articles: dict[str, dict[str, Any]]
                    ) -> list[DocumentErrors]:
    """Return the errors of each document that has any (see the module docstring)."""
    result = []
    for document in documents:
        predicted = keys_of(articles.get(document.id, {"events": []}))
        keys = list(dict.fromkeys(key for key, _ in predicted))
        errors = [EventError("missed", missed_event_class(g, keys), _gold_type(g),
                             _gold_side(g.get("source")), _gold_side(g.get("target")),
                             str(g.get("evidence") or g.get("event_text") or ""))
                  for g in document.events if g.get("required", True)
                  and not any(matches(k, g) for k in keys)]
        reported: set[Key] = set()
        for key, event in predicted:
            evidence = str(event.get("evidence") or "")
            leak = any(text in evidence for text in document.forbidden)
            if key in reported or (not leak and any(matches(key, g) for g in document.events)):
                continue
            reported.add(key)
            errors.append(EventError("false", false_event_class(key, evidence, document),
                                     f"{event.get('cameo')} {key.plover}", key.source,
                                     key.target, evidence))
        if errors:
            result.append(DocumentErrors(document.id, errors))
    return result


def _bin_index(confidence: float) -> int:
    """Return the bin of a confidence: [0, .2) -> 0 ... [.8, 1] -> 4."""
    for index, high in enumerate(BIN_EDGES[1:-1]):
        if confidence < high:
            return index
    return len(BIN_EDGES) - 2


def reliability(documents: list[GoldDocument], articles: dict[str, dict[str, Any]]
                ) -> list[ReliabilityBin]:
    """Return the confidence bins of the predicted keys with the number correct in each."""
    keys_in = [0] * (len(BIN_EDGES) - 1)
    correct_in = [0] * (len(BIN_EDGES) - 1)
    for document in documents:
        confidence: dict[Key, float] = {}
        for key, event in keys_of(articles.get(document.id, {"events": []})):
            value = float(event.get("confidence") or 0.0)
            confidence[key] = max(value, confidence.get(key, 0.0))
        for key, value in confidence.items():
            index = _bin_index(value)
            keys_in[index] += 1
            correct_in[index] += any(matches(key, g) for g in document.events)
    return [ReliabilityBin(BIN_EDGES[i], BIN_EDGES[i + 1], keys_in[i], correct_in[i])
            for i in range(len(keys_in))]
