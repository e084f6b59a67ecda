"""The event classifier's second opinion on the rules' events of a sentence.

The rules find triggers, arguments and evidence; the classifier (``whodid.knowledge.classifier``)
gives, for the sentence (its words and its parse), the probability of each PLOVER category and
of NONE. With them (numbers in ``data/events/second_opinion.yaml``):

1. Doubt: a rule event whose category the classifier finds less likely than chance
   (``implausible_below``) keeps its place but loses confidence (``implausible_penalty``). It
   is not vetoed: measured on the visible gold sets, such events were still of the right type
   three times in four.
2. Rescue: a sentence without any rule event (negated ones included) where the classifier gives
   one category at least ``rescue_threshold`` gets an event of that category. Its trigger is a
   verb or event noun whose fitting pattern is of that category (whose code it takes: the rules
   found the word but no event, for want of a side); else, only when the classifier reaches
   ``trusted_threshold``, the sentence's main verb (under a reporting verb, the verb it reports)
   with the category's default code (``default_codes``), unless a word of the sentence tells an
   act of the category that the rules judge unreal ("demanded that Israel ease restrictions":
   the classifier saw the easing, which is only asked for). A trigger under a negation, a
   condition, a hypothetical or a future is not rescued. Its arguments are the trigger's own
   subject (or passive agent) and object (or passive subject), resolved through the rules' actor
   index (``direct_sides``); the stage gives it the rules' confidence for them plus
   ``rescue_penalty`` and ``method: "classifier"``, and it is ``incomplete`` (kept, not shown by
   default) unless its sides are knowledge-base actors of two countries (``as_rescued``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from whodid.knowledge.classifier import NONE, EventClassifier, load_classifier
from whodid.knowledge.codebook import PLOVER_CATEGORIES, plover_of
from whodid.knowledge.rules import key_error, packaged, yaml_mapping
from whodid.model import Event, Mention
from whodid.stages.events.patterns import OBJECTS, SUBJECTS, EventCoder, Pattern, pattern_for
from whodid.stages.events.reality import (
    reality_of,
    tells_no_act,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from whodid.stages.events.actor_index import ActorIndex

SETTINGS_FILE = "events/second_opinion.yaml"
NUMBERS = ("rescue_threshold", "trusted_threshold", "implausible_below", "implausible_penalty",
           "rescue_penalty")
PROBABILITIES = ("rescue_threshold", "trusted_threshold", "implausible_below")
CLASSIFIER_METHOD = "classifier"


@dataclass(frozen=True)
class SecondOpinion:
    """The classifier and the numbers of ``second_opinion.yaml``."""

    classifier: EventClassifier
    rescue_threshold: float
    trusted_threshold: float
    implausible_below: float
    implausible_penalty: float
    rescue_penalty: float
    default_codes: dict[str, str]

    @classmethod
    def load(cls, classifier: EventClassifier | None = None,
             settings: Traversable | None = None) -> SecondOpinion:
        """Return the second opinion of ``classifier`` (default: the packaged model) with the
        numbers of ``settings`` (default: the packaged file); RuleFileError naming the file and
        key of a missing or wrong number, or of a default code not of its category."""
        source = settings or packaged(SETTINGS_FILE)
        data = yaml_mapping(source)
        numbers = {}
        for key in NUMBERS:
            if not isinstance(data.get(key), int | float):
                raise key_error(source, key, "expected a number")
            numbers[key] = float(data[key])
            if key in PROBABILITIES and not 0 <= numbers[key] <= 1:
                raise key_error(source, key, "expected a probability (0-1)")
        codes = data.get("default_codes")
        if not isinstance(codes, dict) or set(codes) != set(PLOVER_CATEGORIES):
            raise key_error(source, "default_codes", "expected a CAMEO code for every PLOVER "
                            f"category ({', '.join(PLOVER_CATEGORIES)})")
        wrong = [c for c, code in codes.items() if plover_of(str(code)) != c]
        if wrong:
            raise key_error(source, "default_codes", f"the code of {wrong[0]} is not one of its "
                            "category")
        return cls(classifier=classifier or load_classifier(),
                   default_codes={str(k): str(v) for k, v in codes.items()}, **numbers)

    def probabilities(self, sentence: Span | str) -> dict[str, float]:
        """Return the classifier's probability of each label for ``sentence``: its parsed
        Span (its text would be parsed again)."""
        return self.classifier.probabilities(sentence)


def doubted(events: list[Event], probabilities: dict[str, float],
            opinion: SecondOpinion) -> list[Event]:
    """Return the rule ``events`` of a sentence, those whose category the classifier finds
    implausible (``probabilities`` of the sentence) with a lower confidence."""
    result = []
    for event in events:
        if event.plover is not None and \
                probabilities.get(event.plover, 1.0) < opinion.implausible_below:
            confidence = round(max(event.confidence + opinion.implausible_penalty, 0.05), 2)
            event = dataclasses.replace(event, confidence=confidence)
        result.append(event)
    return result


def rescue_category(probabilities: dict[str, float],
                    opinion: SecondOpinion) -> tuple[str, float] | None:
    """Return the category the classifier finds most probable other than NONE, with its
    probability, when that is at least ``rescue_threshold``; else None."""
    categories = [(p, label) for label, p in probabilities.items() if label != NONE]
    if not categories:
        return None
    probability, category = max(categories)
    return (category, probability) if probability >= opinion.rescue_threshold else None


def rescue_trigger(sentence: Span, category: str, probability: float, coder: EventCoder,
                   opinion: SecondOpinion) -> tuple[Token, Pattern] | None:
    """Return the trigger of a rescued ``category`` event in ``sentence`` and the pattern it
    is coded by: a real verb or event noun whose fitting pattern (``pattern_for``) is of the
    category; else, when the classifier's ``probability`` reaches ``trusted_threshold``, the
    main verb with the category's default code; None when there is no such word, the one
    found is not a real act, or a word of the category is there but tells no real act."""
    told = False  # a word of the sentence tells an act of the category, real or not
    for token in sentence:
        if token.pos_ in ("VERB", "NOUN") and token.dep_ != "amod":
            fitting = pattern_for(token, coder.patterns)
            if fitting is not None and fitting.plover == category:
                if _real(token, fitting.cameo, coder):
                    return token, fitting
                told = True
    if told:
        return None  # "reiterated its demand that Israel ease restrictions": the easing is asked
    verb = main_verb(sentence, coder)
    if probability < opinion.trusted_threshold or verb is None or \
            not _real(verb, opinion.default_codes[category], coder):
        return None
    return verb, Pattern(pos="VERB", lemma=verb.lemma_.lower(), objects=frozenset(),
                         preps=frozenset(), prep_objects=frozenset(), particle=None,
                         cameo=opinion.default_codes[category], plover=category, mode=None,
                         target_preps=(), reciprocal=False)


def direct_sides(token: Token, actors: ActorIndex) -> tuple[Mention | None, Mention | None]:
    """Return the source and target of a rescued trigger from its own dependents only: the
    subject (or a passive's agent) and the object (or a passive's subject), each the actor
    mention it stands for (None when it stands for none). The rules' wider search for a target
    nearby is left out: without a pattern behind the trigger it finds the wrong actors."""
    source = target = None
    for child in token.children:
        if child.dep_ in SUBJECTS:
            source = actors.mention_of(child)
        elif child.dep_ == "agent":
            source = next((actors.mention_of(p) for p in child.children if p.dep_ == "pobj"),
                          None)
        elif child.dep_ in ("nsubjpass", *OBJECTS):
            target = actors.mention_of(child)
    if source is not None and target is not None and _one_side(source, target, actors):
        target = None  # "Iraq ... Iraq", "Putin praised the Russian army": not an interaction
    return source, target


def _one_side(source: Mention, target: Mention, actors: ActorIndex) -> bool:
    """True when two mentions are one side: one actor, one name or code, or two arms of one
    state (``state_sectors``), as the rules hold them (``dyads``)."""
    a, b = source.actor, target.actor
    if a is None or b is None or source.text == target.text or a == b:
        return True
    sectors = actors.rules.state_sectors
    return bool(a.country) and a.country == b.country and \
        (a.code or "")[3:6] in sectors and (b.code or "")[3:6] in sectors


def main_verb(sentence: Span, coder: EventCoder) -> Token | None:
    """Return the verb a sentence tells of: its root, or, when the root is a reporting verb
    ("said"), the verb of the clause it reports; None when there is none."""
    root = sentence.root
    if root.lemma_.lower() in coder.rules.reporting_verbs:
        reported = [c for c in root.children if c.dep_ in ("ccomp", "xcomp") and
                    c.pos_ in ("VERB", "AUX")]
        return reported[0] if reported else None
    return root if root.pos_ in ("VERB", "AUX") and root.lemma_ != "be" else None


def _real(token: Token, cameo: str, coder: EventCoder) -> bool:
    """True when ``token``, coded ``cameo``, tells an act that happened: not negated,
    conditional, hypothetical, future, figurative, the publishing or naming of something, a
    warning of what could happen, a promise not to act, a description ("an alliance backed by
    the US") nor a statement told as a rejection ("declined to comment"): what the rules judge
    no act, the classifier does not rescue."""
    return reality_of(token, coder.rules) == "real" and \
        not tells_no_act(token, cameo, coder.rules)


def as_rescued(event: Event, opinion: SecondOpinion) -> Event:
    """Return the event the stage built for a rescued trigger, marked as the classifier's with
    its confidence lowered by ``rescue_penalty``. It is shown (not ``incomplete``) only when
    its sides are knowledge-base actors of two countries: the rules code "crowds protested"
    without a source and tell a state's army from its government (``dyads``), but for a word
    whose rules found no event only the plainest reading of subject and object is safe
    (measured: of the rescued events with other sides, 2 in 10 were right)."""
    confidence = round(min(max(event.confidence + opinion.rescue_penalty, 0.05), 0.95), 2)
    return dataclasses.replace(event, confidence=confidence, method=CLASSIFIER_METHOD,
                               incomplete=event.incomplete or not _between_states(event))


def _between_states(event: Event) -> bool:
    """True when both sides of an event are knowledge-base actors, of two countries."""
    source, target = event.source, event.target
    return source is not None and target is not None and bool(source.kb_id) and \
        bool(target.kb_id) and source.country is not None and \
        target.country is not None and source.country != target.country
