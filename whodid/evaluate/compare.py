"""Rules alone, the classifier alone and their combination, side by side on one gold set.

``whodid evaluate`` codes the gold texts twice, with the classifier's second opinion off (the
rules alone) and on (the combination, ``whodid.stages.events.second_opinion``), and scores the
classifier alone from the sentences of either: per sentence, its most probable label when that is
a PLOVER category becomes an event of that category (the category's default CAMEO code) with no
sides, so that only the type-only figures mean anything. Figures are flattened into one mapping
with a prefix per coder (``rules_f1``, ``combination_f1_type``, ``classifier_f1_type``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whodid.evaluate.events import GoldDocument, articles_by_id, score
from whodid.knowledge.classifier import NONE
from whodid.model import Article
from whodid.pipeline import Pipeline
from whodid.stages.events.second_opinion import SecondOpinion

EVENT_FIGURES = ("precision", "recall", "f1", "precision_type", "recall_type", "f1_type")
TYPE_FIGURES = ("precision_type", "recall_type", "f1_type")


def both_pipelines(pipeline: Pipeline) -> dict[str, Pipeline]:
    """Return pipelines sharing ``pipeline``'s resources: "rules" without the second opinion,
    "combination" with it (the packaged one when ``pipeline`` has none)."""
    resources = pipeline.resources
    opinion = resources.opinion or SecondOpinion.load()
    return {"rules": Pipeline(dataclasses.replace(resources, opinion=None)),
            "combination": Pipeline(dataclasses.replace(resources, opinion=opinion))}


def classifier_articles(articles: dict[str, dict[str, Any]],
                        opinion: SecondOpinion) -> dict[str, dict[str, Any]]:
    """Return, by id, the articles as the classifier alone would code them: one side-less
    (``incomplete``) event per sentence whose most probable label is a PLOVER category (each
    sentence's text parsed alone)."""
    texts = [str(s["text"]) for a in articles.values() for s in a.get("sentences") or []]
    labels = iter(opinion.classifier.tops(texts))
    result = {}
    for identifier, article in articles.items():
        events = []
        for index, sentence in enumerate(article.get("sentences") or []):
            label, _ = next(labels)
            if label != NONE:
                events.append({"sentence": index, "cameo": opinion.default_codes[label],
                               "plover": label, "negated": False, "incomplete": True,
                               "evidence": sentence["text"], "confidence": 0.0})
        result[identifier] = {"id": identifier, "events": events}
    return result


def prefixed(figures: dict[str, Any], prefix: str, names: Sequence[str]) -> dict[str, Any]:
    """Return the figures ``names`` of ``figures`` with their names prefixed ``prefix_``."""
    return {f"{prefix}_{name}": figures.get(name) for name in names}


def compared_figures(documents: list[GoldDocument], coded: dict[str, dict[str, dict[str, Any]]],
                     opinion: SecondOpinion) -> dict[str, Any]:
    """Return the event figures of each coder of ``coded`` ("rules", "combination": articles by
    id), and the type-only figures of the classifier alone (from the rules' sentences)."""
    figures: dict[str, Any] = {}
    for name, articles in coded.items():
        figures.update(prefixed(score(documents, articles).figures(), name, EVENT_FIGURES))
    some = next(iter(coded.values()), {})
    alone = score(documents, classifier_articles(some, opinion)).figures()
    figures.update(prefixed(alone, "classifier", TYPE_FIGURES))
    return figures


def code_both(pipeline: Pipeline, inputs: Callable[[], Iterable[Article]]
              ) -> dict[str, dict[str, dict[str, Any]]]:
    """Return the articles of ``inputs()`` (called once per coder: the stages change the
    articles they are given) coded by the rules alone and by the combination, as
    ``Article.to_dict()`` by id for each."""
    return {name: articles_by_id(a for a in coder(list(inputs())) if isinstance(a, Article))
            for name, coder in both_pipelines(pipeline).items()}
