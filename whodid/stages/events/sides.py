"""The sides of an event beyond the parse: whom a surrender was made to, the country of a
countryless side, groups expanded to their members, and the tests that tell two sides are one
actor or one state (used by ``arguments.dyads``), or that a future act is foretold by another
side (``foretold_by_another``, used by the stage)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from whodid.model import Mention
from whodid.stages.events.actor_index import ActorIndex
from whodid.stages.events.patterns import OBJECTS, SUBJECTS, fits_item
from whodid.stages.events.reality import reporting_verb

if TYPE_CHECKING:
    from spacy.tokens import Token


LOCATIVE = frozenset({"in", "at", "near", "inside", "outside", "around", "on", "through",
                      "across", "throughout"})
PLACE_LABELS = frozenset({"PLACE", "COUNTRY"})


def captor(token: Token, sources: list[Mention], actors: ActorIndex) -> list[Mention]:
    """Return to whom a surrender naming no one was made: the speaker who tells of it, when an
    armed or state party other than those surrendering ("Isis fighters had surrendered, an SDF
    commander said": the SDF)."""
    speaker = actors.speaker_of(token)
    actor = speaker.actor if speaker is not None else None
    if speaker is None or actor is None or not actor.code or any(
            same_actor(speaker, m) or same_code(speaker, m) for m in sources):
        return []
    sector = actor.code[3:6] if actor.country else actor.sector or ""
    return [speaker] if sector in actors.rules.captor_sectors else []


def of_country(mention: Mention, partner: Mention) -> Mention:
    """Return a countryless sector ("the government") as of its partner's country: protesters
    address their own state ("Algerians pressed their demands on the government")."""
    actor, country = mention.actor, partner.actor.country if partner.actor else None
    if actor is None or actor.country or not actor.code or len(actor.code) != 3 or not country:
        return mention
    return replace(mention, actor=replace(actor, code=country + actor.code, country=country))


def is_located(mention: Mention, actors: ActorIndex) -> bool:
    """True for a place named as where something happened ("in Kirkuk", "through Nairobi")."""
    span = actors.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return mention.label in PLACE_LABELS and span is not None and \
        span.root.dep_ == "pobj" and span.root.head.lower_ in LOCATIVE


def addressee(token: Token, actors: ActorIndex, sources: list[Mention]) -> list[Mention]:
    """Return whom a protest is addressed to: the nearest actor its clause names outside its
    subject, in its purpose or demands too ("staged demonstrations to demand reforms by
    Suharto's government", "rioted calling for the removal of President Mubarak")."""
    clause = token.head if token.pos_ in ("NOUN", "PROPN") and token.dep_ in OBJECTS else token
    level = [c for c in clause.children if c.dep_ not in (*SUBJECTS, "nsubjpass")]
    for _ in range(actors.rules.addressee_depth):
        for node in level:
            mention = actors.mention_of(node, follow_pronouns=False)
            if mention is not None and mention.label not in PLACE_LABELS and \
                    not any(same_actor(mention, m) for m in sources):
                return [mention]
        level = [c for node in level for c in node.children]
    return []


def partner_preps(token: Token, actors: ActorIndex) -> frozenset[str]:
    """Return the prepositions of a trigger whose objects act with its subject, not upon it:
    "fought alongside the SDF", and "with" beside "against" ("fought with the US against Isis")."""
    preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
    partners = preps & actors.rules.partner_prepositions
    if "against" in preps and "with" in preps:
        partners.add("with")
    return frozenset(partners)


def expand(mentions: list[Mention]) -> list[Mention]:
    """Return ``mentions`` with each GROUP ("the pair") or agent of conjoined countries ("U.S.
    and Russian negotiators") replaced by one mention per member."""
    result: list[Mention] = []
    for mention in mentions:
        if mention.label == "GROUP" or mention.members:
            how = "group" if mention.label == "GROUP" else mention.resolved_by
            result += [Mention(mention.text, mention.start, mention.end, mention.label,
                               actor=member, resolved_by=how) for member in mention.members]
        else:
            result.append(mention)
    result = [m for m in result if m.actor is not None and m.actor.code]
    if any(m.actor and m.actor.country for m in result):
        # "the people, government, and the US army": a bare "government" beside a national
        # actor is not a separate, countryless target
        result = [m for m in result if m.label != "AGENT" or (m.actor and m.actor.country)]
    return result


def journey(cameo: str, source: Mention | None, actors: ActorIndex) -> bool:
    """True when a visit (``rules.visit_codes``) is made by travellers: "refugees arrived in
    Greece", "pupils travelled to Uganda" are journeys, not visits."""
    return cameo[:3] in actors.rules.visit_codes and traveller(source, actors)


def traveller(mention: Mention | None, actors: ActorIndex) -> bool:
    """True for people whose arrival somewhere is a journey, not a visit (refugees, migrants,
    civilians)."""
    code = (mention.actor.code if mention is not None and mention.actor is not None else "") or ""
    sectors = actors.rules.traveller_sectors
    return code in sectors or code[3:6] in sectors


def one_state(first: Mention, second: Mention, actors: ActorIndex) -> bool:
    """True when both mentions are arms of one state ("Erdogan threatened to send Turkish
    forces": his own forces are no target)."""
    a, b = first.actor, second.actor
    if a is None or b is None or not a.country or a.country != b.country:
        return False
    sectors = actors.rules.state_sectors
    return (a.code or "")[3:6] in sectors and (b.code or "")[3:6] in sectors


def same_code(first: Mention, second: Mention) -> bool:
    """True when both mentions have actors with the same code."""
    return first.actor is not None and second.actor is not None and \
        first.actor.code == second.actor.code


def same_actor(first: Mention, second: Mention) -> bool:
    """True when both mentions name one actor: the same KB id, or the same code and name."""
    a, b = first.actor, second.actor
    if a is None or b is None:
        return False
    if a.kb_id and a.kb_id == b.kb_id:
        return True
    return a.code == b.code and (a.name == b.name or not a.name or not b.name)


def opponent_named(sources: list[Mention], targets: list[Mention],
                   actors: ActorIndex) -> list[Mention]:
    """Return the side a source's own phrase names it as against ("the coalition against Isis
    has killed 60,000 fighters": Isis) in place of targets that are all countryless fighters
    ("fighters", "militants"); else ``targets`` unchanged."""
    if not targets or not all(_countryless_fighters(m, actors) for m in targets):
        return targets
    for source in sources:
        span = actors.doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None:
            continue
        named = [m for prep in span.root.children if prep.dep_ == "prep"
                 and prep.lower_ in actors.rules.opposing_prepositions
                 for pobj in prep.children if pobj.dep_ == "pobj"
                 for m in (_named_so(pobj, sources, actors),) if m is not None]
        if named:
            return named
    return targets


def _countryless_fighters(mention: Mention, actors: ActorIndex) -> bool:
    """True for an armed group of no country nor known organisation ("60,000 fighters")."""
    actor = mention.actor
    return actor is not None and not actor.country and not actor.kb_id and \
        (actor.code or "") in actors.rules.insurgent_sectors


def _named_so(token: Token, sources: list[Mention], actors: ActorIndex) -> Mention | None:
    """Return the actor a noun stands for, or, when a name lies inside a source's own name ("the
    international coalition against Isis", one known organisation), the actor that name stands
    for where the article uses it elsewhere ("Isis fighters"); None when it is none but the
    sources'."""
    mention = actors.mention_of(token)
    if mention is not None and mention not in sources:
        return mention
    if token.pos_ != "PROPN":
        return None
    return next((m for t in token.doc if t.lower_ == token.lower_ and t.i in actors.by_token
                 for m in (actors.by_token[t.i],) if m not in sources), None)


def foretold_by_another(token: Token, source: Mention | None, actors: ActorIndex) -> bool:
    """True for an act in the future that its speaker foretells of another side ("Syria said
    the US would send troops", "analysts said Turkey will attack": the speaker is a forecaster,
    ``rules.forecaster_nouns``): a forecast, no intent of ``source``. The speaker's own act
    ("Iran said it would retaliate", "Israel will leave Gaza, an Israeli spokesman said") or
    one told by a speaker of no known side ("diplomatic sources said") is an intent."""
    verb = reporting_verb(token, actors.rules)
    if verb is None or source is None:
        return False
    speakers = [c for c in verb.children if c.dep_ in SUBJECTS]
    if any(s.lemma_.lower() in actors.rules.forecaster_nouns for s in speakers):
        return True
    mentions = [m for s in speakers for m in (actors.mention_of(s),) if m is not None]
    side = _side(source)
    return side is not None and any(_side(m) not in (None, side) for m in mentions)


def _side(mention: Mention) -> str | None:
    """Return the side a mention speaks for: its country, or its organisation's code for one of
    no country ("IGOUNO"); None when unknown."""
    actor = mention.actor
    if actor is None:
        return None
    code = actor.code or ""
    return actor.country or (code[:6] if code[:3] in ("IGO", "NGO", "IMG", "MNC") else None)


def joint_exercise(token: Token, cameo: str, pairs: list[tuple[Mention | None, Mention | None]],
                   actors: ActorIndex) -> list[tuple[Mention, Mention]]:
    """Return, for exercises two or more countries hold together ("French and Egyptian
    warships launched war games"), each source with each of another country (the joint code of
    ``rules.joint_exercise_codes``; a place they are held in is no target); [] for any other
    event (one country's drills)."""
    rules = actors.rules
    if cameo != rules.joint_exercise_codes[0]:
        return []
    said = [token, *(c for c in token.children if c.dep_ in OBJECTS)]
    if not any(fits_item(word, t) for word in rules.exercise_words for t in said):
        return []
    sources = list({id(s): s for s, _ in pairs if s is not None and s.actor is not None
                    and s.actor.country}.values())
    return [(first, second) for first in sources for second in sources
            if first.actor and second.actor and first.actor.country != second.actor.country]


def phrase_doer(token: Token, actors: ActorIndex) -> Token | None:
    """Return who does what a trigger in a noun phrase describes: the noun itself when the parse
    made a sentence a phrase ("FARC rebels handed over ..." as "rebels [who] handed over"), the
    subject of the verb whose object is the law or decree ("the parliament approved a law
    recognizing the victories", "issued a decree lifting the curfew":
    ``rules.enactment_nouns``); None otherwise."""
    noun = token.head
    if token.dep_ != "acl":
        return None
    if noun.dep_ == "ROOT" and token.tag_ == "VBD":
        return noun
    if noun.dep_ not in OBJECTS or noun.lemma_.lower() not in actors.rules.enactment_nouns:
        return None
    return next((c for c in noun.head.children if c.dep_ in SUBJECTS), None)


def named_by_apposition(token: Token, mention: Mention | None,
                         actors: ActorIndex) -> Mention | None:
    """Return the person apposed to a countryless title ("the foreign secretary, Jeremy Hunt,
    spoke": Hunt, GBRGOV) when that person has a country, else ``mention``."""
    if mention is None or mention.actor is None or mention.actor.country:
        return mention
    for child in token.children:
        if child.dep_ == "appos":
            apposed = actors.mention_of(child)
            if apposed is not None and apposed.label == "PERSON" and apposed.actor is not None \
                    and apposed.actor.country:
                return apposed
    return mention
