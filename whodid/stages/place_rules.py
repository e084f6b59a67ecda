"""The rules of the places stage, read from ``data/places/rules.yaml`` (the file comments each
one): which entity labels name places, which words trail a name, the population floors, the
prepositions of a location and the words that call a name a first-level area."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from whodid.knowledge.rules import key_error, packaged, yaml_mapping


@dataclass(frozen=True)
class PlaceRules:
    """The rules of ``data/places/rules.yaml``."""

    entity_labels: frozenset[str]
    mislabelled: frozenset[str]
    misread: frozenset[str]
    embedding_labels: frozenset[str]
    trailing_words: frozenset[str]
    population_weight: float
    context_weight: float
    min_bare_population: int
    min_inner_population: int
    local_km: float
    stop_names: frozenset[str]
    location_prepositions: frozenset[str]
    town_prepositions: frozenset[str]
    name_particles: frozenset[str]
    area_cues: tuple[str, ...]


RULES_FILE = "places/rules.yaml"


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    values = data[key]
    if not all(isinstance(v, str) for v in values):
        raise key_error(packaged(RULES_FILE), key, "quote the words YAML reads as booleans")
    return frozenset(v.lower() for v in values)


@cache
def place_rules() -> PlaceRules:
    """Return the rules shipped in ``data/places/rules.yaml``."""
    data = yaml_mapping(packaged(RULES_FILE))
    return PlaceRules(
        entity_labels=frozenset(data["entity_labels"]),
        mislabelled=frozenset(data["mislabelled"]),
        misread=frozenset(data["misread"]),
        embedding_labels=frozenset(data["embedding_labels"]),
        trailing_words=_words(data, "trailing_words"),
        population_weight=float(data["population_weight"]),
        context_weight=float(data["context_weight"]),
        min_bare_population=int(data["min_bare_population"]),
        min_inner_population=int(data["min_inner_population"]),
        local_km=float(data["local_km"]),
        stop_names=_words(data, "stop_names"),
        location_prepositions=_words(data, "location_prepositions"),
        town_prepositions=_words(data, "town_prepositions"),
        name_particles=_words(data, "name_particles"),
        area_cues=tuple(sorted(_words(data, "area_cues"))))
