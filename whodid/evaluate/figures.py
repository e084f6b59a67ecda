"""The figures `whodid evaluate` prints, per kind of gold file.

Input: a gold file and, optionally, predictions (JSON lines of articles, as `whodid code --out`
writes); without them the gold texts are coded with the current pipeline (nothing is stored).
Output: the figures as a flat dict (the last JSON line of `whodid evaluate`), and for event gold
also what the error listing and the reliability table need. A malformed gold file or option
raises ValueError with the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whodid.config import load_options
from whodid.evaluate.compare import (
    TYPE_FIGURES,
    classifier_articles,
    code_both,
    compared_figures,
    prefixed,
)
from whodid.evaluate.events import (
    Counts,
    GoldDocument,
    gold_articles,
    read_gold,
    read_predictions,
    score,
)
from whodid.evaluate.locations import score_locations
from whodid.evaluate.places import PlaceCounts, read_place_gold, score_places
from whodid.evaluate.quad import read_quad_gold, score_quad
from whodid.knowledge.classifier import load_classifier
from whodid.knowledge.gazetteer import load_index
from whodid.model import Article
from whodid.pipeline import load_pipeline
from whodid.stages.events.second_opinion import SecondOpinion


def event_figures(gold: Path, pred: Path | None, texts: Path | None, config_path: Path | None
                  ) -> tuple[list[GoldDocument], dict[str, Any], Counts, dict[str, Any]]:
    """Score event gold (seeds or PLOVER format): return the gold documents, the scored
    articles by id, the counts and the figures: the coder as configured, the rules alone
    (``rules_*``), the combination (``combination_*``), the classifier alone's type-only
    figures (``classifier_*``) and, when gold events carry a location, where they happened.
    ``texts`` is the folder of the articles a gold file names by ``doc`` (default
    ../corpus/seeds beside the gold file)."""
    documents = read_gold(gold)
    if pred is not None:
        articles = read_predictions(pred)
        compared = prefixed(score(documents, classifier_articles(
            articles, SecondOpinion.load())).figures(), "classifier", TYPE_FIGURES)
    else:
        folder = texts or (gold.parent.parent / "corpus" / "seeds")
        options = load_options(config_path)
        coded = code_both(load_pipeline(options), lambda: gold_articles(
            documents, folder if folder.is_dir() else None, options))
        articles = coded["combination" if options.second_opinion else "rules"]
        compared = compared_figures(documents, coded, SecondOpinion.load())
    counts = score(documents, articles)
    figures = {"gold": str(gold), **counts.figures(), **compared}
    if any(isinstance(g.get("where"), dict) for d in documents for g in d.events):
        figures.update(score_locations(documents, articles, load_index()).figures())
    return documents, articles, counts, figures


def place_figures(gold: Path, pred: Path | None) -> dict[str, Any]:
    """Score geoparsing against toponym gold (GeoWebNews format)."""
    return {"gold": str(gold), **place_counts(gold, pred).figures()}


def place_counts(gold: Path, pred: Path | None) -> PlaceCounts:
    """Return the counts and misses of geoparsing against toponym gold (GeoWebNews format)."""
    documents = read_place_gold(gold)
    if pred is not None:
        predicted = {k: list(v.get("places") or []) for k, v in read_predictions(pred).items()}
    else:
        options = load_options()
        records = [GoldDocument(d.id, d.text, d.published, []) for d in documents]
        inputs = list(gold_articles(records, None, options))
        coded = [a for a in load_pipeline(options)(inputs) if isinstance(a, Article)]
        predicted = {a.id: [p.to_dict() for p in a.places] for a in coded}
    return score_places(documents, predicted, load_index())


def quad_figures(gold: Path, pred: Path | None) -> dict[str, Any]:
    """Score five-class event sentences (ConfliBERT format): the rules alone, the classifier
    alone and their combination (only the predictions given with ``pred``)."""
    documents = read_quad_gold(gold)
    classifier = load_classifier()
    if pred is not None:
        coded = {"rules": read_predictions(pred)}
    else:
        options = load_options()
        records = [GoldDocument(d.id, d.text, None, []) for d in documents]
        coded = code_both(load_pipeline(options), lambda: gold_articles(records, None, options))
    return {"gold": str(gold), **score_quad(documents, coded["rules"], classifier,
                                            coded.get("combination"))}
