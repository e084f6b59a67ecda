"""The events stage: who did what to whom, in CAMEO and PLOVER, with the evidence for it.

For every sentence (rules in ``data/events/rules.yaml``, verb patterns in ``patterns.tsv``):
1. Triggers: a verb or event noun whose lemma has patterns; the most specific pattern whose
   object, preposition and particle requirements hold is chosen. Questions are not coded.
2. Is it real? A trigger under a negation is kept with ``negated: true``; one in a conditional
   ("if"), under a hypothetical modal ("could", "would"), or in a clause that something imagines,
   fears, denies, plans or refuses ("Everybody imagined that ISIS would come back") is dropped,
   and so is the act a governing verb only intends ("agreed to meet": the agreeing is the event).
   A cooperative act in the future ("will sign", "is ready to host") becomes the intent to do it
   (CAMEO 03, AGREE), a hostile one a threat (13); one a speaker foretells of another side or
   an analyst foretells ("analysts said Turkey will attack") is a forecast and is dropped.
3. Arguments from the parse: subject -> source, object or the pattern's prepositions -> target;
   passives ("was attacked by"); conjunctions (one event per pair); reciprocal patterns with a
   plural subject ("X and Y met", "the pair talked") give both directions, and exercises two
   or more countries hold together are joint (COOPERATE, ``sides.joint_exercise``); event nouns take
   their actors from "between X and Y", possessives and modifiers. Pronouns: "he"/"she" is the
   last person named, "we"/"I" the speaker (the subject of the sentence's reporting verb, or of
   the quote the sentence belongs to). Speech itself is not an event: in "Pompeo said X attacked
   Y" the event is X -> Y.
4. The precision policy: an event without a source (unless its category allows an unnamed one,
   a crowd protesting) or without a target (unless it is an act done alone: withdrawing,
   yielding, mobilising, protesting) is kept but marked ``incomplete``, with a lower confidence;
   listings, stats and exports leave it out unless asked (``rules.yaml``, ``*_categories``).
5. The second opinion (``second_opinion``, ``Options.second_opinion``): the event classifier
   lowers the confidence of a rule event whose category it finds implausible for the sentence,
   and rescues a sentence no rule coded when it is confident of one category (trigger: the verb
   the category fits, or the main verb; arguments as above; ``method: "classifier"``).
6. Each event gets its sentence, its evidence (the clause of the sentence that states it, not
   the whole sentence: ``evidence``) and that evidence's span, Goldstein value and QuadClass
   (GDELT), its PLOVER category and mode, a confidence and a stable id. Repeated tellings are
   marked later, once dates and places are known (``whodid.stages.repeats``).

Reads: doc, mentions, text, id. Sets: events (events.incomplete, events.confidence,
events.method included).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from typing import TYPE_CHECKING

from whodid.knowledge.codebook import PLOVER_CATEGORIES, goldstein, plover_of, quad_class
from whodid.model import Actor, Article, Event, Mention, Participant
from whodid.stages.events.actor_index import ActorIndex
from whodid.stages.events.arguments import dyads
from whodid.stages.events.evidence import evidence_span
from whodid.stages.events.hidden_sides import only_attribution
from whodid.stages.events.patterns import (
    EventCoder,
    EventRules,
    Pattern,
    carried_by_its_verb,
    pattern_for,
)
from whodid.stages.events.reality import (
    attempted,
    intent_code,
    on_condition,
    planned_journey,
    reality_of,
    refusal,
    tells_no_act,
    threat_code,
    verbal_clash,
)
from whodid.stages.events.refinement import refined_code, serves_a_protest
from whodid.stages.events.second_opinion import (
    SecondOpinion,
    as_rescued,
    direct_sides,
    doubted,
    rescue_category,
    rescue_trigger,
)
from whodid.stages.events.sides import foretold_by_another, joint_exercise, journey
from whodid.stages.events.token_table import TokenTable, trigger_candidates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["EventCoder", "code_events"]


def code_events(article: Article, coder: EventCoder,
                opinion: SecondOpinion | None = None) -> Article:
    """Return ``article`` with ``events`` set: every event of every sentence of its ``doc``,
    between its ``mentions`` (see the module docstring for the steps), reconsidered with the
    classifier's ``opinion`` when given (``second_opinion``)."""
    doc: Doc = article.doc
    actors = ActorIndex(doc, article.mentions, coder.rules)
    candidates = trigger_candidates(actors.table, coder.patterns)
    text = article.text  # the doc's text (a span's text is built anew at each reading)
    events: list[Event] = []
    for index, sentence in enumerate(actors.sentences):
        if text[sentence.start_char:sentence.end_char].rstrip().rstrip("”\"'’").endswith("?"):
            continue
        found: list[Event] = []
        first = bisect_left(candidates, sentence.start)
        last = bisect_left(candidates, sentence.end)
        for token in (doc[i] for i in candidates[first:last]):  # the others have no pattern
            pattern = pattern_for(token, coder.patterns)
            if pattern is None or carried_by_its_verb(
                    token, coder.patterns, coder.rules.reporting_verbs) or \
                    token.dep_ == "amod":
                continue  # "the besieged town"
            reading = _rule_reading(token, pattern, coder)
            if reading is None:
                continue  # the trigger tells no act
            cameo, plover, reality = reading
            pairs: list[tuple[Mention | None, Mention | None]] = list(
                dyads(token, pattern, cameo, plover, actors))
            joint = joint_exercise(token, cameo, pairs, actors)
            if joint:  # "French and Egyptian warships launched war games": PLOVER COOPERATE
                cameo = coder.rules.joint_exercise_codes[1]
                plover, pairs = plover_of(cameo) or plover, list(joint)
            for source, target in pairs:
                if reality == "future" and foretold_by_another(token, source, actors):
                    continue  # "analysts said Turkey will attack": a forecast
                code, category = _in_words(token, cameo, plover, source, target, coder.rules)
                found.append(_event(article, index, sentence, token, pattern, code, category,
                                    source, target, reality == "negated", coder.rules,
                                    actors.table))
        if opinion is not None:
            found = _reconsidered(article, index, sentence, found, actors, coder, opinion)
        events.extend(found)
    article.events = _unique(events)
    return article


def _in_words(token: Token, cameo: str, plover: str, source: Mention | None,
              target: Mention | None, rules: EventRules) -> tuple[str, str]:
    """Return the code and category of a clash between two people or officials ("the UK
    ambassador clashed with Trump"): a disagreement told in words (``rules.disagreement_code``);
    else ``cameo`` and ``plover`` unchanged."""
    if token.lemma_.lower() in rules.clash_verbs and cameo[:2] in rules.fight_roots and \
            all(_speaking_side(side, rules) for side in (source, target)):
        return rules.disagreement_code, plover_of(rules.disagreement_code) or plover
    return cameo, plover


def _speaking_side(side: Mention | None, rules: EventRules) -> bool:
    """True for a person or an official body (``rules.official_sectors``), not an armed one."""
    code = (side.actor.code or "") if side is not None and side.actor is not None else ""
    return side is not None and side.label in ("PERSON", "AGENT", "ORG") and \
        code[3:6] in rules.official_sectors


def _rule_reading(token: Token, pattern: Pattern, coder: EventCoder
                  ) -> tuple[str, str, str] | None:
    """Return how the rules read a trigger that has a ``pattern``: its CAMEO code, PLOVER
    category and reality ("real", "negated"...), the code refined by its context, a refusal
    or a future turned into what it is (REJECT, an intent, a threat); None when the trigger
    tells no act: figurative, a publication, a name, a warning of what could happen, a
    description, a statement refused, part of a protest, unreal, a journey only planned."""
    rules = coder.rules
    if tells_no_act(token, pattern.cameo, rules, pattern.objects):
        return None  # "fight the coronavirus", "declined to comment"
    if "@told" in pattern.objects and only_attribution(token, coder.patterns):
        return None  # "agents abused migrants, a rights group charged": the abuse is the event
    if pattern.plover in ("REQUEST", "ACCUSE", "PROTEST") and \
            serves_a_protest(token, coder.patterns):
        return None  # "demonstrated in Kirkuk calling for independence": one protest
    reality = reality_of(token, rules)
    if reality == "unreal" and attempted(token, pattern.cameo, rules):
        reality = reality_of(token.head, rules)  # "tried to assassinate"
    if reality == "unreal":
        return None
    cameo = refined_code(token, pattern.cameo, coder)
    if verbal_clash(token, cameo, rules):
        cameo = rules.disagreement_code  # "clashed with Trump's assessment": words, no fight
    plover = pattern.plover if cameo[:2] == pattern.cameo[:2] else (
        plover_of(cameo) or pattern.plover)
    if reality == "refused":
        cameo, plover, reality = refusal(cameo, plover, rules)
    if reality == "future" and planned_journey(token, cameo, rules):
        return None  # "will travel to Paris for talks on Tuesday": the writer's schedule
    if reality == "future":
        intent = intent_code(cameo, rules)
        threat = threat_code(cameo, rules, on_condition(token, rules))
        if intent is not None and not on_condition(token, rules, threatening=True):
            return intent, "AGREE", reality
        if threat is None:
            return None
        return threat, "THREATEN", reality  # "would boycott all contact": a threat
    return cameo, plover, reality


def _reconsidered(article: Article, index: int, sentence: Span, found: list[Event],
                  actors: ActorIndex, coder: EventCoder, opinion: SecondOpinion) -> list[Event]:
    """Return the rule events ``found`` in a sentence as the classifier's second opinion leaves
    them: the doubted ones less confident; when there are none, the event it rescues, if any."""
    probabilities = opinion.probabilities(sentence)
    if found:
        return doubted(found, probabilities, opinion)
    best = rescue_category(probabilities, opinion)
    rescue = None if best is None else rescue_trigger(sentence, *best, coder, opinion)
    if rescue is None:
        return []
    token, pattern = rescue
    source, target = direct_sides(token, actors)
    if journey(pattern.cameo, source, actors):
        return []  # "pupils travelled to Uganda": a journey, as the rules judge it
    return [as_rescued(_event(article, index, sentence, token, pattern, pattern.cameo,
                              pattern.plover, source, target, False, coder.rules,
                              actors.table), opinion)]


def _participant(mention: Mention | None) -> Participant | None:
    """Return the event participant of a resolved mention (None without an actor)."""
    if mention is None or mention.actor is None:
        return None
    actor: Actor = mention.actor
    return Participant(text=mention.text, name=actor.name, code=actor.code, country=actor.country,
                       sector=actor.sector, kb_id=actor.kb_id)


def _event(article: Article, index: int, sentence: Span, token: Token, pattern: Pattern, cameo: str,
           plover: str, source: Mention | None, target: Mention | None, negated: bool,
           rules: EventRules, table: TokenTable) -> Event:
    """Return the Event of one trigger and dyad (``table``: that of the article's doc)."""
    weights = rules.confidence
    confidence = weights["base"]
    confidence += weights["specific_pattern"] if pattern.specificity else 0.0
    confidence += weights["source_resolved"] if source is not None else 0.0
    confidence += weights["target_resolved"] if target is not None else 0.0
    indirect = [m for m in (source, target) if m is not None and m.resolved_by in (
        "coreference", "group")]
    confidence += weights["by_coreference"] if indirect else 0.0
    confidence += weights["noun_event"] if pattern.pos == "NOUN" else 0.0
    src, tgt = _participant(source), _participant(target)
    category = plover if plover in PLOVER_CATEGORIES else plover_of(cameo)
    incomplete = missing_side(category, src, tgt, rules)
    confidence += weights["incomplete"] if incomplete else 0.0
    confidence += _doubt(src, tgt, weights)
    key = "|".join([article.id, str(index), str(token.idx), cameo,
                    (src.code or "") if src else "", (tgt.code or "") if tgt else "",
                    src.text if src else "", tgt.text if tgt else ""])
    start, end = evidence_span(sentence, token, [(m.start, m.end) for m in (source, target)
                                                 if m is not None], table)
    return Event(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        sentence=index, span=(start, end), evidence=article.text[start:end],
        cameo=cameo, plover=category,
        mode=pattern.mode if plover == pattern.plover else None,
        goldstein=goldstein(cameo), quad_class=quad_class(cameo), source=src, target=tgt,
        negated=negated, incomplete=incomplete,
        confidence=round(min(max(confidence, 0.05), 0.95), 2),
        trigger=token.text, trigger_span=(token.idx, token.idx + len(token.text)))


def _doubt(source: Participant | None, target: Participant | None,
           weights: dict[str, float]) -> float:
    """Return what lowers the confidence of an event for its sides: not knowledge-base actors,
    no target, or both of one country (see ``confidence`` in ``rules.yaml``)."""
    doubt = weights["source_outside_kb"] if source is not None and not source.kb_id else 0.0
    doubt += weights["target_outside_kb"] if target is not None and not target.kb_id else 0.0
    doubt += weights["no_target"] if target is None else 0.0
    if source is not None and target is not None and source.country and \
            source.country == target.country:
        doubt += weights["one_country"]
    return doubt


def missing_side(plover: str | None, source: Participant | None, target: Participant | None,
                 rules: EventRules) -> bool:
    """True when an event of category ``plover`` lacks a side it needs: a source (unless the
    category allows an unnamed one, as a crowd protesting) or a target (unless it is an act done
    alone: withdrawing, yielding, mobilising, protesting)."""
    if source is None and plover not in rules.sourceless_categories:
        return True
    return target is None and plover not in rules.targetless_categories


def _unique(events: list[Event]) -> list[Event]:
    """Return ``events`` without the later ones of an id already seen."""
    seen: set[str] = set()
    result = []
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            result.append(event)
    return result
