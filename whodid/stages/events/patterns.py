"""Verb patterns and event rules: the data of the events stage, and which pattern a trigger gets.

``patterns.tsv`` maps a trigger lemma (with its object, preposition and particle requirements)
to CAMEO and PLOVER codes; ``rules.yaml`` holds the word lists the other steps read. A trigger
gets the most specific pattern whose requirements hold (``pattern_for``), and a generic code is
made specific by what the words say (``refinement.refined_code``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from whodid.knowledge.rules import RuleFileError, key_error, packaged, read_tsv, yaml_mapping

if TYPE_CHECKING:
    from spacy.tokens import Token


PATTERNS_FILE = "events/patterns.tsv"
# The lower pattern layer: PETRARCH2's verb dictionary, converted by
# scripts/convert_petrarch_verbs.py; our curated rows win over it (``layered_patterns``).
LOWER_PATTERNS_FILE = "events/petrarch_patterns.tsv"
RULES_FILE = "events/rules.yaml"
CAMEO_CODE = re.compile(r"^\d{2,4}$")
SUBJECTS = ("nsubj", "csubj")
OBJECTS = ("dobj", "obj", "attr", "dative")
PLACE_LABELS = ("GPE", "LOC", "FAC")


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
        """Return the word the pattern is looked up by: the last of its lemma."""
        return _item_parts(self.lemma)[1]

    @property
    def modifiers(self) -> frozenset[str]:
        """Return the words that must modify the head ("air" of "air strike")."""
        return _item_parts(self.lemma)[0]

    @property
    def specificity(self) -> int:
        """Return how many requirements the pattern sets (a particle counts twice)."""
        return (bool(self.objects) + bool(self.preps) + bool(self.prep_objects)
                + 2 * bool(self.particle) + bool(self.modifiers))  # "moved the troops away"


@dataclass(frozen=True)
class EventRules:
    """The rules of ``data/events/rules.yaml``."""

    reporting_verbs: frozenset[str]
    unreal_verbs: frozenset[str]
    conditional_markers: frozenset[str]
    threat_markers: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_auxiliaries: frozenset[str]
    intent_codes: dict[str, str]
    pronouns: dict[str, str]
    confidence: dict[str, float]
    unattributed_categories: frozenset[str]
    target_required_roots: frozenset[str]
    sourceless_categories: frozenset[str]
    targetless_categories: frozenset[str]
    place_target_roots: frozenset[str]
    located_target_roots: frozenset[str]
    joint_roots: frozenset[str]
    partner_prepositions: frozenset[str]
    object_target_preps: frozenset[str]
    nearby_target_depth: int
    complement_codes: dict[str, dict[str, str]]
    figurative_objects: frozenset[str]
    instrument_codes: list[tuple[frozenset[str], str, str]]
    claim_nouns: frozenset[str]
    purpose_prepositions: frozenset[str]
    domestic_sectors: frozenset[str]
    state_sectors: frozenset[str]
    insurgent_sectors: frozenset[str]
    insurgent_opponents: frozenset[str]
    owner_depth: int
    home_country_lead: int
    foreign_words: frozenset[str]
    addressed_categories: frozenset[str]
    addressee_depth: int
    ethnic_homelands: dict[str, frozenset[str]]
    place_nouns: frozenset[str]
    domestic_target_categories: frozenset[str]
    possibility_nouns: frozenset[str]
    publishing_verbs: frozenset[str]
    published_objects: frozenset[str]
    visit_codes: frozenset[str]
    joint_exercise_codes: tuple[str, str]
    exercise_words: frozenset[str]
    enactment_nouns: frozenset[str]
    mission_codes: dict[str, str]
    mission_words: frozenset[str]
    traveller_sectors: frozenset[str]
    topic_prepositions: frozenset[str]
    content_verbs: frozenset[str]
    threat_roots: frozenset[str]
    intent_adjectives: frozenset[str]
    forecaster_nouns: frozenset[str]
    messenger_nouns: frozenset[str]
    weapon_subjects: frozenset[str]
    stative_participles: frozenset[str]
    territory_min_population: int
    expectation_words: frozenset[str]
    likelihood_nouns: frozenset[str]
    stance_adjectives: frozenset[str]
    likelihood_adverbs: frozenset[str]
    journey_verbs: frozenset[str]
    topic_nouns: frozenset[str]
    background_nouns: frozenset[str]
    decision_verbs: frozenset[str]
    warning_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    repeatable_verbs: frozenset[str]
    aspect_verbs: frozenset[str]
    attempt_words: frozenset[str]
    surrender_verbs: frozenset[str]
    captor_sectors: frozenset[str]
    role_prepositions: frozenset[str]
    coming_verbs: frozenset[str]
    subject_lookback: int
    self_passive_categories: frozenset[str]
    attempted_roots: frozenset[str]
    relation_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    record_verbs: frozenset[str]
    view_objects: frozenset[str]
    fight_roots: frozenset[str]
    view_prepositions: frozenset[str]
    clash_verbs: frozenset[str]
    official_sectors: frozenset[str]
    disagreement_code: str
    opposing_prepositions: frozenset[str]
    duration_prepositions: frozenset[str]
    counterpart_speaker_sectors: frozenset[str]
    request_nouns: frozenset[str]
    fact_markers: frozenset[str]
    statement_verbs: frozenset[str]
    denial_objects: frozenset[str]
    death_verbs: frozenset[str]
    custody_nouns: frozenset[str]
    ruling_out_words: frozenset[str]
    culpability_words: frozenset[str]
    accident_causes: frozenset[str]


@dataclass
class EventCoder:
    """Patterns by (part of speech, lemma) and the rules, loaded once per process."""

    patterns: dict[tuple[str, str], list[Pattern]]
    rules: EventRules

    @classmethod
    def load(cls, patterns: Traversable | None = None, rules: Traversable | None = None,
             petrarch: bool = False) -> EventCoder:
        """Return the coder of the pattern and rule files given (None: the shipped ones;
        ``Options.event_patterns``/``event_rules`` name a user's own), over the PETRARCH2
        layer when ``petrarch`` (``Options.petrarch_verbs``)."""
        patterns_source: Any = patterns or packaged(PATTERNS_FILE)  # hashable, for the cache
        rules_source: Any = rules or packaged(RULES_FILE)
        lower: tuple[Any, ...] = (packaged(LOWER_PATTERNS_FILE),) if petrarch else ()
        rules_read = event_rules(rules_source)
        return cls(patterns=repeated_patterns(layered_patterns(patterns_source, lower),
                                              rules_read.repeatable_verbs),
                   rules=rules_read)


def _split(value: str) -> frozenset[str]:
    """Return the lower-cased items of a ``|``-separated cell."""
    return frozenset(v.strip().lower() for v in value.split("|") if v.strip())


def parse_patterns(source: Traversable) -> Iterator[Pattern]:
    """Yield the patterns of a ``patterns.tsv`` file, in file order; a row whose pos or cameo
    is not one (a shifted column) raises RuleFileError naming the file and line."""
    for order, (line, row) in enumerate(read_tsv(source)):
        if not any(row.values()):
            continue
        if not CAMEO_CODE.match(row.get("cameo", "")) or row["pos"].upper() not in ("VERB", "NOUN"):
            raise RuleFileError(source, line, f"({row['pos']} {row['lemma']}): pos must be VERB "
                                f"or NOUN and cameo a CAMEO code, got {row['pos']!r} and "
                                f"{row['cameo']!r}")
        yield Pattern(
            pos=row["pos"].upper(), lemma=" ".join(row["lemma"].lower().split()),
            objects=_split(row["object"]), preps=_split(row["prep"]),
            prep_objects=_split(row["prep_object"]), particle=row["particle"].lower() or None,
            cameo=row["cameo"], plover=row["plover"].upper(), mode=row["mode"] or None,
            target_preps=tuple(row["target_preps"].lower().split("|")) if row["target_preps"]
            else (), reciprocal=row["reciprocal"].lower() in ("yes", "true", "1"), order=order)


@cache
def load_patterns(source: Any) -> dict[tuple[str, str], list[Pattern]]:
    """Return the patterns of ``source`` by (VERB|NOUN, head lemma), most specific first.

    ``source`` is a Traversable (a Path or a packaged file; typed Any because the cache needs
    it hashable, which the Traversable protocol does not promise)."""
    by_key: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    for pattern in parse_patterns(source):
        by_key[(pattern.pos, pattern.head)].append(pattern)
    for patterns in by_key.values():
        patterns.sort(key=lambda p: (-p.specificity, p.order))
    return dict(by_key)


@cache
def layered_patterns(upper: Any, lower: tuple[Any, ...] = ()
                     ) -> dict[tuple[str, str], list[Pattern]]:
    """Return the patterns of ``upper`` over those of the ``lower`` layers (first listed wins).

    A lower layer only fills in: its rows come in for the (pos, lemma) keys no higher layer
    has, so a verb we curated keeps exactly our rows (a lower row cannot outrank ours by
    specificity), and only its rows with a particle: on the visible gold sets (README,
    "PETRARCH2 verb layer") its bare verbs and object/preposition rows gave about 140 wrong
    keys for 10 right ones. Sources are Traversables, typed Any for the cache."""
    merged = {key: list(rows) for key, rows in load_patterns(upper).items()}
    for source in lower:
        added = {key: fills for key, rows in load_patterns(source).items() if key not in merged
                 and (fills := [row for row in rows if row.particle])}
        merged.update(added)
    return merged


def repeated_patterns(patterns: dict[tuple[str, str], list[Pattern]],
                      verbs: frozenset[str]) -> dict[tuple[str, str], list[Pattern]]:
    """Return ``patterns`` with the rows of each of ``verbs`` also under its "re" form
    ("reimposed the blockade" as "imposed", "re-opened the border"), where that form has none."""
    merged = dict(patterns)
    for verb in sorted(verbs):
        rows = patterns.get(("VERB", verb))
        for form in (f"re{verb}", f"re-{verb}"):
            if rows and ("VERB", form) not in merged:
                merged[("VERB", form)] = [_renamed(row, form) for row in rows]
    return merged


def _renamed(pattern: Pattern, lemma: str) -> Pattern:
    """Return ``pattern`` under the trigger lemma ``lemma``."""
    return Pattern(**{**pattern.__dict__, "lemma": lemma})


def rule_words(data: dict[str, Any], key: str, source: Traversable | None = None
               ) -> frozenset[str]:
    """Return the word list ``key`` of the rules; a non-string (YAML reads a bare `on` or `no`
    as a boolean) is an error naming the file, the line of the key and the key."""
    values = data[key]
    bad = [v for v in values if not isinstance(v, str)]
    if bad:
        message = f"{key}: {bad!r} are not words (quote them)"
        if source is None:
            raise RuleFileError("rules.yaml", None, message)
        raise key_error(source, key, message)
    return frozenset(values)


@cache
def event_rules(source: Any) -> EventRules:
    """Return the rules of ``source`` (the shipped ``data/events/rules.yaml`` or a user's; a
    Traversable, typed Any as in ``load_patterns``)."""
    data = yaml_mapping(source)

    def words(key: str) -> frozenset[str]:
        return rule_words(data, key, source)

    loaded: dict[str, Any] = dict(
        intent_codes={str(k): str(v) for k, v in data["intent_codes"].items()},
        mission_codes={str(k): str(v) for k, v in data["mission_codes"].items()},
        pronouns={str(k): str(v) for k, v in data["pronouns"].items()},
        confidence={str(k): float(v) for k, v in data["confidence"].items()},
        target_required_roots=frozenset(str(r) for r in data["target_required_roots"]),
        place_target_roots=frozenset(str(r) for r in data["place_target_roots"]),
        located_target_roots=frozenset(str(r) for r in data["located_target_roots"]),
        joint_roots=frozenset(str(r) for r in data["joint_roots"]),
        nearby_target_depth=int(data["nearby_target_depth"]),
        complement_codes={str(root): {str(k): str(v) for k, v in codes.items()}
                          for root, codes in data["complement_codes"].items()},
        instrument_codes=[(frozenset(rule["subjects"]), str(rule["root"]), str(rule["code"]))
                          for rule in data["instrument_codes"]],
        owner_depth=int(data["owner_depth"]),
        home_country_lead=int(data["home_country_lead"]),
        addressee_depth=int(data["addressee_depth"]),
        ethnic_homelands={str(group): frozenset(str(c) for c in countries)
                          for group, countries in data["ethnic_homelands"].items()},
        visit_codes=frozenset(str(c) for c in data["visit_codes"]),
        joint_exercise_codes=(str(data["joint_exercise_codes"][0]),
                              str(data["joint_exercise_codes"][1])),
        threat_roots=frozenset(str(r) for r in data["threat_roots"]),
        territory_min_population=int(data["territory_min_population"]),
        subject_lookback=int(data["subject_lookback"]),
        disagreement_code=str(data["disagreement_code"]),
        attempted_roots=frozenset(str(r) for r in data["attempted_roots"]),
    )
    for name in (f.name for f in fields(EventRules) if f.name not in loaded):
        loaded[name] = words(name)  # every other rule is a list of words under its own name
    return EventRules(**loaded)


def _lemma_keys(token: Token) -> list[str]:
    """Return the lemmas a trigger is looked up by: its own, and the hyphen-joined word it ends
    ("cease-fire" from "cease", "-", "fire")."""
    keys = [token.lemma_.lower(), token.lower_]
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_ \
            and not doc[token.i - 1].whitespace_:
        keys.insert(0, f"{doc[token.i - 2].lower_}-{token.lemma_.lower()}")
    return keys


def _modifier_lemmas(token: Token) -> set[str]:
    """Return the lemmas and lower-cased words of the left modifiers of ``token``."""
    return {c.lemma_.lower() for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")} | {
        c.lower_ for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")}


QUANTITY_NOUNS = frozenset({"ten", "dozen", "hundred", "thousand", "million", "billion", "score",
                            "number", "part", "rest", "remainder", "half", "portion", "section",
                            "bulk", "majority", "third", "quarter", "most", "much", "day",
                            "week", "month", "hour", "night", "round", "spate", "some", "many",
                            "group", "batch", "couple", "handful", "convoy", "wave", "series",
                            "deployment", "contingent", "detachment", "tonne", "ton",
                            "consignment", "package"})
# "@obliged": the subject of a clause under one of these ("said Libya must hand over the
# suspects"): what a speaker says another must do is a demand; "must have" is a guess.
OBLIGATION_MODALS = frozenset({"must", "ought"})
SPEAKERS = frozenset({"i", "we"})


def _counted(token: Token) -> Token:
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


def fits_item(item: str, token: Token) -> bool:
    """True when ``token`` is the item: "cell", or "sleeper cell" = "cell" modified by "sleeper";
    "@place" is any toponym; a quantity stands for what it counts ("thousands of troops")."""
    return _fits(item, Counted(token))


class Counted:
    """A token as the items of patterns test it: ``token``, what it counts (``_counted``);
    ``words``, that one's lower-cased lemma and word; and, read when first needed, the lemmas
    and words of its left modifiers (``modifiers``)."""

    __slots__ = ("_modifiers", "token", "words")

    def __init__(self, token: Token) -> None:
        self.token = _counted(token)
        self.words = (self.token.lemma_.lower(), self.token.lower_)
        self._modifiers: set[str] | None = None

    def modifiers(self) -> set[str]:
        """Return ``_modifier_lemmas`` of the counted token (read once)."""
        if self._modifiers is None:
            self._modifiers = _modifier_lemmas(self.token)
        return self._modifiers


@cache
def _item_parts(item: str) -> tuple[frozenset[str], str]:
    """Return the modifier words and the head word of an item or lemma ("sleeper cell")."""
    words = item.split()
    return frozenset(words[:-1]), words[-1]


def _fits(item: str, counted: Counted) -> bool:
    """True when the ``counted`` token is the item (see ``fits_item``)."""
    token = counted.token
    if item[:1] == "@":
        marked = _fits_marker(item, token)
        if marked is not None:
            return marked
    modifiers, head = _item_parts(item)
    if head not in counted.words:
        return False
    return not modifiers or modifiers <= counted.modifiers()


def _fits_marker(item: str, token: Token) -> bool | None:
    """True when ``token`` is what an "@" item stands for ("@place": a toponym...); None for
    an item that is no marker."""
    if item == "@place":
        return bool(token.ent_type_ in PLACE_LABELS)
    if item == "@person":
        return bool(token.ent_type_ == "PERSON")
    if item == "@people":
        return bool(token.ent_type_ == "NORP")  # "700,000 Rohingya"
    if item == "@obliged":
        return _obliged(token)
    if item == "@told":  # the subject of a clause a verb governs: "protested that X fails" (a
        # root's subject is an object only of a speaker hung on a noun: ``misparsed_report``)
        return token.dep_ == "nsubj" and token.head.dep_ in ("ccomp", "ROOT")
    if item == "@asked":  # the one asked: "pushing Russia to hold off"
        return token.dep_ in OBJECTS and any(
            c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for c in token.head.children)
    if item == "@ordered":  # "told Erdogan that the ceasefire must be applied"
        return token.dep_ in ("nsubj", "nsubjpass") and _obliged(token, passive=True)
    return None


def _obliged(subject: Token, passive: bool = False) -> bool:
    """True for the subject of a clause that says what it must do ("Libya must hand over"),
    not of a guess ("must have known") nor the speaker's own duty ("we must"); with ``passive``
    also of what must be done ("the ceasefire must be applied")."""
    subjects = ("nsubj", "nsubjpass") if passive else ("nsubj",)
    if subject.dep_ not in subjects or subject.lower_ in SPEAKERS or subject.head.i == subject.i:
        return False
    clause = subject.head
    modal = [c for c in clause.children if c.dep_ == "aux" and c.lower_ in OBLIGATION_MODALS]
    guess = any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in clause.children)
    return bool(modal) and not guess and clause.dep_ == "ccomp"


# the part of speech of a trigger's patterns by the token's own
TRIGGER_POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN"}


def pattern_for(token: Token, patterns: dict[tuple[str, str], list[Pattern]]) -> Pattern | None:
    """Return the most specific pattern of ``token`` whose requirements hold, if any (an object
    item with modifiers that fits, "ceasefire agreement", counts one more: the header's rule)."""
    pos = TRIGGER_POS.get(token.pos_)
    if pos is None:
        return None
    if pos == "NOUN" and token.dep_ == "compound":
        return None  # "aid workers", "attack helicopter": the word modifies another noun
    if pos == "VERB" and token.tag_ == "VBN" and any(c.dep_ == "det" for c in token.children):
        return None  # "evacuated the wounded": a participle standing for the people
    candidates = next((patterns[(pos, k)] for k in _lemma_keys(token) if (pos, k) in patterns),
                      None)
    if not candidates:
        return None
    children = [(c, c.dep_) for c in token.children]
    objects = [c for c, dep in children if dep in OBJECTS or dep == "nsubjpass"]
    objects += [s for c, dep in children if dep in ("ccomp", "xcomp") for s in c.children
                if s.dep_ in ("nsubj", "nsubjpass")]  # "allowed a UN convoy to enter"
    told = misparsed_report(token)
    objects += [s for s in told.children if s.dep_ == "nsubj"] if told is not None else []
    if token.dep_ == "acl" and token.tag_ == "VBN" and any(dep == "agent" for _, dep in children):
        objects.append(token.head)  # "a Briton held by Kurds": the Briton was held
    # a preposition is a particle right after the verb or without an object of its own: not
    # "in" of "gave a welcome to X in Berlin" (which is no "give in")
    particles = {c.lower_ for c, dep in children if dep in ("prt", "advmod") or (
        dep == "prep" and (c.i == token.i + 1 or not any(g.dep_ == "pobj" for g in c.children)))}
    prep_tokens = [c for c, dep in children if dep in ("prep", "agent", "dative")]
    prep_tokens += [c for o in objects for c in o.children if c.dep_ == "prep"]
    prep_tokens += [m for c, dep in children if dep in ("advcl", "acl") for m in c.children
                    if m.dep_ == "mark" and m.lower_ == "for"]  # "a call for Russia to leave"
    counted = [Counted(o) for o in objects]
    modifiers: set[str] | None = None
    best: tuple[int, Pattern] | None = None  # (specificity + a qualified object item, pattern)
    for pattern in candidates:
        if best is not None and pattern.specificity + 1 <= best[0]:
            break  # sorted by specificity: no later row can beat it
        needed = pattern.modifiers
        if needed:
            modifiers = _modifier_lemmas(token) if modifiers is None else modifiers
            if not needed <= modifiers:
                continue
        if pattern.objects and not any(_fits(item, o) for item in pattern.objects
                                       for o in counted):
            continue
        if pattern.particle and pattern.particle not in particles:
            continue
        if pattern.preps:  # "on Tuesday" is no "called on X"
            fitting = [p for p in prep_tokens if p.lower_ in pattern.preps and not any(
                o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in p.children)]
            if not fitting or (pattern.prep_objects and not any(
                    fits_item(item, pobj) for p in fitting for pobj in p.children
                    if pobj.dep_ == "pobj" for item in pattern.prep_objects)):
                continue
        score = pattern.specificity + any(" " in i and _fits(i, o) for i in pattern.objects
                                          for o in counted)  # "ceasefire agreement"
        best = (score, pattern) if best is None or score > best[0] else best
    return best[1] if best is not None else None


def misparsed_report(token: Token) -> Token | None:
    """Return the root of the sentence a speaker's verb at its end tells, where the parser hung
    the verb on the speaker's noun ("Croatia is failing refugees, a rights group protested":
    "protested" describing "group"): a past form describing a noun phrase that follows a comma
    and the root, the sentence's last verb, with no object or clause of its own; else None."""
    if token.dep_ != "acl" or token.tag_ not in ("VBD", "VBN") or any(
            c.dep_ == "agent" for c in token.children):
        return None
    root, start = token.sent.root, token.head.left_edge.i
    if root.i >= start or root.pos_ not in ("VERB", "AUX") or token.doc[start - 1].text != ",":
        return None
    if any(c.dep_ in (*OBJECTS, "ccomp", "xcomp") for c in token.children) or any(
            t.pos_ in ("VERB", "AUX") for t in token.doc[token.i + 1:token.sent.end]):
        return None
    return root


def carried_by_its_verb(token: Token, patterns: dict[tuple[str, str], list[Pattern]],
                        reporting_verbs: frozenset[str] = frozenset()) -> bool:
    """True for an event noun that is the object of a coded verb: "called for a ceasefire",
    "signed a memorandum" (the verb's pattern codes the event). A noun in a phrase of a verb
    of speech is an act of its own: "said in a telephone call to Erdogan" (what is said is
    another matter)."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    governor = token.head if token.dep_ in OBJECTS else (
        token.head.head if token.dep_ == "pobj" else None)
    if governor is None or governor.i == token.i:
        return False
    pattern = pattern_for(governor, patterns)
    if pattern is not None and token.dep_ == "pobj" and token.head.lower_ not in pattern.preps \
            and governor.lemma_.lower() in reporting_verbs:
        return False  # "insisted on its demands" is one demand
    return pattern is not None
