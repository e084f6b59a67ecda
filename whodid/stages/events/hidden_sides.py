"""Sides the parse does not give where it puts them: a death under torture (the custodian did it
to the one who died), a speaker's complaint the parser hung on a noun ("..., a rights group
protested"), protesters the parser took for a description ("youths resorted to throwing stones"),
an act an actor is guilty of, responsible for or engaged in (the actor did it) and an act a
speaker rules out ("said lifting the sanctions is out of the question"). Used by
``arguments.dyads`` before the parse's own reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whodid.model import Mention
from whodid.stages.events.actor_index import ActorIndex
from whodid.stages.events.patterns import SUBJECTS, Pattern, misparsed_report, pattern_for
from whodid.stages.events.reality import ruled_out

if TYPE_CHECKING:
    from spacy.tokens import Token

Sides = tuple[list[Mention], list[Mention]]


def hidden_sides(token: Token, pattern: Pattern, actors: ActorIndex) -> Sides | None:
    """Return (sources, targets) of a trigger in one of the constructions of the module, None
    for any other trigger (its sides come from the parse)."""
    if token.pos_ in ("NOUN", "PROPN"):
        return death_sides(token, pattern, actors) or culprit_sides(token, pattern, actors)
    speaker = misparsed_report(token) if "@told" in pattern.objects else None
    if speaker is not None:  # "Croatia fails refugees, a rights group protested"
        return _mentions(token.head, actors), [m for c in speaker.children
                                               if c.dep_ in SUBJECTS
                                               for m in _mentions(c, actors)]
    if pattern.plover == "PROTEST":
        return protester_sides(token, actors)
    if token.lemma_.lower() in actors.rules.culpability_words and pattern.prep_objects:
        return _engaged_sides(token, actors)  # "forces were engaged in ethnic cleansing"
    return ruled_out_sides(token, actors)


def protester_sides(token: Token, actors: ActorIndex) -> Sides | None:
    """Return ([the protesters], []) of a protest verb whose subject the parser hung the verb
    phrase on as a description ("Palestinian youths resorted to throwing stones during
    demonstrations against X, officials said": "resorted" describing "youths"); None when the
    verb or one it depends on has a subject (the parse gives it). The target is then whom the
    protest is addressed to (``sides.addressee``)."""
    current = token
    for _ in range(4):
        if any(c.dep_ in SUBJECTS for c in current.children):
            return None
        if current.dep_ == "acl" and current.tag_ in ("VBD", "VBN") and current.i != token.i:
            return _mentions(current.head, actors), []
        if current.dep_ not in ("pcomp", "prep", "xcomp") or current.head.i == current.i:
            return None
        current = current.head
    return None


def only_attribution(token: Token, patterns: dict[tuple[str, str], list[Pattern]]) -> bool:
    """True for a speaker's complaint or charge after the clause it tells, where that clause is
    an act coded of its own ("border agents abused migrants, a rights group charged": the abuse
    is the event, the charge only says who tells it); False when the clause tells no act
    ("Croatia is failing to uphold the rights of refugees, a rights group protested": the
    protest is the event) or follows the verb ("alleges the government has pressured others":
    an accusation)."""
    clause = misparsed_report(token) or next(
        (c for c in token.children if c.dep_ == "ccomp"), None)
    if clause is None or clause.i > token.i:
        return False
    verbs = [clause, *(c for c in clause.children if c.dep_ == "conj")]  # not "failed to protect"
    return any(pattern_for(verb, patterns) is not None for verb in verbs)


def death_sides(token: Token, pattern: Pattern, actors: ActorIndex) -> Sides | None:
    """Return (custodians, the dead) of an ill-treatment noun a death verb is told by ("a
    prisoner died of torture in police custody", "died as a result of beatings in an Iranian
    jail"): the dead is the verb's subject, the custodian who owns the custody, prison or jail
    its phrases name; None when no death verb governs the noun."""
    if not pattern.cameo.startswith("182"):
        return None
    verb = token
    for _ in range(5):  # "died as a result of torture": of, result, as, died
        if verb.head.i == verb.i or verb.dep_ not in ("pobj", "prep", "pcomp", "amod", "acomp"):
            break
        verb = verb.head
    if verb.lemma_.lower() not in actors.rules.death_verbs:
        return None
    dead = [m for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
            for m in _mentions(c, actors)]
    custodians = [owner for t in verb.subtree if t.lemma_.lower() in actors.rules.custody_nouns
                  for owner in [actors.owner_of(t)] if owner is not None]
    return custodians[:1], dead


def culprit_sides(token: Token, pattern: Pattern, actors: ActorIndex) -> Sides | None:
    """Return ([the culprits], [whom the act was done to]) of a harmful act (CAMEO 14-20) an
    actor is said guilty of or responsible for ("Los Zetas has been responsible for mass
    killings of migrants": the subject of the copula, or the noun the adjective describes: "the
    commanders responsible for the massacre"; "forces were engaged in ethnic cleansing"); no
    sides for another act one is responsible for ("the minister is responsible for the talks":
    in charge of them); None for another act one is engaged in, and for any other noun."""
    adjective = token.head.head
    placed = adjective.dep_ in ("acomp", "amod") or adjective.pos_ == "VERB"
    if token.dep_ != "pobj" or not placed or \
            adjective.lemma_.lower() not in actors.rules.culpability_words:
        return None
    if pattern.cameo[:2] < "14":  # "were engaged in negotiations": the parse's sides
        return None if adjective.pos_ == "VERB" else ([], [])
    holder = adjective if adjective.pos_ == "VERB" else adjective.head  # "were engaged in"
    culprits = _mentions(adjective.head, actors) if adjective.dep_ == "amod" else [
        m for c in holder.children if c.dep_ in (*SUBJECTS, "nsubjpass")
        for m in _mentions(c, actors)]
    victims = [m for t in token.subtree if t.i != token.i
               for m in [actors.mention_of(t, follow_pronouns=False)] if m is not None]
    return culprits, [m for m in victims if m not in culprits][:1]


def _engaged_sides(token: Token, actors: ActorIndex) -> Sides:
    """Return ([who is engaged in the act], [whom its phrase names]) of a verb of taking part
    whose pattern names the act ("Serb forces were engaged in ethnic cleansing against the
    Albanian population": the forces, the Albanians)."""
    culprits = [m for c in token.children if c.dep_ in (*SUBJECTS, "nsubjpass")
                for m in _mentions(c, actors)]
    victims = [m for p in token.children if p.dep_ == "prep" for t in p.subtree
               for m in [actors.mention_of(t, follow_pronouns=False)] if m is not None]
    return culprits, [m for m in victims if m not in culprits][:1]


def ruled_out_sides(token: Token, actors: ActorIndex) -> Sides | None:
    """Return (speaker, the one the act is done to) of an act a speaker rules out: "US officials
    said removing the sanctions on Burma is out of the question" (the officials, Burma); None
    for an act not ruled out so."""
    if not ruled_out(token, actors.rules.ruling_out_words):
        return None
    clause = token.head
    speakers = [m for c in clause.head.children if c.dep_ in SUBJECTS
                for m in _mentions(c, actors)] if clause.dep_ == "ccomp" else []
    targets = [m for t in token.subtree if t.i != token.i
               for m in [actors.mention_of(t, follow_pronouns=False)] if m is not None]
    return speakers, [m for m in targets if m not in speakers][:1]


def _mentions(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the mentions of a noun phrase head and of the heads conjoined with it."""
    found = [actors.mention_of(part) for part in (token, *token.conjuncts)]
    return [m for m in found if m is not None]
