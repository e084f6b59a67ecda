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
import operator
from collections import Counter
from collections.abc import Iterable
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
# The one-hot ``kind_*`` features of each kind of place (all 0.0 for another kind).
_KIND_FEATURES = {kind: tuple(1.0 if kind == other else 0.0 for other in KINDS) for kind in KINDS}
_NO_KIND = (0.0,) * len(KINDS)


@dataclass
class PlaceContext:
    """What an article says about where it is: the countries and first-level areas its places
    and actors name (counts), the points of its towns and counties by toponym (as a first
    ranking without them chose) and its dateline's country."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1s: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: dict[int, tuple[float, float]] = field(default_factory=dict)
    dateline_country: str | None = None
    # The nearest points of each place asked about, for the ``points`` they were found in
    # (``points`` is replaced, never changed in place).
    _nearest: tuple[dict[int, tuple[float, float]], Counter[tuple[float, float]],
                    dict[tuple[float, float], _Nearest]] | None = field(
        default=None, repr=False, compare=False)

    def proximity(self, entry: GazetteerEntry, excluded: int = -1) -> float:
        """Return ``proximity`` of ``entry`` to the points of the toponyms but ``excluded``.

        Equal to ``proximity(entry, [p for k, p in points.items() if k != excluded])``, in time
        independent of the number of toponyms: the two nearest distinct points of each place
        are found once (over distinct points, for an article names its towns again and again)."""
        if self._nearest is None or self._nearest[0] is not self.points:
            self._nearest = (self.points, Counter(self.points.values()), {})
        points, counts, found = self._nearest
        spot = (entry.lat, entry.lon)
        if spot not in found:
            found[spot] = _two_nearest(spot, counts)
        nearest = found[spot]
        gone = points.get(excluded)
        km = nearest.second_km if gone is not None and gone == nearest.point and counts[gone] == 1 \
            else nearest.first_km
        return 0.0 if km == math.inf else math.exp(-km / PROXIMITY_KM)


@dataclass(frozen=True)
class _Nearest:
    """The nearest of a set of distinct points to a place, its distance, and the distance of
    the next nearest (infinite when there is none)."""

    point: tuple[float, float] | None
    first_km: float
    second_km: float


def _two_nearest(spot: tuple[float, float], points: Iterable[tuple[float, float]]) -> _Nearest:
    """Return the nearest of ``points`` (distinct) to ``spot`` (the first of equals) and the
    distances of the nearest two."""
    nearest: tuple[float, float] | None = None
    first = second = math.inf
    for point in points:
        km = _km(spot, point)
        if km < first:
            nearest, first, second = point, km, first
        elif km < second:
            second = km
    return _Nearest(nearest, first, second)


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
                       context: PlaceContext, totals: tuple[int, int] | None = None
                       ) -> list[float]:
    """Return the features of ``FEATURES`` for one candidate of a toponym; ``largest`` is the
    population of the toponym's most populous candidate, ``totals`` the ``context_totals`` of
    ``context`` (counted when not given)."""
    own_name = ascii_fold(entry.name.split(",")[0]) == form.key or \
        ascii_fold(entry.name) == form.key
    countries, admin1s = totals or context_totals(context)
    in_qualifier = bool(form.qualifier) and (ascii_fold(entry.admin1 or "") in
                                                form.qualifier or entry.country in
                                                form.qualifier)
    return [
        *_KIND_FEATURES.get(entry.feature, _NO_KIND),
        math.log10(entry.population + 1) / 7,
        1.0 if entry.population >= largest else 0.0,
        1.0 if own_name else 0.0,
        1.0 if entry.capital and own_name else 0.0,
        context.countries[entry.country] / countries if entry.country else 0.0,
        context.admin1s[(entry.country, entry.admin1 or "")] / admin1s if entry.admin1 else 0.0,
        1.0 if entry.country and entry.country == context.dateline_country else 0.0,
        context.proximity(entry, form.position),
        1.0 if in_qualifier else 0.0,
        1.0 if form.area_word and entry.feature in ("admin1", "admin2") else 0.0,
    ]


def context_totals(context: PlaceContext) -> tuple[int, int]:
    """Return the numbers of country and of first-level area mentions of ``context`` (at least
    1 each: they divide its counts)."""
    return sum(context.countries.values()) or 1, sum(context.admin1s.values()) or 1


@dataclass(frozen=True)
class Ranker:
    """The weights of ``FEATURES``, in that order."""

    weights: tuple[float, ...]

    def score(self, features: list[float]) -> float:
        """Return the candidate's score."""
        if len(features) != len(self.weights):
            raise ValueError(f"{len(features)} features for {len(self.weights)} weights")
        return float(sum(map(operator.mul, self.weights, features)))

    def best(self, candidates: list[GazetteerEntry], form: ToponymForm,
             context: PlaceContext) -> GazetteerEntry:
        """Return the candidate with the highest score (the first of equals)."""
        largest = max(e.population for e in candidates)
        totals = context_totals(context)
        return max(candidates, key=lambda e: self.score(
            candidate_features(e, form, largest, context, totals)))


@cache
def place_ranker() -> Ranker:
    """Return the ranker of ``data/places/ranker.yaml``; a missing or unknown feature is a
    RuleFileError at its key."""
    source = packaged(RANKER_FILE)
    weights = yaml_mapping(source).get("weights")
    if not isinstance(weights, dict) or set(weights) != set(FEATURES):
        raise key_error(source, "weights", f"give a weight to each of {', '.join(FEATURES)}")
    return Ranker(tuple(float(weights[name]) for name in FEATURES))
