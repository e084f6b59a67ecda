"""Refit the weights of the places ranker (``whodid/data/places/ranker.yaml``) on toponym gold.

    python scripts/refit_place_ranker.py [--gold PATH] [--folds 5] [--C 10] [--write]

1. The gold texts (GeoWebNews format) are coded with the current pipeline, and each toponym the
   places stage resolves that overlaps a gold toponym with coordinates gives one group: its
   candidates with their ranker features (``whodid.stages.places.toponym_candidates``), a
   candidate labelled 1 when it lies within 161 km of the gold point.
2. Groups with a single candidate, or none within 161 km, teach nothing and are left out.
3. A pairwise logistic regression (scikit-learn, L2, ``--C``, no intercept) is fitted on the
   feature differences of a candidate within 161 km and another of the same toponym; its
   coefficients are the weights (a pointwise fit learns how likely a candidate is in general,
   which weighs the many wrong namesakes of a common name; the pairwise fit learns which to
   prefer), each toponym weighing the same however many candidates it has.
4. Printed: the share of groups whose best-scored candidate is within 161 km with the shipped
   weights, with the fitted weights on the groups they were fitted on, and cross-validated
   (``--folds`` folds by document: fitted on the others, measured on the held-out documents), so
   the gain is not memorisation.
5. With ``--write`` the fitted weights replace those of ranker.yaml (its comments are kept).

Install the fitting extra first: ``pip install -e '.[fit]'``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RANKER = REPO / "whodid" / "data" / "places" / "ranker.yaml"
MISS_KM = 161.0


@dataclass
class Group:
    """The candidates of one resolved toponym: features, labels, and the document's number."""

    document: int
    features: list[list[float]]
    labels: list[int]


def coded_articles(gold: Path) -> list[object]:
    """Return the gold texts coded with the current pipeline."""
    from whodid import Article, load_options, load_pipeline
    from whodid.evaluate.events import GoldDocument, gold_articles
    from whodid.evaluate.places import read_place_gold

    options = load_options()
    records = [GoldDocument(d.id, d.text, d.published, []) for d in read_place_gold(gold)]
    return [a for a in load_pipeline(options)(list(gold_articles(records, None, options)))
            if isinstance(a, Article)]


def training_groups(gold: Path, articles: list[object]) -> list[Group]:
    """Return a group per resolved toponym that overlaps a gold toponym with coordinates and has
    more than one candidate, one within 161 km."""
    from whodid import Article
    from whodid.evaluate.places import distance_km, read_place_gold
    from whodid.knowledge.gazetteer import load_index
    from whodid.stages.places import toponym_candidates

    index = load_index()
    documents = {d.id: d for d in read_place_gold(gold)}
    groups = []
    for number, article in enumerate(a for a in articles if isinstance(a, Article)):
        places = [p for p in documents[article.id].places if p.get("lat") is not None]
        for start, end, candidates, features in toponym_candidates(article, index):
            toponym = next((p for p in places if min(end, p["end"]) > max(start, p["start"])),
                           None)
            if toponym is None or len(candidates) < 2:
                continue
            labels = [int(distance_km(float(toponym["lat"]), float(toponym["lon"]), e.lat,
                                      e.lon) <= MISS_KM) for e in candidates]
            if any(labels):
                groups.append(Group(number, features, labels))
    return groups


def fit(groups: list[Group], c: float) -> list[float]:
    """Return the weights of a pairwise logistic regression: for every candidate within 161 km
    and every other candidate of the same toponym, the difference of their features is an
    example of label 1 and its negation of label 0 (no intercept), so the fit learns which
    candidate to prefer, not how likely a candidate is in general."""
    from sklearn.linear_model import LogisticRegression

    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    for group in groups:
        right = [f for f, label in zip(group.features, group.labels, strict=True) if label]
        wrong = [f for f, label in zip(group.features, group.labels, strict=True) if not label]
        share = 1.0 / (2 * len(right) * len(wrong) or 1)  # each toponym weighs the same
        for good in right:
            for bad in wrong:
                difference = [a - b for a, b in zip(good, bad, strict=True)]
                rows += [difference, [-x for x in difference]]
                labels += [1, 0]
                weights += [share, share]
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(rows, labels, sample_weight=weights)
    return [float(w) for w in model.coef_[0]]


def choice_accuracy(groups: list[Group], weights: list[float]) -> float:
    """Return the share of groups whose best-scored candidate is labelled 1."""
    right = 0
    for group in groups:
        scores = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in group.features]
        right += group.labels[scores.index(max(scores))]
    return right / len(groups) if groups else 0.0


def cross_validated(groups: list[Group], folds: int, c: float) -> float:
    """Return the choice accuracy on held-out documents, ``folds`` folds by document."""
    right = 0.0
    for fold in range(folds):
        held = [g for g in groups if g.document % folds == fold]
        kept = [g for g in groups if g.document % folds != fold]
        right += choice_accuracy(held, fit(kept, c)) * len(held)
    return right / len(groups) if groups else 0.0


def write_weights(weights: list[float]) -> None:
    """Replace the weights of ranker.yaml, keeping its comments."""
    from whodid.knowledge.gazetteer.ranker import FEATURES

    text = RANKER.read_text("utf-8")
    head = text[:text.index("weights:")]
    body = "".join(f"  {name}: {weight:.4f}\n" for name, weight in zip(FEATURES, weights,
                                                                       strict=True))
    RANKER.write_text(head + "weights:\n" + body, "utf-8")


def main() -> None:
    from whodid.knowledge.gazetteer.ranker import FEATURES, place_ranker

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", default=str(REPO.parent / "shared" / "gold" /
                                              "geowebnews.visible.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--C", dest="c", type=float, default=10.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    gold = Path(args.gold)
    groups = training_groups(gold, coded_articles(gold))
    weights = fit(groups, args.c)
    print(f"groups: {len(groups)}, candidates: {sum(len(g.labels) for g in groups)}")
    print(f"shipped weights: {choice_accuracy(groups, list(place_ranker().weights)):.4f}")
    print(f"fitted, same groups: {choice_accuracy(groups, weights):.4f}")
    print(f"fitted, {args.folds}-fold by document: "
          f"{cross_validated(groups, args.folds, args.c):.4f}")
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name}: {weight:.4f}")
    if args.write:
        write_weights(weights)
        print(f"written: {RANKER.relative_to(REPO)}")


if __name__ == "__main__":
    main()
