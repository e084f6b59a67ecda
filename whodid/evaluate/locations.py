"""Evaluation of event locations: where the coded events happened against the gold's ``where``.

A gold event may carry ``where``: ``{"name", "country", "lat", "lon"}`` (seeds and Guardian
format) or only a name and perhaps a country (PLOVER gold-standard records: ``{"name":
"province of Herat", "country": null}``). The gold point is its ``lat``/``lon``; without them,
the gold name read as a place ("province of Herat" -> "Herat") by the gazetteer: its most
populous place, in the gold country when one is given. The gold country is ``country``, else that
place's country.

- ``location_events``: gold events that carry a location;
- ``location_found``: those a predicted event matches (scorer's rule with actors, else by type:
  a wrong actor does not hide where the event was);
- ``location_country_accuracy``: found ones where a matching predicted event lies in the gold
  country;
- ``location_161km_accuracy``: found ones where a matching predicted event lies within 161 km of
  the gold point;
- ``location_document_161km``: all located gold events where any predicted event of the document
  lies within 161 km of the gold point (what a reader of the document's events would be told).
An event without a location counts as a miss in every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whodid.evaluate.events import GoldDocument, Key, keys_of, matches
from whodid.evaluate.places import MISS_KM, distance_km
from whodid.knowledge.gazetteer import GazetteerEntry, GazetteerIndex

# Words of a gold name that say what kind of place it is, not which: "the town of Rafah".
KIND_WORDS = frozenset({"the", "of", "town", "city", "village", "province", "region", "district",
                        "governorate", "state", "county", "capital", "area", "camp"})

Point = tuple[float, float]


@dataclass(frozen=True)
class GoldLocation:
    """Where a gold event happened: its point and country when the gold or the gazetteer gives
    them."""

    name: str
    country: str | None
    point: Point | None


@dataclass
class LocationCounts:
    """Running totals of an event-location evaluation."""

    events: int = 0
    found: int = 0
    with_country: int = 0
    same_country: int = 0
    with_point: int = 0
    near: int = 0
    document_with_point: int = 0
    document_near: int = 0

    def figures(self) -> dict[str, Any]:
        """Return the figures of the module docstring."""
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {"location_events": self.events, "location_found": self.found,
                "location_country_accuracy": ratio(self.same_country, self.with_country),
                "location_161km_accuracy": ratio(self.near, self.with_point),
                "location_document_161km": ratio(self.document_near, self.document_with_point)}


def gold_location(where: dict[str, Any], index: GazetteerIndex) -> GoldLocation:
    """Return the point and country of a gold ``where`` (module docstring)."""
    name = str(where.get("name") or "")
    country = where.get("country") or None
    if where.get("lat") is not None and where.get("lon") is not None:
        return GoldLocation(name, country, (float(where["lat"]), float(where["lon"])))
    place = _named_place(name, country, index)
    if place is None:
        return GoldLocation(name, country, None)
    return GoldLocation(name, country or place.country or None, (place.lat, place.lon))


def _named_place(name: str, country: str | None, index: GazetteerIndex
                 ) -> GazetteerEntry | None:
    """Return the most populous place of a gold name, without its kind words, in ``country``
    when given."""
    words = [w for w in name.split() if w.lower() not in KIND_WORDS]
    candidates = index.candidates(" ".join(words)) or index.candidates(name)
    if country:
        candidates = [e for e in candidates if e.country == country] or candidates
    return candidates[0] if candidates else None


def _near(location: dict[str, Any] | None, point: Point) -> bool:
    if not location or location.get("lat") is None or location.get("lon") is None:
        return False
    return distance_km(float(location["lat"]), float(location["lon"]), *point) <= MISS_KM


def _matching(gold: dict[str, Any], predicted: list[tuple[Key, dict[str, Any]]]
              ) -> list[dict[str, Any]]:
    """Return the predicted events matching a gold event with actors, else by type."""
    found = [e for k, e in predicted if matches(k, gold)]
    return found or [e for k, e in predicted if matches(k, gold, with_actors=False)]


def score_locations(documents: list[GoldDocument], articles: dict[str, dict[str, Any]],
                    index: GazetteerIndex) -> LocationCounts:
    """Score the locations of predicted articles (``Article.to_dict()`` by id) against the
    gold events that carry one."""
    counts = LocationCounts()
    for document in documents:
        predicted = keys_of(articles.get(document.id, {"events": []}), complete=False)
        every = [e.get("location") for _, e in predicted]
        for gold in document.events:
            if not isinstance(gold.get("where"), dict):
                continue
            counts.events += 1
            where = gold_location(gold["where"], index)
            if where.point is not None:
                counts.document_with_point += 1
                counts.document_near += any(_near(loc, where.point) for loc in every)
            found = [e.get("location") or {} for e in _matching(gold, predicted)]
            if not found:
                continue
            counts.found += 1
            if where.country:
                counts.with_country += 1
                counts.same_country += any(loc.get("country") == where.country for loc in found)
            if where.point is not None:
                counts.with_point += 1
                counts.near += any(_near(loc, where.point) for loc in found)
    return counts
