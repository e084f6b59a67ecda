"""Agents named by conjoined nationalities: "U.S. and Russian negotiators", "French and Egyptian
warships". Such a mention stands for one actor per country, each with the agent's sector: its
``members`` (the mention's own actor stays the first country's, as the resolver found it)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from whodid.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from whodid.knowledge.kb import KnowledgeBase

CONJUNCTIONS = frozenset({"and", "&"})
LONGEST_DEMONYM = 3  # "South Korean", "United States": tried longest first


def with_joint_members(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """Return ``mentions`` with each agent named by two or more conjoined countries given those
    countries' actors as ``members`` (see ``joint_members``); the others unchanged."""
    result = []
    for mention in mentions:
        members = joint_members(doc, mention, kb)
        result.append(replace(mention, members=members) if members else mention)
    return result


def joint_members(doc: Doc, mention: Mention, kb: KnowledgeBase) -> list[Actor]:
    """Return one actor per country of an agent mention whose nationalities are conjoined
    ("U.S. and South Korean troops" -> USAMIL, KORMIL); [] for any other mention, for a single
    country ("Iraqi army and police") or for words between them that are not a list
    ("U.S.-trained Afghan troops")."""
    actor = mention.actor
    if mention.label != "AGENT" or actor is None or not actor.country:
        return []
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not any(t.lower_ in CONJUNCTIONS for t in span):
        return []
    countries: list[str] = []
    position = span.start
    while position < span.end - 1:  # the last word is the agent noun
        found = _country_at(doc, position, span.end - 1, kb)
        if found is None:
            if countries and not (doc[position].lower_ in CONJUNCTIONS or
                                  doc[position].is_punct):
                break  # the list ended: "U.S. and Afghan special forces" keeps both
            position += 1
            continue
        country, length = found
        if country not in countries:
            countries.append(country)
        position += length
    if len(countries) < 2 or actor.country not in countries:
        return []
    sector = actor.sector
    return [Actor(code=country + (sector or ""), country=country, sector=sector)
            for country in countries]


def _country_at(doc: Doc, start: int, end: int, kb: KnowledgeBase) -> tuple[str, int] | None:
    """Return the country a capitalised demonym or name starting at token ``start`` (before
    ``end``) names, with its length in tokens; None when none starts there."""
    if not doc[start].text[:1].isupper():
        return None
    for length in range(min(LONGEST_DEMONYM, end - start), 0, -1):
        entity = kb.nationality(doc[start:start + length].text)
        if entity is not None and entity.kind == "country" and entity.country:
            return entity.country, length
    return None
