"""Who did it to whom: the source and target actors of a trigger from the dependency parse.

``dyads`` yields one (source, target) pair per pair of conjoined actors, both directions for a
reciprocal event, and none when the event lacks a source or a target it needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whodid.model import Mention
from whodid.stages.events.actor_index import ActorIndex, contact_clause_noun
from whodid.stages.events.hidden_sides import hidden_sides
from whodid.stages.events.patterns import OBJECTS, QUANTITY_NOUNS, SUBJECTS, Pattern, fits_item
from whodid.stages.events.sides import (
    LOCATIVE,
    PLACE_LABELS,
    addressee,
    captor,
    expand,
    is_located,
    journey,
    named_by_apposition,
    of_country,
    one_state,
    opponent_named,
    partner_preps,
    phrase_doer,
    same_actor,
    same_code,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


Dyad = tuple[Mention | None, Mention | None]


def dyads(token: Token, pattern: Pattern, cameo: str, plover: str,
          actors: ActorIndex) -> Iterator[Dyad]:
    """Yield (source, target) for a trigger coded ``cameo``/``plover``: one per pair of
    conjoined actors; none when the event lacks a source or a target it needs."""
    sources, targets = hidden_sides(token, pattern, actors) or _arguments(token, pattern, actors)
    targets = opponent_named(sources, targets, actors)
    if not sources and pattern.plover in actors.rules.self_passive_categories and \
            any(c.dep_ == "nsubjpass" for c in token.children) and \
            not any(c.dep_ == "agent" for c in token.children):
        sources, targets = targets, []  # "troops were placed on high alert": they mobilise
    if not targets and token.lemma_.lower() in actors.rules.surrender_verbs:
        targets = captor(token, sources, actors)
    if sources and plover in actors.rules.addressed_categories and \
            all(is_located(m, actors) for m in targets):
        # "marched through Nairobi to demand the resignation of the minister": the minister
        targets = addressee(token, actors, sources) or targets
    grouped = any(m.label == "GROUP" for m in sources)
    sources = [actors.localised(m, token) for m in expand(sources)]
    targets = [actors.localised(m, token) for m in expand(targets)]
    if len(sources) == 1:
        targets = [actors.localised(m, token, sources[0], by_sentence=True) for m in targets]
    if len(targets) == 1:
        sources = [actors.localised(m, token, targets[0], by_sentence=True) for m in sources]
    if not targets:
        sources = [actors.localised(m, token, by_sentence=True) for m in sources]
    if len(sources) == 1 and plover in actors.rules.domestic_target_categories:
        targets = [of_country(m, sources[0]) for m in targets]
    mutual = (pattern.reciprocal or grouped or cameo[:2] in actors.rules.joint_roots) and \
        not partner_preps(token, actors)
    if mutual and not targets and len(sources) >= 2:
        for i, first in enumerate(sources):
            for second in sources[i + 1:]:
                yield first, second
                yield second, first
        return
    weapon = any(c.dep_ in SUBJECTS and c.lemma_.lower() in actors.rules.weapon_subjects
                 for c in token.children)
    relative = any(c.dep_ in SUBJECTS and c.tag_ in ("WP", "WDT") for c in token.children)
    if not sources and relative:
        return  # "partners who were fighting": the antecedent is no actor
    if not sources and (plover not in actors.rules.unattributed_categories
                        or token.pos_ not in ("VERB", "AUX") or not (targets or weapon)):
        return  # who did it is unknown ("a car bomb exploded" is kept: violence, told as an act)
    if not targets and cameo[:2] in actors.rules.target_required_roots:
        return  # an intent, meeting, praise... towards no one
    no_one: list[Mention | None] = [None]
    for source in sources or no_one:
        for target in targets or no_one:
            if source is not None and target is not None and (
                    same_actor(source, target) or same_code(source, target)
                    or one_state(source, target, actors)) and not (
                    plover in actors.rules.domestic_target_categories
                    and target.label in PLACE_LABELS and not same_actor(source, target)):
                continue  # "Iraq ... Iraq", "Erdogan ... Turkish forces": not an interaction
            if journey(cameo, source, actors):
                continue  # "refugees arrived in Greece": a journey, not a visit
            yield source, target


def _arguments(token: Token, pattern: Pattern,
               actors: ActorIndex) -> tuple[list[Mention], list[Mention]]:
    """Return the source and target mentions of a trigger from the dependency parse.

    Targets, in order of preference: the object (or the subject of a passive) and the pattern's
    prepositions; the owner or prepositions of an object the pattern names ("rejected South
    Korea's offer", "imposed sanctions on Venezuela"); the subject of a clause the trigger
    governs ("demanded that Russia withdraw"); what a promise or offer is to; the nearest actor
    or place in the object and prepositional phrases.
    """
    if token.pos_ in ("NOUN", "PROPN"):
        return _noun_arguments(token, pattern, actors)
    sources: list[Mention] = []
    targets: list[Mention] = []
    objects: list[Token] = []
    agents = _shared_agents(token)
    passive = bool(agents) or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    if passive and _stative(token, actors):
        passive = False  # "Israel is opposed to mediation": Israel opposes it
    if token.dep_ == "acomp" and _stative(token, actors):
        sources += [m for c in token.head.children if c.dep_ in SUBJECTS
                    for m in _conjoined(c, actors)]  # "Turkey is strongly opposed to talks"
    partners = partner_preps(token, actors)
    if passive and token.dep_ == "acl" and token.tag_ in ("VBN", "VBD"):
        targets += _conjoined(token.head, actors)  # "a woman captured by Kurdish forces"
    for child in token.children:
        if child.dep_ in SUBJECTS or (child.dep_ == "nsubjpass" and not passive):
            sources += _conjoined(child, actors)
        elif child.dep_ == "nsubjpass":
            targets += _conjoined(child, actors)
            objects.append(child)
        elif child.dep_ in OBJECTS and not passive:
            objects.append(child)
            if not pattern.objects or child.dep_ == "dative":
                targets += _conjoined(child, actors)  # an object the pattern names is content
        elif child.dep_ in ("prep", "dative") and child.lower_ in pattern.target_preps and \
                child.lower_ not in partners:
            targets += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]
    if passive:
        sources += [m for agent in agents for p in agent.children if p.dep_ == "pobj"
                    for m in _conjoined(p, actors)]
    elif not objects and not targets and pattern.plover not in actors.rules.targetless_categories:
        objects = _shared_objects(token)  # "Turkey armed and supported the rebels"
        if not pattern.objects:
            targets = [m for o in objects for m in _conjoined(o, actors)]
    relative = any(c.dep_ in SUBJECTS and c.tag_ in ("WP", "WDT") for c in token.children)
    if relative and token.dep_ == "relcl":
        sources = _conjoined(token.head, actors)  # "rebels who attacked": the rebels
    elif not sources:
        sources = _inherited_subject(token, actors)
    if token.dep_ == "relcl" and not targets and _antecedent_undergoes(token):
        targets = _conjoined(token.head, actors)
    antecedent = None if targets else contact_clause_noun(token)
    if antecedent is not None:  # "for the militias Turkey is battling in Syria"
        targets = _conjoined(antecedent, actors)
    if pattern.reciprocal and len(expand(sources)) >= 2 and not targets:
        return sources, targets  # "the Kurdistan Region and the US signed a memorandum"
    if not targets:
        targets = _fallback_targets(token, pattern, actors, sources, objects)
    if bool(sources) != bool(targets):
        sources, targets = _with_counterpart(token, pattern, actors, sources, targets)
    return sources, [m for m in targets if m not in sources]


def _fallback_targets(token: Token, pattern: Pattern, actors: ActorIndex,
                      sources: list[Mention], objects: list[Token]) -> list[Mention]:
    """Return the target of a trigger whose children name none: what its objects own or hold,
    the subject of a clause it governs, what a promise or offer is to, the nearest actor or
    place in its phrases, a place in what a threat is about ([] when none)."""
    targets = _object_targets(objects, pattern, actors)
    if not targets:
        targets = _clause_subjects(token, actors)
        if all(m in sources for m in targets) and \
                pattern.cameo[:2] in actors.rules.complement_codes:
            targets = []  # "vowed he would clear ...": what the vow is about has the target
    if not targets:
        targets = _complement_targets(token, actors)
    if not targets:
        content = [o for o in objects if any(fits_item(i, o) for i in pattern.objects)]
        targets = _nearby_target(token, actors, _search(pattern, actors), exclude=sources,
                                 passed=content)
    if not targets and pattern.cameo[:2] in actors.rules.complement_codes:
        for clause in (c for c in token.children if c.dep_ in ("xcomp", "ccomp")):
            # "threatened to resume attacks in Israel"
            targets = _nearby_target(clause, actors, Search(places=True, located=True),
                                     exclude=sources)
            if targets:
                break
    return targets


def _with_counterpart(token: Token, pattern: Pattern, actors: ActorIndex,
                      sources: list[Mention], targets: list[Mention]
                      ) -> tuple[list[Mention], list[Mention]]:
    """Return the sides of a fight with one side named, the missing one being the armed party
    whose spokesman reports it ("an SDF spokesman said clashes continued with Isis fighters"),
    and of a rejection of requests no one is named as making, the target being whoever reports
    it ("the Kurds say the UK stonewalled requests"). (A surrender to no one named is the
    captor's: ``sides.captor``.)"""
    if token.pos_ in ("NOUN", "PROPN") and token.head.lemma_.lower() == "be":
        return sources, targets  # "the fight against Isis is far from over": a state described
    fight = pattern.reciprocal and pattern.cameo.startswith("19") and not sources
    refusal = pattern.cameo.startswith("12") and not targets and any(
        c.dep_ in OBJECTS and c.lemma_.lower() in actors.rules.request_nouns
        and not any(o.dep_ == "poss" for o in c.children) for c in token.children)
    party = actors.reporting_party(token, armed=not refusal) if fight or refusal else None
    if party is None or any(same_actor(party, m) for m in sources + targets):
        return sources, targets
    return ([party], targets) if fight else (sources, [party])


def _shared_agents(token: Token) -> list[Token]:
    """Return the "by" phrases of a passive trigger: its own, or for a participle with none,
    those of the participles conjoined with it ("rebels armed and paid by Turkey")."""
    own = [c for c in token.children if c.dep_ == "agent"]
    if own or not (token.tag_ == "VBN" or (token.dep_ == "acl" and token.tag_ == "VBD")):
        return own  # (a participle describing a noun may be tagged as a past tense)
    return [c for other in token.conjuncts if other.tag_ == "VBN"
            for c in other.children if c.dep_ == "agent"]


def _shared_objects(token: Token) -> list[Token]:
    """Return the objects a verb shares with the verb conjoined right after it ("armed and
    supported the rebels"): only when nothing of its own follows it, and the other verb has no
    subject of its own ("Russia armed and Turkey attacked the rebels" shares nothing)."""
    if not all(c.dep_ in ("cc", "conj", "punct") for c in token.rights):
        return []
    return [o for other in token.conjuncts if other.i > token.i and other.pos_ == "VERB"
            and not any(c.dep_ in (*SUBJECTS, "nsubjpass") for c in other.children)
            for o in other.children if o.dep_ in ("dobj", "obj")][:1]


def _stative(token: Token, actors: ActorIndex) -> bool:
    """True for a participle that tells a stance of its passive subject, not an act done to it:
    "Israel is opposed to mediation", "Iran is committed to the deal" (no "by" agent, a "to")."""
    return token.lemma_.lower() in actors.rules.stative_participles and \
        not any(c.dep_ == "agent" for c in token.children) and \
        any(c.dep_ == "prep" and c.lower_ == "to" for c in token.children)


def _antecedent_undergoes(clause: Token) -> bool:
    """True when a relative clause does its act to its antecedent: the relative pronoun is its
    passive subject ("civilians who were kidnapped by Isis") or the clause has no relative word,
    object or passive subject ("the militias Turkey is battling"); not "the town where 28 people
    were killed"."""
    children = list(clause.children)
    if any(c.dep_ == "nsubjpass" and c.tag_ in ("WP", "WDT") for c in children):
        return True
    return not any(c.dep_ in (*OBJECTS, "nsubjpass") or c.tag_ in ("WP", "WDT", "WRB")
                   for c in children)


def _object_targets(objects: list[Token], pattern: Pattern, actors: ActorIndex) -> list[Mention]:
    """Return the actors an object leads to: itself or its owner ("South Korea's offer", "Hamas
    targets") or its prepositions ("talks with X", "sanctions on X"). An object the pattern names
    is content ("shared intelligence"): only its owner and prepositions count. A mention without
    a country ("its ambassador to Germany") gives way to one its prepositions lead to."""
    preps = actors.rules.object_target_preps | set(pattern.target_preps)
    weak: list[Mention] = []
    for obj in objects:
        for part in (obj, *obj.conjuncts):
            content = any(fits_item(item, part) for item in pattern.objects)
            mention = actors.mention_of(part)
            if content:  # "Russia's ambassador" counts, a countryless "our troops" does not
                mention = actors.owner_of(part) or (mention if mention is not None and
                                                    mention.actor is not None and
                                                    mention.actor.country else None)
            if mention is not None and mention.actor is not None and mention.actor.country:
                return [mention]
            if mention is not None:
                weak.append(mention)
            for child in part.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    found = [m for p in child.children if p.dep_ == "pobj"
                             for m in _conjoined(p, actors)]
                    if found:
                        return found
            if weak or mention is not None:
                continue
            for clause in (c for c in part.children if c.dep_ == "relcl"):
                # "rejected five names that De Mistura wanted to add": whose names they are
                found = [m for c in clause.children if c.dep_ == "nsubj"
                         and c.tag_ not in ("WP", "WDT") for m in _conjoined(c, actors)]
                if found:
                    return found
    return weak


def _clause_subjects(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the subject of a clause the trigger governs: "demanded that Russia withdraw",
    "urged Japan to" (the object is taken before)."""
    for child in token.children:
        if child.dep_ == "ccomp":
            for grandchild in child.children:
                if grandchild.dep_ in (*SUBJECTS, "nsubjpass"):
                    return _conjoined(grandchild, actors)
    return []


SKIPPED_ON_THE_WAY = frozenset({*SUBJECTS, "nsubjpass", "xcomp", "ccomp", "advcl", "relcl",
                                "pcomp", "conj", "punct", "aux", "agent",
                                "auxpass", "neg", "mark", "advmod", "npadvmod", "cc", "det",
                                "poss"})


@dataclass(frozen=True)
class Search:
    """What the search for a nearby target may take: places (``places``: "shelled Homs" ->
    Syria), the place where the event happened (``located``: a threatened "attack in Israel",
    restrictions eased "in Montenegro province"), anything after "in", "at", "near" (not for a
    ``meeting``: "met in Washington", where people meet is not whom they meet)."""

    places: bool = False
    located: bool = False
    meeting: bool = False
    partners: frozenset[str] = frozenset()
    targeted: frozenset[str] = frozenset()


def _search(pattern: Pattern, actors: ActorIndex) -> Search:
    """Return the nearby-target search of a pattern: places only for acts done to a place or its
    people (attacks, coercion, protests, concessions), never for a meeting, a visit or a plea."""
    root = pattern.cameo[:2]
    return Search(places=root in actors.rules.place_target_roots,
                  located=root in actors.rules.located_target_roots, meeting=pattern.reciprocal,
                  partners=actors.rules.partner_prepositions,
                  targeted=frozenset(pattern.target_preps))


def _where_it_happened(node: Token, trigger: Token, mention: Mention,
                       targeted: frozenset[str] = frozenset()) -> bool:
    """True for a place in a locative phrase of the trigger itself, reached through locative
    prepositions and "of" only: "killed in Mosul", "left the bodies near Raqqa", "demonstrated in
    the city of Kirkuk", "arrested at a rally in Harare" (the event's location, not its target;
    "shelled the town of Douma" is no location, nor is "the assault on the enclave of Afrin",
    whose "on" is a preposition of the pattern's target, in ``targeted``)."""
    if mention.label not in PLACE_LABELS:
        return False
    located = False
    while node.dep_ == "pobj" and node.head.dep_ in ("prep", "dative"):
        preposition = node.head
        if preposition.lower_ in targeted and preposition.head.i == trigger.i:
            return False
        if preposition.lower_ in LOCATIVE:
            located = True
        elif preposition.lower_ != "of":
            return False
        if preposition.head.i == trigger.i:
            return located
        node = preposition.head
    return False


def _nearby_target(token: Token, actors: ActorIndex, search: Search,
                   exclude: list[Mention] | None = None,
                   passed: list[Token] | None = None) -> list[Mention]:
    """Return the nearest actor (or place, as ``search`` allows) below the trigger, through its
    object and prepositional phrases (breadth first; a preposition is no step), not entering its
    subject or the clauses it governs. Tokens in ``passed`` (the content object: "moved the
    troops") are looked through, not taken. The place where it happened is no target, unless the
    act was done to people no actor names ("detained 1,300 people in Moscow": Russians)."""
    level = [c for c in token.children if c.dep_ not in SKIPPED_ON_THE_WAY
             and not (c.dep_ == "prep" and c.lower_ in search.partners)]  # "alongside X"
    unnamed = any(c.dep_ in (*OBJECTS, "nsubjpass") and c.pos_ in ("NOUN", "NUM")
                  and actors.mention_of(c) is None for c in token.children)
    roles: set[int] = set()
    for _ in range(actors.rules.nearby_target_depth):
        while any(node.pos_ == "ADP" for node in level):
            level = [c for node in level for c in (
                node.children if node.pos_ == "ADP" else (node,))
                if c.dep_ not in SKIPPED_ON_THE_WAY]
        if search.meeting:
            level = [n for n in level if not (n.dep_ == "pobj" and n.head.lower_ in LOCATIVE)]
        for node in level:
            if node in (passed or ()) or actors.owns_a_place(node):
                continue
            mention = actors.mention_of(node) or (
                actors.place_of(node) if search.places else None)
            if mention is not None and node.dep_ == "pobj" and \
                    node.head.lower_ in actors.rules.role_prepositions:
                roles.update(t.i for t in node.subtree)  # "four years as envoy to Iraq": a role
            if mention is None or node.i in roles:
                continue
            if not search.located and not unnamed and \
                    _where_it_happened(node, token, mention, search.targeted):
                continue
            if not any(same_actor(mention, m) for m in exclude or ()):
                return [mention]
        level = [c for node in level for c in node.children if c.dep_ not in SKIPPED_ON_THE_WAY
                 and c.i not in roles]
    return []


COMPLEMENT_TARGET_PREPOSITIONS = ("with", "between", "to", "for", "against", "on")


def _complement_targets(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the target of what a verb promises, offers or demands: "offered to negotiate with
    the president of Armenia", "promised to continue military aid to Mozambique", "agreed to
    provide Pakistan with a loan". Partners ("with", "between") come before destinations."""
    clauses = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")]
    clauses = [x for c in clauses for x in (
        [c, *(g for g in c.children if g.dep_ == "xcomp")]
        if c.lemma_.lower() in actors.rules.aspect_verbs else [c])]  # "vowed to continue to clear"
    for child in clauses:
        for grandchild in child.children:
            if grandchild.dep_ in ("dobj", "dative"):
                found = _conjoined(grandchild, actors)
                if found:
                    return found
        phrases = [t for t in child.subtree if t.dep_ == "pobj"
                   and t.head.lower_ in COMPLEMENT_TARGET_PREPOSITIONS]
        phrases.sort(key=lambda t: COMPLEMENT_TARGET_PREPOSITIONS.index(t.head.lower_))
        for phrase in phrases:
            found = _conjoined(phrase, actors)
            if found:
                return found
    return []


def _inherited_subject(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the subject of the verb a subjectless trigger depends on ("agreed to meet",
    "met X and discussed Y", "is ready to host": through an adjective of intent)."""
    if (doer := phrase_doer(token, actors)) is not None:
        return _conjoined(doer, actors)  # "FARC rebels handed over", "a law recognizing"
    for clause in (c for c in token.children if c.dep_ == "ccomp" and c.i < token.i
                   and (c.pos_ == "ADJ" or c.tag_ == "VBN")):
        # "ministers, inclined to keep differences out of sight, criticised": the parse makes
        # the aside the clause of the subject
        for child in clause.children:
            if child.dep_ in SUBJECTS and child.i < clause.i:
                return _conjoined(child, actors)
    current = token
    for _ in range(3):
        climbs = current.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep") or (
            current.dep_ == "acomp" and current.lemma_.lower() in
            actors.rules.intent_adjectives | actors.rules.culpability_words)
        if not climbs or current.head.i == current.i:
            return []  # "Egypt is ready to host talks", "X is guilty of violating": X
        through = current
        current = current.head
        if through.dep_ == "prep" and through.lower_ == "for" and token.dep_ == "pcomp":
            # "thanked the US army for supporting Peshmerga": the one thanked did it
            objects = [c for c in current.children if c.dep_ in ("dobj", "obj")]
            if objects:
                return _conjoined(objects[0], actors)
        for child in current.children:
            if child.dep_ in SUBJECTS:
                return _conjoined(child, actors)
    return []


def _noun_arguments(token: Token, pattern: Pattern,
                    actors: ActorIndex) -> tuple[list[Mention], list[Mention]]:
    """Return the actors of an event noun: "the meeting between X and Y", "X's visit to Y",
    "a Turkish airstrike on Y", and the subject of the verb it is the object of."""
    helped = _helped_owner(token, actors)
    if helped:  # "the UK is coming to Baghdad's aid": the UK helps Baghdad
        verb = token.head.head
        return [m for c in verb.children if c.dep_ in SUBJECTS
                for m in _conjoined(c, actors)] or _inherited_subject(verb, actors), helped
    backers = _backers(token, actors)
    if backers:  # "the YPG led the fight, with the aid of a US-led coalition": the coalition's
        return backers, _clause_subjects_of(token.head.head, actors)
    sources: list[Mention] = []
    targets: list[Mention] = []
    for child in token.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod"):
            mention = actors.mention_of(child)
            if mention is not None:
                sources.append(mention)
        elif child.dep_ == "prep" and child.lower_ in ("between", "among"):
            sources += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]
        elif child.dep_ == "prep" and child.lower_ in pattern.target_preps:
            targets += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]
        elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
            sources += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]  # "demands from Shona rebels"
    if not sources and token.dep_ in (*OBJECTS, "pobj"):
        governor = token.head if token.dep_ != "pobj" else token.head.head
        if governor.dep_ in ("dobj", "obj") and governor.lemma_.lower() in \
                actors.rules.claim_nouns | QUANTITY_NOUNS:  # "began a round of joint exercises"
            governor = governor.head  # "X claimed responsibility for the bombing"
        for child in governor.children:
            if child.dep_ in SUBJECTS:
                sources += _conjoined(child, actors)
    if not targets and token.dep_ in (*OBJECTS, "nsubj"):
        targets = _verb_prep_targets(token.head, pattern, actors)  # "clashes continued with X"
    if not targets:
        targets = _stranded_prep_targets(token, pattern, actors)
    if not targets:
        targets = _for_clause_subjects(token, actors)
    between = any(c.dep_ == "prep" and c.lower_ in ("between", "among") for c in token.children)
    if not targets and not (between and len(sources) >= 2):
        targets = _nearby_target(token, actors, _search(pattern, actors), exclude=sources)
    if bool(sources) != bool(targets):
        return _with_counterpart(token, pattern, actors, sources, targets)
    return sources, targets


def _helped_owner(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the owner of an event noun that a verb of coming leads to ("came to Kyiv's aid",
    "rushed to the rebels' defence"): the one helped, not the helper."""
    if token.dep_ != "pobj" or token.head.lower_ != "to" or \
            token.head.head.lemma_.lower() not in actors.rules.coming_verbs:
        return []
    return [m for c in token.children if c.dep_ == "poss" for m in _conjoined(c, actors)]


def _backers(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return who gives an event noun after "with": its owner or its "of" phrase ("with the aid
    of a US-led coalition", "with Turkish backing"); none for other nouns."""
    if token.dep_ != "pobj" or token.head.lower_ != "with":
        return []
    owners = [m for c in token.children if c.dep_ in ("poss", "amod", "compound", "nmod")
              for m in [actors.mention_of(c)] if m is not None]
    return owners or [m for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" for m in _conjoined(p, actors)]


def _clause_subjects_of(verb: Token, actors: ActorIndex) -> list[Mention]:
    """Return the subject of ``verb``, the antecedent of a relative one ("the force that, with
    Turkish backing, took Afrin": the force), else the subject it inherits; a noun the phrase
    hangs on is itself the one backed ("Kurdish fighters, with American backing, drove")."""
    if verb.pos_ in ("NOUN", "PROPN"):
        return _conjoined(verb, actors)
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return _conjoined(verb.head, actors)
            return _conjoined(child, actors)
    return _inherited_subject(verb, actors)


def _for_clause_subjects(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the subject of a "for ... to" or "that" clause an event noun governs: the one
    asked in "a call for Russia to withdraw", "its demand that Israel ease restrictions"."""
    return [m for clause in token.children if clause.dep_ in ("advcl", "acl")
            and any(c.dep_ == "mark" and c.lower_ in ("for", "that") for c in clause.children)
            for s in clause.children if s.dep_ in SUBJECTS for m in _conjoined(s, actors)]


def _verb_prep_targets(verb: Token, pattern: Pattern, actors: ActorIndex) -> list[Mention]:
    """Return the objects of the prepositions an event noun's pattern names that the parse
    hangs on the verb the noun is the object or subject of: "waged war against the Taliban",
    "carried out raids on the camps", "clashes continued with Isis" (the phrase belongs to the
    noun)."""
    return [m for child in verb.children if child.dep_ == "prep"
            and child.lower_ in pattern.target_preps for p in child.children
            if p.dep_ == "pobj" for m in _conjoined(p, actors)]


def _stranded_prep_targets(token: Token, pattern: Pattern, actors: ActorIndex) -> list[Mention]:
    """Return the target of the pattern's preposition right after an event noun that the parse
    hung on a word above it: "played a key role in Turkey's assault on the enclave of Afrin"
    (the actors of its object, else the place it names)."""
    after = token.right_edge.i + 1
    if after >= len(token.doc):
        return []
    preposition = token.doc[after]
    if preposition.dep_ != "prep" or preposition.lower_ not in pattern.target_preps or \
            preposition.head not in token.ancestors:
        return []
    found = [m for p in preposition.children if p.dep_ == "pobj" for m in _conjoined(p, actors)]
    return found or _nearby_target(preposition, actors, _search(pattern, actors))


def _conjoined(token: Token, actors: ActorIndex) -> list[Mention]:
    """Return the mentions of an argument and of the arguments conjoined with it."""
    found: list[Mention] = []
    named = [a for a in token.children if a.dep_ == "appos" and actors.mention_of(a) is not None]
    if named and token.pos_ == "NOUN" and actors.mention_of(token) is None:
        return _conjoined(named[0], actors)  # "the guarantors – Russia, Turkey and Iran – said"
    for part in (token, *token.conjuncts):
        mention = named_by_apposition(part, actors.mention_of(part), actors)
        if mention is not None and mention.label == "AGENT":
            origins = [actors.mention_of(p) for prep in part.children if prep.dep_ == "prep"
                       and prep.lower_ in ("from", "of") for pobj in prep.children
                       if pobj.dep_ == "pobj" and pobj.conjuncts for p in (pobj, *pobj.conjuncts)]
            if len(origins) > 1 and all(origins):
                # "negotiators from Armenia and Azerbaijan": one party per origin
                found += [m for m in origins if m is not None and m not in found]
                continue
        found += [m for m in actors.with_conjoined_modifiers(part, mention) if m not in found]
    return found
