"""The ranker that chooses among a toponym's candidates: a linear score over candidate features.

Each candidate of a toponym is described by the features of ``FEATURES`` (its kind of place,
its population, how its name matches, and what the article says around it: the countries and
first-level areas it names, its dateline, its other places, a qualifier written after the name).
The score is the dot product with the weights of ``data/places/ranker.yaml``, which
``scripts/refit_place_ranker.py`` fits by logistic regression on toponym gold (a candidate
within 161 km of the gold point is a positive example); the highest score wins.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from whodid.knowledge.gazetteer.index import GazetteerEntry, ascii_fold
from whodid.knowledge.rules import key_error, packaged, yaml_mapping

RANKER_FILE = "places/ranker.yaml"
KINDS = ("country", "continent", "region", "admin1", "admin2", "city", "locality")
FEATURES = (*(f"kind_{kind}" for kind in KINDS), "log_population", "largest", "own_name",
            "capital", "context_country", "context_admin1", "dateline_country", "proximity",
            "qualifier", "area_word")
PROXIMITY_KM = 250.0  # a place this far from the article's others is "near" by 1/e


@dataclass
class PlaceContext:
    """What an article says about where it is: the countries and first-level areas its places
    and actors name (counts), the points of its towns and counties by toponym (as a first
    ranking without them chose) and its dateline's country."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1s: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: dict[int, tuple[float, float]] = field(default_factory=dict)
    dateline_country: str | None = None


@dataclass(frozen=True)
class ToponymForm:
    """How a toponym is written: the folded name looked up, the names of a qualifier written
    after it ("Paris, Texas"), whether an area word follows it ("Idlib province"), and where it
    stands among the article's toponyms."""

    key: str
    qualifier: frozenset[str] = frozenset()
    area_word: bool = False
    position: int = -1  # the toponym's number in the article: its own point is no evidence


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def proximity(entry: GazetteerEntry, points: list[tuple[float, float]]) -> float:
    """Return exp(-d / PROXIMITY_KM), d the distance to the nearest of ``points`` (0 when there
    are none)."""
    if not points:
        return 0.0
    return math.exp(-min(_km((entry.lat, entry.lon), p) for p in points) / PROXIMITY_KM)


def candidate_features(entry: GazetteerEntry, form: ToponymForm, largest: int,
                       context: PlaceContext) -> list[float]:
    """Return the features of ``FEATURES`` for one candidate of a toponym; ``largest`` is the
    population of the toponym's most populous candidate."""
    own_name = ascii_fold(entry.name.split(",")[0]) == form.key or \
        ascii_fold(entry.name) == form.key
    countries = sum(context.countries.values()) or 1
    admin1s = sum(context.admin1s.values()) or 1
    in_qualifier = bool(form.qualifier) and (ascii_fold(entry.admin1 or "") in
                                                form.qualifier or entry.country in
                                                form.qualifier)
    return [
        *(1.0 if entry.feature == kind else 0.0 for kind in KINDS),
        math.log10(entry.population + 1) / 7,
        1.0 if entry.population >= largest else 0.0,
        1.0 if own_name else 0.0,
        1.0 if entry.capital and own_name else 0.0,
        context.countries[entry.country] / countries if entry.country else 0.0,
        context.admin1s[(entry.country, entry.admin1 or "")] / admin1s if entry.admin1 else 0.0,
        1.0 if entry.country and entry.country == context.dateline_country else 0.0,
        proximity(entry, [p for k, p in context.points.items() if k != form.position]),
        1.0 if in_qualifier else 0.0,
        1.0 if form.area_word and entry.feature in ("admin1", "admin2") else 0.0,
    ]


@dataclass(frozen=True)
class Ranker:
    """The weights of ``FEATURES``, in that order."""

    weights: tuple[float, ...]

    def score(self, features: list[float]) -> float:
        """Return the candidate's score."""
        return sum(w * x for w, x in zip(self.weights, features, strict=True))

    def best(self, candidates: list[GazetteerEntry], form: ToponymForm,
             context: PlaceContext) -> GazetteerEntry:
        """Return the candidate with the highest score (the first of equals)."""
        largest = max(e.population for e in candidates)
        return max(candidates,
                   key=lambda e: self.score(candidate_features(e, form, largest, context)))


@cache
def place_ranker() -> Ranker:
    """Return the ranker of ``data/places/ranker.yaml``; a missing or unknown feature is a
    RuleFileError at its key."""
    source = packaged(RANKER_FILE)
    weights = yaml_mapping(source).get("weights")
    if not isinstance(weights, dict) or set(weights) != set(FEATURES):
        raise key_error(source, "weights", f"give a weight to each of {', '.join(FEATURES)}")
    return Ranker(tuple(float(weights[name]) for name in FEATURES))
