"""The events stage: who did what to whom, in CAMEO and PLOVER, with the evidence for it.

For every sentence (rules in ``data/events/rules.yaml``, verb patterns in ``patterns.tsv``):
1. Triggers: a verb or event noun whose lemma has patterns; the most specific pattern whose
   object, preposition and particle requirements hold is chosen. Questions are not coded.
2. Is it real? A trigger under a negation is kept with ``negated: true``; one in a conditional
   ("if"), under a hypothetical modal ("could", "would"), or in a clause that something imagines,
   fears, denies, plans or refuses ("Everybody imagined that ISIS would come back") is dropped,
   and so is the act a governing verb only intends ("agreed to meet": the agreeing is the event).
   A cooperative act in the future ("will sign") becomes the intent to do it (CAMEO 03, AGREE).
3. Arguments from the parse: subject -> source, object or the pattern's prepositions -> target;
   passives ("was attacked by"); conjunctions (one event per pair); reciprocal patterns with a
   plural subject ("X and Y met", "the pair talked") give both directions; event nouns take
   their actors from "between X and Y", possessives and modifiers. Pronouns: "he"/"she" is the
   last person named, "we"/"I" the speaker (the subject of the sentence's reporting verb, or of
   the quote the sentence belongs to). Speech itself is not an event: in "Pompeo said X attacked
   Y" the event is X -> Y.
4. Each event gets its evidence sentence and span, Goldstein value and QuadClass (GDELT), its
   PLOVER category and mode, a confidence and a stable id; an event that repeats an earlier one of
   the article (same dyad, root and date) points to it with ``repeat_of``.

Reads: doc, mentions, text, id. Sets: events.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from whodid.knowledge.codebook import PLOVER_CATEGORIES, goldstein, plover_of, quad_class
from whodid.knowledge.gazetteer import ascii_fold, place_countries
from whodid.model import Actor, Article, Event, Mention, Participant

CAMEO_CODE = re.compile(r"^\d{2,4}$")
SUBJECTS = ("nsubj", "csubj")
OBJECTS = ("dobj", "obj", "attr", "dative")
CLAUSAL = ("xcomp", "ccomp", "advcl", "acl", "relcl", "pcomp", "conj")
PLACE_LABELS = ("GPE", "LOC", "FAC")
LOCATIVE_PLACE = frozenset({"in", "at", "across", "near", "outside", "inside", "around",
                            "throughout", "through"})
PLACE_PREPOSITIONS = frozenset({"in", "into", "through", "from", "of", "at", "across", "near",
                                "outside", "inside", "around", "throughout"})


@dataclass(frozen=True)
class Pattern:
    """One line of ``patterns.tsv``: a trigger lemma, its requirements and its codes.

    A lemma or object item with spaces ("air strike", "sleeper cell") is a head word whose earlier
    words must be among the head's left modifiers; a hyphenated one ("cease-fire") is matched on the
    joined tokens.
    """

    pos: str
    lemma: str
    objects: frozenset[str]
    preps: frozenset[str]
    prep_objects: frozenset[str]
    particle: str | None
    cameo: str
    plover: str
    mode: str | None
    target_preps: tuple[str, ...]
    reciprocal: bool
    order: int = 0

    @property
    def head(self) -> str:
        return self.lemma.split()[-1]

    @property
    def modifiers(self) -> tuple[str, ...]:
        return tuple(self.lemma.split()[:-1])

    @property
    def specificity(self) -> int:
        return (bool(self.objects) + bool(self.preps) + bool(self.prep_objects)
                + 2 * bool(self.particle) + bool(self.modifiers))  # "moved the troops away"


@dataclass(frozen=True)
class EventRules:
    """The rules of ``data/events/rules.yaml``."""

    reporting_verbs: frozenset[str]
    unreal_verbs: frozenset[str]
    conditional_markers: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_auxiliaries: frozenset[str]
    intent_codes: dict[str, str]
    pronouns: dict[str, str]
    confidence: dict[str, float]
    unattributed_categories: frozenset[str]
    target_required_roots: frozenset[str]
    object_target_preps: frozenset[str]
    nearby_target_depth: int
    complement_codes: dict[str, dict[str, str]]
    figurative_objects: frozenset[str]
    instrument_codes: list[tuple[frozenset[str], str, str]]
    claim_nouns: frozenset[str]
    purpose_prepositions: frozenset[str]
    domestic_sectors: frozenset[str]
    topic_prepositions: frozenset[str]
    content_verbs: frozenset[str]
    threat_roots: frozenset[str]
    intent_adjectives: frozenset[str]
    weapon_subjects: frozenset[str]


@dataclass
class EventCoder:
    """Patterns by (part of speech, lemma) and the rules, loaded once per process."""

    patterns: dict[tuple[str, str], list[Pattern]]
    rules: EventRules

    @classmethod
    def load(cls) -> EventCoder:
        return cls(patterns=load_patterns(), rules=event_rules())


def _split(value: str) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in value.split("|") if v.strip())


def parse_patterns(text: str) -> Iterator[Pattern]:
    """Yield the patterns of a ``patterns.tsv`` text, in file order."""
    lines = (line for line in io.StringIO(text) if line.strip() and not line.startswith("#"))
    for order, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        if not CAMEO_CODE.match(row.get("cameo", "")) or row["pos"].upper() not in ("VERB", "NOUN"):
            raise ValueError(f"patterns.tsv row {order + 1} ({row['pos']} {row['lemma']}): "
                             f"pos must be VERB or NOUN and cameo a CAMEO code, got "
                             f"{row['pos']!r} and {row['cameo']!r}")
        yield Pattern(
            pos=row["pos"].upper(), lemma=" ".join(row["lemma"].lower().split()),
            objects=_split(row["object"]), preps=_split(row["prep"]),
            prep_objects=_split(row["prep_object"]), particle=row["particle"].lower() or None,
            cameo=row["cameo"], plover=row["plover"].upper(), mode=row["mode"] or None,
            target_preps=tuple(row["target_preps"].lower().split("|")) if row["target_preps"]
            else (), reciprocal=row["reciprocal"].lower() in ("yes", "true", "1"), order=order)


@cache
def load_patterns() -> dict[tuple[str, str], list[Pattern]]:
    """Return the shipped patterns by (VERB|NOUN, head lemma), most specific first."""
    text = resources.files("whodid").joinpath("data/events/patterns.tsv").read_text("utf-8")
    by_key: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    for pattern in parse_patterns(text):
        by_key[(pattern.pos, pattern.head)].append(pattern)
    for patterns in by_key.values():
        patterns.sort(key=lambda p: (-p.specificity, p.order))
    return dict(by_key)


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    """Return the word list ``key`` of the rules; a non-string (YAML reads a bare `on` or `no`
    as a boolean) is an error naming the key."""
    values = data[key]
    bad = [v for v in values if not isinstance(v, str)]
    if bad:
        raise ValueError(f"rules.yaml {key}: {bad!r} are not words (quote them)")
    return frozenset(values)


@cache
def event_rules() -> EventRules:
    """Return the rules shipped in ``data/events/rules.yaml``."""
    data = yaml.safe_load(resources.files("whodid").joinpath("data/events/rules.yaml")
                          .read_text("utf-8"))
    return EventRules(
        reporting_verbs=_words(data, "reporting_verbs"),
        unreal_verbs=_words(data, "unreal_verbs"),
        conditional_markers=_words(data, "conditional_markers"),
        hypothetical_modals=_words(data, "hypothetical_modals"),
        future_auxiliaries=_words(data, "future_auxiliaries"),
        intent_codes={str(k): str(v) for k, v in data["intent_codes"].items()},
        pronouns={str(k): str(v) for k, v in data["pronouns"].items()},
        confidence={str(k): float(v) for k, v in data["confidence"].items()},
        unattributed_categories=_words(data, "unattributed_categories"),
        target_required_roots=frozenset(str(r) for r in data["target_required_roots"]),
        object_target_preps=_words(data, "object_target_preps"),
        nearby_target_depth=int(data["nearby_target_depth"]),
        complement_codes={str(root): {str(k): str(v) for k, v in codes.items()}
                          for root, codes in data["complement_codes"].items()},
        figurative_objects=_words(data, "figurative_objects"),
        instrument_codes=[(frozenset(rule["subjects"]), str(rule["root"]), str(rule["code"]))
                          for rule in data["instrument_codes"]],
        claim_nouns=_words(data, "claim_nouns"),
        purpose_prepositions=_words(data, "purpose_prepositions"),
        domestic_sectors=_words(data, "domestic_sectors"),
        topic_prepositions=_words(data, "topic_prepositions"),
        content_verbs=_words(data, "content_verbs"),
        threat_roots=frozenset(str(r) for r in data["threat_roots"]),
        intent_adjectives=_words(data, "intent_adjectives"),
        weapon_subjects=_words(data, "weapon_subjects"))


# -- the stage ----------------------------------------------------------------------------------


def code_events(article: Article, coder: EventCoder) -> Article:
    """Set ``article.events``: every event of every sentence (see the module docstring)."""
    doc = article.doc
    actors = _ActorIndex(doc, article.mentions, coder.rules)
    events: list[Event] = []
    for index, sentence in enumerate(doc.sents):
        if sentence.text.rstrip().rstrip("”\"'’").endswith("?"):
            continue
        for token in sentence:
            pattern = _pattern_for(token, coder.patterns)
            if pattern is None or _carried_by_its_verb(token, coder.patterns) or \
                    token.dep_ == "amod" or _figurative(token, coder.rules):
                continue  # "the besieged town", "fight the coronavirus"
            if pattern.plover == "REQUEST" and _serves_a_protest(token, coder.patterns):
                continue  # "demonstrated in Kirkuk calling for independence": one protest
            reality = _reality(token, coder.rules)
            if reality == "unreal":
                continue
            cameo = _refined_code(token, pattern.cameo, coder)
            plover = pattern.plover if cameo[:2] == pattern.cameo[:2] else (
                plover_of(cameo) or pattern.plover)
            if reality == "future":
                intent = _intent_code(cameo, coder.rules)
                threat = _threat_code(cameo, coder.rules, _on_condition(token, coder.rules))
                if intent is not None and not _on_condition(token, coder.rules):
                    cameo, plover = intent, "AGREE"
                elif threat is not None:  # "would boycott all contact": a threat
                    cameo, plover = threat, "THREATEN"
                else:
                    continue
            for source, target in _dyads(token, pattern, cameo, plover, actors):
                events.append(_event(article, index, sentence, token, pattern, cameo, plover,
                                     source, target, reality == "negated", coder.rules))
    article.events = _mark_repeats(_unique(events))
    return article


def _serves_a_protest(token: Any, patterns: dict[tuple[str, str], list[Pattern]]) -> bool:
    """True for a demand that states what a protest is for: "marched ... demanding the
    resignation", "staged demonstrations to demand reforms"."""
    if token.dep_ not in ("advcl", "xcomp", "acl") or token.head is token:
        return False
    head = token.head
    pattern = _pattern_for(head, patterns)
    if pattern is None:
        pattern = next((_pattern_for(c, patterns) for c in head.children if c.dep_ in OBJECTS
                        and _pattern_for(c, patterns) is not None), None)
    return pattern is not None and pattern.plover == "PROTEST"


def _figurative(token: Any, rules: EventRules) -> bool:
    """True when the trigger's object is no one to act upon: "fight the coronavirus",
    "battle corruption"."""
    return any(c.dep_ in OBJECTS and c.lemma_.lower() in rules.figurative_objects
               for c in token.children)


def _refined_code(token: Any, cameo: str, coder: EventCoder) -> str:
    """Return a generic code made specific by what the words say: an appeal, demand, intent,
    rejection or threat by the act it is about ("threatened to launch a strike" -> 138,
    "agreed to hold talks" -> 036); a fight by its instrument ("aircraft struck" -> 195)."""
    rules = coder.rules
    codes = rules.complement_codes.get(cameo[:2])
    if codes is not None and len(cameo) <= 3 and cameo.endswith("0"):
        act = _complement_act(token, coder.patterns)
        if act is not None:
            for length in (4, 3, 2):
                if act[:length] in codes:
                    return codes[act[:length]]
    subjects = {c.lemma_.lower() for c in token.children if c.dep_ in SUBJECTS}
    subjects |= {c.lemma_.lower() for p in token.children if p.dep_ == "agent"
                 for c in p.children if c.dep_ == "pobj"}
    for words, root, code in rules.instrument_codes:
        if cameo.startswith(root) and len(cameo) <= 3 and cameo.endswith("0") and subjects & words:
            return code
    return cameo


def _complement_act(token: Any, patterns: dict[tuple[str, str], list[Pattern]]) -> str | None:
    """Return the code of the act a trigger is about: the verb of its clause ("urged China to
    resume talks"), its "for" object ("appealed for aid") or its object ("demanded a ceasefire")."""
    for child in token.children:
        found: Any = None
        if child.dep_ in ("xcomp", "ccomp"):
            found = child
        elif child.dep_ == "prep" and child.lower_ in ("for", "to"):
            found = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
        elif child.dep_ in OBJECTS:
            found = child
        for candidate in _with_its_nouns(found):
            pattern = _pattern_for(candidate, patterns)
            if pattern is not None and pattern.cameo[:2] not in ("02", "10", "13", "03", "12"):
                return pattern.cameo
    return None


def _with_its_nouns(token: Any) -> list[Any]:
    """Return ``token`` and the nouns of its "in"/"of" phrases ("$1.5 billion in aid")."""
    if token is None:
        return []
    return [token] + [pobj for prep in token.children if prep.dep_ == "prep"
                      and prep.lower_ in ("in", "of") for pobj in prep.children
                      if pobj.dep_ == "pobj"]


def _lemma_keys(token: Any) -> list[str]:
    """Return the lemmas a trigger is looked up by: its own, and the hyphen-joined word it ends
    ("cease-fire" from "cease", "-", "fire")."""
    keys = [token.lemma_.lower(), token.lower_]
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_ \
            and not doc[token.i - 1].whitespace_:
        keys.insert(0, f"{doc[token.i - 2].lower_}-{token.lemma_.lower()}")
    return keys


def _modifier_lemmas(token: Any) -> set[str]:
    return {c.lemma_.lower() for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")} | {
        c.lower_ for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")}


QUANTITY_NOUNS = frozenset({"ten", "dozen", "hundred", "thousand", "million", "billion", "score",
                            "number",
                            "group", "batch", "couple", "handful", "convoy", "wave", "series"})


def _counted(token: Any) -> Any:
    """Return what a quantity noun counts ("thousands of troops" -> troops), else ``token``."""
    for _ in range(3):
        if token.lemma_.lower() not in QUANTITY_NOUNS:
            return token
        pobj = next((p for prep in token.children if prep.dep_ == "prep" and prep.lower_ in (
                     "of", "in")
                     for p in prep.children if p.dep_ == "pobj"), None)
        if pobj is None:
            return token
        token = pobj
    return token


def _fits_item(item: str, token: Any) -> bool:
    """True when ``token`` is the item: "cell", or "sleeper cell" = "cell" modified by "sleeper";
    "@place" is any toponym; a quantity stands for what it counts ("thousands of troops")."""
    token = _counted(token)
    if item == "@place":
        return bool(token.ent_type_ in PLACE_LABELS)
    if item == "@people":
        return bool(token.ent_type_ == "NORP")  # "700,000 Rohingya"
    words = item.split()
    if token.lemma_.lower() != words[-1] and token.lower_ != words[-1]:
        return False
    return set(words[:-1]) <= _modifier_lemmas(token)


def _pattern_for(token: Any, patterns: dict[tuple[str, str], list[Pattern]]) -> Pattern | None:
    """Return the most specific pattern of ``token`` whose requirements hold, if any."""
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in (
        "NOUN", "PROPN") else None
    if pos is None:
        return None
    if pos == "NOUN" and token.dep_ == "compound":
        return None  # "aid workers", "attack helicopter": the word modifies another noun
    candidates = next((patterns[(pos, k)] for k in _lemma_keys(token) if (pos, k) in patterns),
                      None)
    if not candidates:
        return None
    objects = [c for c in token.children if c.dep_ in OBJECTS or c.dep_ == "nsubjpass"]
    objects += [s for c in token.children if c.dep_ in ("ccomp", "xcomp") for s in c.children
                if s.dep_ == "nsubj"]  # "allowed a UN convoy to enter"
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod", "prep")}
    prep_tokens = [c for c in token.children if c.dep_ in ("prep", "agent", "dative")]
    prep_tokens += [c for o in objects for c in o.children if c.dep_ == "prep"]
    for pattern in candidates:
        if pattern.modifiers and not set(pattern.modifiers) <= _modifier_lemmas(token):
            continue
        if pattern.objects and not any(_fits_item(item, o) for item in pattern.objects
                                       for o in objects):
            continue
        if pattern.particle and pattern.particle not in particles:
            continue
        if pattern.preps:
            fitting = [p for p in prep_tokens if p.lower_ in pattern.preps]
            if not fitting or (pattern.prep_objects and not any(
                    _fits_item(item, pobj) for p in fitting for pobj in p.children
                    if pobj.dep_ == "pobj" for item in pattern.prep_objects)):
                continue
        return pattern
    return None


def _carried_by_its_verb(token: Any, patterns: dict[tuple[str, str], list[Pattern]]) -> bool:
    """True for an event noun that is the object of a coded verb: "called for a ceasefire",
    "signed a memorandum" (the verb's pattern codes the event)."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    governor = token.head if token.dep_ in OBJECTS else (
        token.head.head if token.dep_ == "pobj" else None)
    return governor is not None and governor is not token and _pattern_for(
        governor, patterns) is not None


TEMPORAL_PREPOSITIONS = frozenset({"after", "during", "before", "following", "since", "ahead",
                                   "until", "throughout", "amid"})


def _reality(token: Any, rules: EventRules) -> str:
    """Return "real", "negated", "future" or "unreal" for the clause of a trigger.

    An event noun takes the reality of the verb it depends on ("promised to continue military
    aid": unreal); one named after a temporal preposition ("after the meeting") refers to an event
    told elsewhere and is "unreal" here, and so does a gerund a noun governs ("a record of
    bombing civilians").
    """
    negated = False
    current = token
    if token.tag_ == "VBG" and token.dep_ == "pcomp" and token.head.head.pos_ in ("NOUN", "PROPN"):
        return "unreal"  # "a track record of bombing civilians": a kind of act, not one act
    if token.pos_ in ("NOUN", "PROPN"):
        claimed = token.head.head.lemma_.lower() in rules.claim_nouns
        if token.dep_ == "pobj" and not claimed and (
                token.head.lower_ in TEMPORAL_PREPOSITIONS
                or token.head.lower_ in rules.purpose_prepositions):
            return "unreal"
        if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
            negated = True
        while current.pos_ in ("NOUN", "PROPN", "ADP") and current.head is not current and \
                current.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "prep", "attr", "conj"):
            current = current.head
        if current.pos_ not in ("VERB", "AUX"):
            return "negated" if negated else "real"
        if current.lemma_.lower() in rules.unreal_verbs | rules.content_verbs:
            return "unreal"  # "denied the attack", "stressed the Coalition's commitment"
    for depth in range(6):
        children = list(current.children)
        if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in children):
            negated = True
        if any(c.dep_ in SUBJECTS and _no_one(c) for c in children):
            negated = True  # "Neither Armenia nor Azerbaijan has released", "no country sent"
        if any(c.dep_ == "mark" and c.lower_ in rules.conditional_markers for c in children):
            return "unreal"
        modals = {c.lower_ for c in children if c.dep_ == "aux"}
        if depth == 0 and modals & rules.hypothetical_modals - {"would"}:
            return "unreal"
        if depth == 0 and "would" in modals:
            head = current.head
            if head.lemma_.lower() in rules.reporting_verbs and current.dep_ == "ccomp":
                return "negated" if negated else "future"  # "said it would send aid"
            return "unreal"
        if depth == 0 and modals & rules.future_auxiliaries:
            return "negated" if negated else "future"
        if depth > 0 and modals & (rules.future_auxiliaries | rules.hypothetical_modals):
            return "unreal"  # "would blockade Paris to demand an end": the demand is a purpose
        if current.dep_ == "xcomp" and current.head.lower_ in rules.intent_adjectives:
            return "negated" if negated else "future"  # "ready to host", "prepared to impose"
        if current.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp") and \
                current.head.lemma_.lower() in rules.unreal_verbs and current.head is not current:
            return "unreal"
        if current.dep_ == "pcomp" and current.head.lower_ in rules.topic_prepositions:
            return "unreal"  # "talked about developing relations", "advice on how to conduct"
        if current.dep_ in ("xcomp", "advcl") and current.head is not current:
            current = current.head  # "not here to make guarantees": the negation governs
            continue
        if current.dep_ == "conj" and current.head is not current:
            current = current.head
            continue
        break
    return "negated" if negated else "real"


def _on_condition(token: Any, rules: EventRules) -> bool:
    """True when an announced act has a condition: "will withdraw its force unless..."."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in rules.conditional_markers
                                         for m in c.children) for c in token.children)


def _threat_code(cameo: str, rules: EventRules, conditional: bool = False) -> str | None:
    """Return the CAMEO 13 code of a hostile act announced for the future, or of any act
    announced on a condition ("will withdraw unless"); None for others."""
    codes = rules.complement_codes["13"]
    if cameo[:2] not in rules.threat_roots and not conditional:
        return None
    for length in (4, 3, 2):
        if cameo[:length] in codes:
            return codes[cameo[:length]]
    return "130"


def _no_one(subject: Any) -> bool:
    """True for a subject that denies its referent: "neither X nor Y", "no country", "none"."""
    if subject.lower_ in ("none", "nobody", "neither"):
        return True
    return any(c.dep_ in ("preconj", "det") and c.lower_ in ("neither", "no")
               for c in subject.children)


def _intent_code(cameo: str, rules: EventRules) -> str | None:
    """Return the CAMEO 03 intent code for a promised cooperative act (None for others)."""
    for length in (4, 3, 2):
        code = rules.intent_codes.get(cameo[:length])
        if code is not None:
            return code
    return None


# -- arguments ----------------------------------------------------------------------------------


class _ActorIndex:
    """The article's actor mentions by token, and who is speaking in each sentence."""

    def __init__(self, doc: Any, mentions: list[Mention], rules: EventRules) -> None:
        self.doc = doc
        self.rules = rules
        self.by_token: dict[int, Mention] = {}
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                if mention.label == "GROUP" or (mention.actor and mention.actor.code):
                    self.by_token.setdefault(token.i, mention)
        self.places = _place_mentions(doc, self.by_token)
        self.people = sorted((m for m in mentions if m.label == "PERSON" and m.actor
                              and m.actor.code), key=lambda m: m.start)
        self.speakers = self._speakers()

    def _speakers(self) -> dict[int, Mention]:
        """Return the speaker of each sentence: the subject of its reporting verb, carried on
        through the sentences of a quote."""
        speakers: dict[int, Mention] = {}
        sentences = list(self.doc.sents)
        for index, sentence in enumerate(sentences):
            for token in sentence:
                if token.lemma_.lower() in self.rules.reporting_verbs and token.pos_ == "VERB":
                    for child in token.children:
                        if child.dep_ in SUBJECTS:
                            mention = self.mention_of(child, follow_pronouns=False) or (
                                self.last_person(child.idx) if child.lower_ in ("he", "she")
                                else None)
                            if mention is not None:
                                speakers[index] = mention
                                break
                if index in speakers:
                    break
        filled: dict[int, Mention] = {}
        for index, sentence in enumerate(sentences):
            if index in speakers:
                filled[index] = speakers[index]
            elif _in_quote(sentence) and index + 1 in speakers:
                filled[index] = speakers[index + 1]
            elif _in_quote(sentence) and index - 1 in filled:
                filled[index] = filled[index - 1]
        return filled

    def localised(self, mention: Mention, trigger: Any, partner: Mention | None = None,
                  by_sentence: bool = False) -> Mention:
        """Return a generic agent without a country ("protesters", "police", "villagers") or an
        ethnic group with the country of the place its own phrase names ("supporters in
        Kisumu"), else of the place the trigger names ("marched through Santiago"), else, for a
        domestic sector (opposition, police, judiciary...), of its ``partner`` in the event,
        else (``by_sentence``) of the one country its sentence names besides the partner's;
        other mentions unchanged."""
        actor = mention.actor
        if actor is None or actor.country or not actor.code or actor.kb_id:
            return mention
        ethnic = bool(actor.ethnicity) and actor.code.startswith(actor.ethnicity or "")
        sector = actor.code[3:] if ethnic else actor.code
        if not ethnic and (mention.label not in ("AGENT", "PERSON") or len(actor.code) != 3):
            return mention  # only a bare sector ("police" COP, "President Avril" GOV) or an
            # ethnic group ("Kurds" KUR, "Kurdish forces" KURMIL) is localised
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        country = None
        if span is not None:
            country = self._country_below(span.root, depth=3)
        for verb in (trigger, *trigger.conjuncts):  # "clashed with police and set fire in Dakar"
            if country is None:
                country = self._country_below(verb, depth=3, prepositions=LOCATIVE_PLACE)
        if country is None and partner is not None and partner.actor is not None and not \
                ethnic and (actor.code in self.rules.domestic_sectors or mention.label == "PERSON"):
            country = partner.actor.country  # "Venezuela's government ... the opposition"
        if country is None and by_sentence:
            other = partner.actor.country if partner is not None and partner.actor else None
            country = self._only_country_of(trigger.sent, other)
        if country is None or (partner is not None and partner.actor is not None
                               and partner.actor.code == country + sector):
            return mention
        return Mention(mention.text, mention.start, mention.end, mention.label,
                       actor=Actor(name=actor.name, code=country + sector, country=country,
                                   sector=actor.sector, ethnicity=actor.ethnicity,
                                   kb_id=actor.kb_id),
                       resolved_by=mention.resolved_by)

    def _only_country_of(self, sentence: Any, other: str | None) -> str | None:
        """Return the one country a sentence names (countries and places) besides ``other``:
        "Former prime minister Andreas Papandreou demanded elections after a court cleared him
        in Greece's biggest trial" -> GRC. None when it names several."""
        named = set()
        for token in sentence:
            found = self.by_token.get(token.i) or self.places.get(token.i)
            if found is not None and found.actor is not None and found.label in (
                    "COUNTRY", "PLACE") and found.actor.country:
                named.add(found.actor.country)
        named.discard(other)
        return named.pop() if len(named) == 1 else None

    def _country_below(self, token: Any, depth: int,
                       prepositions: frozenset[str] = PLACE_PREPOSITIONS) -> str | None:
        """Return the country of the first place or country named in a prepositional phrase
        ("in", "into", "through", "from", "of"...) below ``token`` or its object."""
        level = [token, *(c for c in token.children if c.dep_ in OBJECTS)]
        for _ in range(depth):
            level = [pobj for node in level for prep in node.children
                     if prep.dep_ == "prep" and prep.lower_ in prepositions
                     for pobj in prep.children if pobj.dep_ == "pobj"]
            for node in level:
                for candidate in (node, *(c for c in node.children if c.dep_ in (
                        "compound", "poss", "amod"))):
                    found = self.place_of(candidate) or self.by_token.get(candidate.i)
                    if found is not None and found.actor is not None and \
                            found.label in ("PLACE", "COUNTRY") and found.actor.country:
                        return found.actor.country
        return None

    def owner_of(self, token: Any) -> Mention | None:
        """Return the actor that owns or qualifies a noun ("South Korea's offer", "Hamas
        targets", "the British-flagged tanker"), not the noun itself."""
        own = self.by_token.get(token.i)
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                mention = (self.mention_of(child) if child.pos_ == "PRON"
                           else self.by_token.get(child.i)) or self.owner_of(child)
                if mention is not None and mention is not own:
                    return mention
        return None

    def place_of(self, token: Any) -> Mention | None:
        """Return the place a token names, as its country's actor, if any."""
        return self.places.get(token.i)

    def last_person(self, before: int) -> Mention | None:
        found = None
        for mention in self.people:
            if mention.start >= before:
                break
            found = mention
        return found

    def mention_of(self, token: Any, follow_pronouns: bool = True) -> Mention | None:
        """Return the actor mention a noun-phrase head stands for, if any."""
        if token.i in self.by_token:
            return self.by_token[token.i]
        if follow_pronouns and token.pos_ == "PRON":
            kind = self.rules.pronouns.get(token.lower_)
            if kind == "person":
                return self.last_person(token.idx)
            if kind in ("speaker", "reporter"):
                sentence_index = next(i for i, s in enumerate(self.doc.sents)
                                      if s.start <= token.i < s.end)
                if kind == "reporter" and not _reported(token, self.rules):
                    return None
                return self.speakers.get(sentence_index)
            return None
        for child in token.children:  # "Peshmerga forces", "the US-led Coalition", "Iraq's army"
            if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i in self.by_token:
                return self.by_token[child.i]
        for child in token.children:  # "a camp for Congolese refugees", "scores of refugees"
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i in self.by_token:
                        return self.by_token[pobj.i]
        return None


NOT_PLACES = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                        "QUANTITY", "NORP", "LAW", "LANGUAGE", "EVENT", "WORK_OF_ART"})
PLACE_WORDS = frozenset({"state", "province", "region", "city", "town", "district", "governorate",
                         "county", "village", "strip"})


def _place_mentions(doc: Any, taken: dict[int, Mention]) -> dict[int, Mention]:
    """Return, by token, the toponyms no actor mention covers, as mentions of their country
    ("Kharkiv" -> UKR). A name the gazetteer does not know is left out."""
    countries = place_countries()
    found: dict[int, Mention] = {}
    named = [ent for ent in doc.ents if ent.label_ not in NOT_PLACES]
    named += [doc[t.i:t.i + 1] for t in doc if t.pos_ == "PROPN" and not t.ent_type_]
    for ent in named:  # spaCy's label is often wrong for toponyms ("Tangier" as PRODUCT)
        if any(t.i in taken for t in ent):
            continue
        words = [t for t in ent if t.lower_ != "the"]
        while words and words[-1].lower_ in PLACE_WORDS and len(words) > 1:
            words = words[:-1]
        code = countries.get(ascii_fold(" ".join(t.text for t in words)))
        if code is None:
            continue
        mention = Mention(ent.text, ent.start_char, ent.end_char, "PLACE",
                          actor=Actor(name=ent.text, code=code, country=code), resolved_by="place")
        for token in ent:
            found[token.i] = mention
    return found


def _reported(token: Any, rules: EventRules) -> bool:
    """True when ``token`` stands in a clause that a reporting verb governs ("Hungary said it
    will support")."""
    current = token
    for _ in range(6):
        if current.head is current:
            return False
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in rules.reporting_verbs:
            return True
        current = current.head
    return False


def _in_quote(sentence: Any) -> bool:
    return any(ch in sentence.text for ch in "“”\"")


Dyad = tuple[Mention | None, Mention | None]


def _dyads(token: Any, pattern: Pattern, cameo: str, plover: str,
           actors: _ActorIndex) -> Iterator[Dyad]:
    """Yield (source, target) for a trigger coded ``cameo``/``plover``: one per pair of
    conjoined actors; none when the event lacks a source or a target it needs."""
    sources, targets = _arguments(token, pattern, actors)
    grouped = any(m.label == "GROUP" for m in sources)
    sources = [actors.localised(m, token) for m in _expand(sources)]
    targets = [actors.localised(m, token) for m in _expand(targets)]
    if len(sources) == 1:
        targets = [actors.localised(m, token, sources[0], by_sentence=True) for m in targets]
    if len(targets) == 1:
        sources = [actors.localised(m, token, targets[0], by_sentence=True) for m in sources]
    if not targets:
        sources = [actors.localised(m, token, by_sentence=True) for m in sources]
    mutual = pattern.reciprocal or grouped or cameo[:2] in actors.rules.target_required_roots
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
                    _same_actor(source, target) or _same_code(source, target)):
                continue  # "Iraq ... Iraq": not an interaction
            yield source, target


def _expand(mentions: list[Mention]) -> list[Mention]:
    """Return ``mentions`` with each GROUP ("the pair") replaced by one mention per member."""
    result: list[Mention] = []
    for mention in mentions:
        if mention.label == "GROUP":
            result += [Mention(mention.text, mention.start, mention.end, "GROUP", actor=member,
                               resolved_by="group") for member in mention.members]
        else:
            result.append(mention)
    result = [m for m in result if m.actor is not None and m.actor.code]
    if any(m.actor and m.actor.country for m in result):
        # "the people, government, and the US army": a bare "government" beside a national
        # actor is not a separate, countryless target
        result = [m for m in result if m.label != "AGENT" or (m.actor and m.actor.country)]
    return result


def _same_code(first: Mention, second: Mention) -> bool:
    return first.actor is not None and second.actor is not None and \
        first.actor.code == second.actor.code


def _same_actor(first: Mention, second: Mention) -> bool:
    a, b = first.actor, second.actor
    if a is None or b is None:
        return False
    if a.kb_id and a.kb_id == b.kb_id:
        return True
    return a.code == b.code and (a.name == b.name or not a.name or not b.name)


def _arguments(token: Any, pattern: Pattern, actors: _ActorIndex) -> tuple[list[Mention],
                                                                          list[Mention]]:
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
    objects: list[Any] = []
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    for child in token.children:
        if child.dep_ in SUBJECTS:
            sources += _conjoined(child, actors)
        elif child.dep_ == "nsubjpass":
            targets += _conjoined(child, actors)
            objects.append(child)
        elif child.dep_ == "agent" and passive:
            sources += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]
        elif child.dep_ in OBJECTS and not passive:
            objects.append(child)
            if not pattern.objects or child.dep_ == "dative":
                targets += _conjoined(child, actors)  # an object the pattern names is content
        elif child.dep_ in ("prep", "dative") and child.lower_ in pattern.target_preps:
            targets += [m for p in child.children if p.dep_ == "pobj"
                        for m in _conjoined(p, actors)]
    relative = any(c.dep_ in SUBJECTS and c.tag_ in ("WP", "WDT") for c in token.children)
    if relative and token.dep_ == "relcl":
        sources = _conjoined(token.head, actors)  # "rebels who attacked": the rebels
    elif not sources:
        sources = _inherited_subject(token, actors)
    if pattern.reciprocal and len(_expand(sources)) >= 2 and not targets:
        return sources, targets  # "the Kurdistan Region and the US signed a memorandum"
    if not targets:
        targets = _object_targets(objects, pattern, actors)
    if not targets:
        targets = _clause_subjects(token, actors)
    if not targets:
        targets = _complement_targets(token, actors)
    if not targets:
        content = [o for o in objects if any(_fits_item(i, o) for i in pattern.objects)]
        targets = _nearby_target(token, actors, places=not pattern.reciprocal, exclude=sources,
                                 passed=content)
    if not targets and pattern.cameo[:2] in actors.rules.complement_codes:
        for clause in (c for c in token.children if c.dep_ in ("xcomp", "ccomp")):
            # "threatened to resume attacks in Israel"
            targets = _nearby_target(clause, actors, places=True, exclude=sources)
            if targets:
                break
    return sources, [m for m in targets if m not in sources]


def _object_targets(objects: list[Any], pattern: Pattern, actors: _ActorIndex) -> list[Mention]:
    """Return the actors an object leads to: itself or its owner ("South Korea's offer", "Hamas
    targets") or its prepositions ("talks with X", "sanctions on X"). An object the pattern names
    is content ("shared intelligence"): only its owner and prepositions count. A mention without
    a country ("its ambassador to Germany") gives way to one its prepositions lead to."""
    preps = actors.rules.object_target_preps | set(pattern.target_preps)
    weak: list[Mention] = []
    for obj in objects:
        for part in (obj, *obj.conjuncts):
            content = any(_fits_item(item, part) for item in pattern.objects)
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
    return weak


def _clause_subjects(token: Any, actors: _ActorIndex) -> list[Mention]:
    """Return the subject of a clause the trigger governs: "demanded that Russia withdraw",
    "urged Japan to" (the object is taken before)."""
    for child in token.children:
        if child.dep_ == "ccomp":
            for grandchild in child.children:
                if grandchild.dep_ in (*SUBJECTS, "nsubjpass"):
                    return _conjoined(grandchild, actors)
    return []


SKIPPED_ON_THE_WAY = frozenset({*SUBJECTS, "nsubjpass", "xcomp", "ccomp", "advcl", "relcl",
                                "pcomp", "conj", "punct", "aux",
                                "auxpass", "neg", "mark", "advmod", "npadvmod", "cc", "det",
                                "poss"})
LOCATIVE = frozenset({"in", "at", "near", "inside", "outside", "around", "on"})


def _nearby_target(token: Any, actors: _ActorIndex, places: bool,
                   exclude: list[Mention] | None = None,
                   passed: list[Any] | None = None) -> list[Mention]:
    """Return the nearest actor (or place, if ``places``) below the trigger, through its object
    and prepositional phrases (breadth first; a preposition is no step), not entering its subject
    or the clauses it governs. Where people meet is not whom they meet: without ``places`` a
    name after "in", "at", "near" ("met in Washington") is passed over, and so is anything in it.
    Tokens in ``passed`` (the content object: "moved the troops") are looked through, not taken."""
    level = [c for c in token.children if c.dep_ not in SKIPPED_ON_THE_WAY]
    for _ in range(actors.rules.nearby_target_depth):
        while any(node.pos_ == "ADP" for node in level):
            level = [c for node in level for c in (
                node.children if node.pos_ == "ADP" else (node,))
                if c.dep_ not in SKIPPED_ON_THE_WAY]
        if not places:
            level = [n for n in level if not (n.dep_ == "pobj" and n.head.lower_ in LOCATIVE)]
        for node in level:
            if node in (passed or ()):
                continue
            mention = actors.mention_of(node) or (actors.place_of(node) if places else None)
            if mention is not None and not any(_same_actor(mention, m) for m in exclude or ()):
                return [mention]
        level = [c for node in level for c in node.children if c.dep_ not in SKIPPED_ON_THE_WAY]
    return []


COMPLEMENT_TARGET_PREPOSITIONS = ("with", "between", "to", "for", "against", "on")


def _complement_targets(token: Any, actors: _ActorIndex) -> list[Mention]:
    """Return the target of what a verb promises, offers or demands: "offered to negotiate with
    the president of Armenia", "promised to continue military aid to Mozambique", "agreed to
    provide Pakistan with a loan". Partners ("with", "between") come before destinations."""
    for child in token.children:
        if child.dep_ not in ("xcomp", "ccomp"):
            continue
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


def _inherited_subject(token: Any, actors: _ActorIndex) -> list[Mention]:
    """Return the subject of the verb a subjectless trigger depends on ("agreed to meet",
    "met X and discussed Y")."""
    if token.dep_ == "acl" and token.head.dep_ == "ROOT" and token.tag_ == "VBD":
        return _conjoined(token.head, actors)  # "FARC rebels handed over...": a parse as a phrase
    current = token
    for _ in range(3):
        if current.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep") or \
                current.head is current:
            return []
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


def _noun_arguments(token: Any, pattern: Pattern, actors: _ActorIndex) -> tuple[list[Mention],
                                                                               list[Mention]]:
    """Return the actors of an event noun: "the meeting between X and Y", "X's visit to Y",
    "a Turkish airstrike on Y", and the subject of the verb it is the object of."""
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
        if governor.lemma_.lower() in actors.rules.claim_nouns and governor.head is not governor:
            governor = governor.head  # "X claimed responsibility for the bombing"
        for child in governor.children:
            if child.dep_ in SUBJECTS:
                sources += _conjoined(child, actors)
    between = any(c.dep_ == "prep" and c.lower_ in ("between", "among") for c in token.children)
    if not targets and not (between and len(sources) >= 2):
        targets = _nearby_target(token, actors, places=not pattern.reciprocal, exclude=sources)
    return sources, targets


def _conjoined(token: Any, actors: _ActorIndex) -> list[Mention]:
    """Return the mentions of an argument and of the arguments conjoined with it."""
    found: list[Mention] = []
    for part in (token, *token.conjuncts):
        mention = actors.mention_of(part)
        if mention is not None and mention.label == "AGENT":
            origins = [actors.mention_of(p) for prep in part.children if prep.dep_ == "prep"
                       and prep.lower_ in ("from", "of") for pobj in prep.children
                       if pobj.dep_ == "pobj" and pobj.conjuncts for p in (pobj, *pobj.conjuncts)]
            if len(origins) > 1 and all(origins):
                # "negotiators from Armenia and Azerbaijan": one party per origin
                found += [m for m in origins if m is not None and m not in found]
                continue
        if mention is not None and mention not in found:
            found.append(mention)
    return found


# -- events -------------------------------------------------------------------------------------


def _participant(mention: Mention | None) -> Participant | None:
    if mention is None or mention.actor is None:
        return None
    actor: Actor = mention.actor
    return Participant(text=mention.text, name=actor.name, code=actor.code, country=actor.country,
                       sector=actor.sector, kb_id=actor.kb_id)


def _event(article: Article, index: int, sentence: Any, token: Any, pattern: Pattern, cameo: str,
           plover: str, source: Mention | None, target: Mention | None, negated: bool,
           rules: EventRules) -> Event:
    """Return the Event of one trigger and dyad."""
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
    key = "|".join([article.id, str(index), str(token.idx), cameo,
                    (src.code or "") if src else "", (tgt.code or "") if tgt else "",
                    src.text if src else "", tgt.text if tgt else ""])
    return Event(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        sentence=index, span=(sentence.start_char, sentence.end_char), evidence=sentence.text,
        cameo=cameo, plover=plover if plover in PLOVER_CATEGORIES else plover_of(cameo),
        mode=pattern.mode if plover == pattern.plover else None,
        goldstein=goldstein(cameo), quad_class=quad_class(cameo), source=src, target=tgt,
        negated=negated, confidence=round(min(max(confidence, 0.05), 0.95), 2),
        trigger=token.text, trigger_span=(token.idx, token.idx + len(token.text)))


def _unique(events: list[Event]) -> list[Event]:
    seen: set[str] = set()
    result = []
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            result.append(event)
    return result


def _mark_repeats(events: list[Event]) -> list[Event]:
    """Point each event that repeats an earlier one of the article (same dyad, CAMEO root and
    date) to that first event."""
    first: dict[tuple[str, str, str, str], str] = {}
    for event in events:
        key = (event.source.code if event.source and event.source.code else "",
               event.target.code if event.target and event.target.code else "",
               event.cameo[:2], event.date or "")
        if event.negated:
            continue
        if key in first:
            event.repeat_of = first[key]
        else:
            first[key] = event.id
    return events

