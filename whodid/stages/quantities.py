"""The quantities stage: how many people or units the text counts, and the toll of each event.

Every number that counts people or units ("around 600 troops", "20,000, 30,000, 40,000 troops",
"about 10,000 ISIS members", "more than 1,300 people") becomes a Quantity of the article: its
value, the counted noun, and a qualifier ("about", "more than", "at least") when the text hedges.
An event whose trigger counts a toll ("killing at least 15 people", "arrested 30 supporters",
"wounded five others") takes the quantity with the PLOVER-style kind of its trigger (dead,
injured, arrested, displaced). Rules in ``data/quantities.yaml``.

Reads: doc, events. Sets: quantities, and the events' quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from whodid.knowledge.rules import packaged, yaml_mapping
from whodid.model import Article, Quantity

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
                "dozens": 24, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
                "hundreds": 200, "thousand": 1000, "thousands": 2000, "million": 1_000_000}


@dataclass(frozen=True)
class QuantityRules:
    """The rules of ``data/quantities.yaml``."""

    counted_nouns: frozenset[str]
    toll_kinds: dict[str, str]
    hedges: tuple[str, ...]


@cache
def quantity_rules() -> QuantityRules:
    """Return the rules shipped in ``data/quantities.yaml``."""
    data = yaml_mapping(packaged("quantities.yaml"))
    return QuantityRules(
        counted_nouns=frozenset(data["counted_nouns"]),
        toll_kinds={str(k): str(kind) for kind, lemmas in data["toll_kinds"].items()
                    for k in lemmas},
        hedges=tuple(sorted(data["hedges"], key=len, reverse=True)))


# No toll or troop count reaches this; a larger number is a misreading (or an attack) and would
# not fit SQLite's 64-bit INTEGER.
MAX_COUNT = 10**12


def number_value(text: str) -> int | None:
    """Return the value of a number as written: "1,300" -> 1300, "five" -> 5, "2.5 million";
    None when it is not a number or larger than any count (MAX_COUNT)."""
    words = text.lower().replace(",", "").split()
    value: float | None = None
    for word in words:
        if re.fullmatch(r"\d+(\.\d+)?", word):
            value = (value or 0) + float(word)
        elif word in ("million", "thousand", "hundred") and value is not None:
            value *= NUMBER_WORDS[word]
        elif word in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[word]
        else:
            return None
    if value is None or not value <= MAX_COUNT:  # also false for inf and nan
        return None
    return int(value)


def find_quantities(article: Article, rules: QuantityRules | None = None) -> Article:
    """Set ``article.quantities`` and the quantities of the events that count a toll."""
    rules = rules or quantity_rules()
    doc = article.doc
    text = doc.text  # built anew from the tokens at every access: once, not per number
    article.quantities = []
    by_noun: dict[int, list[Quantity]] = {}
    for token in doc:
        if token.dep_ != "nummod" or token.head.lemma_.lower() not in rules.counted_nouns:
            continue
        numbers = [token, *(c for c in token.subtree if c.like_num and c.i != token.i)]
        start = min(t.idx for t in numbers)
        end = max(t.idx + len(t.text) for t in numbers)
        value = number_value(text[start:end]) or number_value(token.text)
        if value is None:
            continue
        before = text[max(0, start - 20):start].lower()
        hedge = next((h for h in rules.hedges if before.rstrip().endswith(h)), None)
        quantity = Quantity(text=text[start:token.head.idx + len(token.head.text)],
                            start=start, end=token.head.idx + len(token.head.text), value=value,
                            unit=token.head.lemma_.lower(), qualifier=hedge)
        article.quantities.append(quantity)
        by_noun.setdefault(token.head.i, []).append(quantity)
    for event in article.events:
        if event.trigger_span is None:
            continue
        trigger = doc.char_span(*event.trigger_span, alignment_mode="expand")
        if trigger is None:
            continue
        kind = rules.toll_kinds.get(trigger.root.lemma_.lower())
        if kind is None:
            continue
        event.quantities = [Quantity(q.text, q.start, q.end, q.value, q.unit, q.qualifier, kind)
                            for q in _counted_by(trigger.root, by_noun)]
    return article


def _counted_by(trigger: Any, by_noun: dict[int, list[Quantity]]) -> list[Quantity]:
    """Return the quantities of the trigger's object or passive subject."""
    found: list[Quantity] = []
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass", "obj"):
            for part in (child, *child.conjuncts):
                found += by_noun.get(part.i, [])
    return found
