"""Where each event happened: the place its trigger governs, else its sentence's, the dateline's,
the article's focus.

The places stage resolves the toponyms; this module chooses, for one event, among them:

1. a place its trigger governs, the nearest in the parse first: the object of a locative
   preposition of the trigger or of its objects ("met in Munich", "shelled villages near
   Afrin", "clashes in the north of Idlib province", "the capture of the town of Afrin"), a
   place that is the trigger's direct object or passive subject ("entered Manbij", "Raqqa was
   bombed"), then the same for the verb the trigger's clause hangs on ("met ... in Munich to
   discuss") and for its coordinated verbs ("moved the troops and repositioned to Hasakah");
   a subordinate clause of its own (a reported "said ... had entered Manbij", a relative clause)
   is another event's, and a subject is the actor, not the place;
2. else, in a "where" or "at which" clause, the place of the noun it hangs on ("a summit in
   Tehran at which Erdogan pleaded"); else the place of a locative phrase of its clause nearest
   the trigger ("the ministry in Damascus said"); never a place named as an actor's home
   ("Turkish troops", "a US drone", "the UK foreign secretary"), a country owning the trigger
   ("in Turkey's assault on Afrin") or an example in a list ("cities such as Aleppo");
3. else the dateline's place; else the article's focus: its town or area most named where
   something happened ("in Raqqa"), else one named more than once, else its country most
   named where something happened ("in Syria").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whodid.knowledge.gazetteer import GazetteerEntry
from whodid.model import Article, Event, Location, Place

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependents that open another clause (another event's) or name the actor, not the place.
CLAUSE_LIMITS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis",
                           "nsubj", "csubj", "csubjpass", "mark", "punct", "cc", "aux",
                           "auxpass", "neg"})
# Prepositions whose gerund names another action, the reason or the time of the event ("a
# prosecution for fighting in Syria", "arrested after returning from Iraq"), not its manner.
OTHER_ACTION = frozenset({"for", "after", "before", "since", "over", "against", "about",
                          "despite", "without", "until"})
# How a toponym token hangs on the noun phrase it belongs to ("Idlib province", "Greece's").
PHRASE_PARTS = frozenset({"compound", "poss", "appos", "conj", "amod", "nmod"})
# Of those, the ways a country is named as an actor's home rather than a place ("US troops").
AFFILIATIONS = frozenset({"compound", "amod", "nmod"})
LOCAL_FEATURES = ("city", "admin2", "locality", "admin1")
COUNTRY_FEATURES = ("country",)
MAX_DEPTH = 8


@dataclass(frozen=True)
class LocationContext:
    """What every event of an article may be located by: its toponyms by token, the locative
    prepositions, the tokens actors claim as countries, and the fallbacks."""

    by_token: dict[int, Place]
    prepositions: frozenset[str]
    actor_tokens: frozenset[int]
    dateline: GazetteerEntry | None
    focus: Place | None


def article_focus(article: Article, context: LocationContext) -> Place | None:
    """Return the place an article is about: its town, county or first-level area most named
    where something happened ("in Raqqa"; the first named of equals), else the one most named
    anywhere when named more than once, else its country most named where something happened
    ("in Syria"; not "US troops", not a country that acts). A town named once is the focus
    only when it is the article's first place where something happened or lies in its leading
    country, the one those places name most (a town counting for its country): "an expert at
    an institute in Washington" does not make an article about the fighting in Syria an
    American one; of equally named towns, one in the leading country first."""
    located = [p for p in article.places if p.lat is not None and p.geonameid is not None]
    tokens: dict[int, list[int]] = {}
    for i, place in context.by_token.items():
        tokens.setdefault(place.start, []).append(i)
    where = [p for p in located if any(_where(article.doc[i], None, context) and not _origin(
        article.doc[i]) for i in tokens.get(p.start, ()))]
    leading = _leading_country(where)
    local = Counter(p.geonameid for p in where if p.feature in LOCAL_FEATURES)
    if not local:
        local = Counter(p.geonameid for p in located if p.feature in LOCAL_FEATURES)
        local = Counter({k: n for k, n in local.items() if n > 1})
    first = where[0].geonameid if where else None
    ranked = sorted((k for k in local if local[k] > 1 or k == first or _country_of(
        k, located) == leading), key=lambda k: (-local[k], _country_of(k, located) != leading))
    countries = Counter(p.geonameid for p in where if p.feature in COUNTRY_FEATURES)
    chosen = ranked[0] if ranked else (countries.most_common(1)[0][0] if countries else None)
    return next((p for p in located if p.geonameid == chosen), None) if chosen else None


def _leading_country(where: list[Place]) -> str | None:
    """Return the country the places where something happened name most (a country or a place
    in it; the first named of equals), None when none has a country."""
    counts = Counter(p.country for p in where if p.country)
    return counts.most_common(1)[0][0] if counts else None


def _country_of(geonameid: int | None, places: list[Place]) -> str | None:
    return next(p.country for p in places if p.geonameid == geonameid)


def event_location(event: Event, article: Article, context: LocationContext) -> Location | None:
    """Return where an event happened (module docstring)."""
    place = None
    if event.trigger_span is not None:
        trigger = article.doc.char_span(*event.trigger_span, alignment_mode="expand")
        if trigger is not None:
            place = _governed_place(trigger.root, context) or \
                _relative_place(trigger.root, context) or \
                _sentence_place(trigger.root, context)
    if place is not None:
        return _location(place)
    if context.dateline is not None:
        entry = context.dateline
        return Location(name=entry.name, country=entry.country, lat=round(entry.lat, 5),
                        lon=round(entry.lon, 5), geonameid=entry.geonameid)
    return _location(context.focus) if context.focus is not None else None


def _location(place: Place) -> Location:
    return Location(name=place.name, country=place.country, lat=place.lat, lon=place.lon,
                    geonameid=place.geonameid)


def _governed_place(trigger: Token, context: LocationContext) -> Place | None:
    """Return the place the trigger governs, else the one its governing verb or coordinated
    verbs govern (step 1)."""
    place = _place_below(trigger, context)
    head = trigger
    while place is None and head.dep_ in ("xcomp", "advcl", "conj") and head.head.i != head.i:
        head = head.head  # "met ... in Munich to discuss": the meeting's place
        place = _place_below(head, context)
    if place is None:  # "moved the troops ... and repositioned to Hasakah"
        for verb in trigger.children:
            if verb.dep_ == "conj" and verb.pos_ in ("VERB", "AUX"):
                place = _place_below(verb, context)
                if place is not None:
                    break
    return place


def _relative_place(trigger: Token, context: LocationContext) -> Place | None:
    """Return the place of the noun a "where" or "at which" clause of the trigger hangs on:
    "a summit in Tehran at which Erdogan pleaded", "Afrin, where troops clashed"."""
    head = _clause_head(trigger)
    if head.dep_ != "relcl":
        return None
    where = any(c.lower_ == "where" for c in head.children) or any(
        c.dep_ == "prep" and c.lower_ in context.prepositions and
        any(o.lower_ == "which" for o in c.children) for c in head.children)
    if not where:
        return None
    noun = head.head
    return context.by_token.get(noun.i) or _place_below(noun, context)


def _place_below(top: Token, context: LocationContext) -> Place | None:
    """Return the nearest (in the parse, then in the text) place within ``top``'s clause that
    says where the event was."""
    level = [top]
    for depth in range(MAX_DEPTH):
        level = [c for t in level for c in t.children if (c.dep_ not in CLAUSE_LIMITS or (
            depth == 0 and top.pos_ == "NOUN" and c.dep_ in ("acl", "relcl")))
            and not _other_action(c)]
        found = [t for t in level if t.i in context.by_token and _where(t, top, context)]
        if found:
            return context.by_token[min(found, key=lambda t: abs(t.i - top.i)).i]
        if not level:
            return None
    return None


def _other_action(token: Token) -> bool:
    """True for the gerund of a preposition that names another action (OTHER_ACTION), parsed
    as a verb or as a bare noun ("jailed for fighting in Iraq"; not "after the fighting")."""
    if token.head.lower_ not in OTHER_ACTION:
        return False
    return (token.dep_ == "pcomp" and token.pos_ == "VERB") or (
        token.dep_ == "pobj" and token.lower_.endswith("ing") and token.pos_ in ("NOUN", "VERB")
        and not any(c.dep_ in ("det", "poss") for c in token.children))


def _sentence_place(trigger: Token, context: LocationContext) -> Place | None:
    """Return the place of a locative phrase of the trigger's clause, or of a clause it hangs
    on, nearest the trigger ("the ministry in Damascus said")."""
    head = _clause_head(trigger)
    clauses = {head.i}
    while head.dep_ in ("xcomp", "advcl", "conj") and head.head.i != head.i:
        head = _clause_head(head.head)
        clauses.add(head.i)
    sentence = trigger.sent
    placed = [trigger.doc[i] for i in sorted(context.by_token)
              if sentence.start <= i < sentence.end]  # its words that name a place, in order
    found = [t for t in placed if _where(t, None, context)
             and _in_clauses(t, clauses) and not _origin(t) and not _owner(t, trigger, context)
             and not any(_other_action(a) for a in t.ancestors)]
    if not found:
        return None
    return context.by_token[min(found, key=lambda t: abs(t.i - trigger.i)).i]


def _owner(token: Token, trigger: Token, context: LocationContext) -> bool:
    """True for a country that owns or qualifies the trigger's own phrase: "played a role in
    Turkey's assault" names who assaulted, not where."""
    phrase = token
    while phrase.dep_ in PHRASE_PARTS and phrase.head.i != phrase.i:
        phrase = phrase.head
    return phrase.i == trigger.i and token.i != trigger.i and \
        context.by_token[token.i].feature in COUNTRY_FEATURES


def _origin(token: Token) -> bool:
    """True for a toponym after "from" outside the trigger's phrases: where someone came from
    ("fighters from Hatay province attacked"), not where the event was."""
    while token.dep_ in PHRASE_PARTS and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ == "from"


def _in_clauses(token: Token, clauses: set[int]) -> bool:
    """True when a token belongs to one of ``clauses`` or to an adverbial clause of one ("after
    a court cleared him in Greece's biggest trial")."""
    head = _clause_head(token)
    while head.i not in clauses and head.dep_ in ("advcl", "xcomp") and head.head.i != head.i:
        head = _clause_head(head.head)
    return head.i in clauses


def _clause_head(token: Token) -> Token:
    """Return the verb whose clause a token belongs to (the root when there is none)."""
    while token.head.i != token.i and (token.pos_ not in ("VERB", "AUX")
                                       or token.dep_ in ("aux", "auxpass")):
        token = token.head
    return token


def _where(token: Token, trigger: Token | None, context: LocationContext) -> bool:
    """True when a toponym token says where an event was: the object of a locative
    preposition (through "of": "in the north of Idlib"), a part of such an object that is not
    a country named as an actor's home, or the direct object or passive subject of the trigger
    that no actor claims as a country."""
    if trigger is not None and token.dep_ == "compound" and token.head.i == trigger.i:
        return context.by_token[token.i].feature not in COUNTRY_FEATURES  # "the Vienna talks"
    phrase = token
    while phrase.dep_ in PHRASE_PARTS and phrase.head.i != phrase.i:
        if phrase.dep_ in AFFILIATIONS and phrase.head.i not in context.by_token and (
                phrase.i in context.actor_tokens or
                context.by_token[token.i].feature in COUNTRY_FEATURES):
            return False  # "US troops", "the UK foreign secretary", "in US custody"
        phrase = phrase.head
    if trigger is not None and phrase.i == trigger.i and token.i != trigger.i:
        # "the Sochi talks" name where they were, "in Turkey's offensive" who attacked
        return context.by_token[token.i].feature not in COUNTRY_FEATURES
    if token.i in context.actor_tokens:
        return _locative(phrase, trigger, context.prepositions) is LOCATIVE
    if _object_of(phrase, trigger):
        return _names_the_phrase(token, phrase)
    found = _locative(phrase, trigger, context.prepositions)
    return found is LOCATIVE or (found is OBJECT and  # "captured the town of Afrin"
                                 context.by_token[token.i].feature not in COUNTRY_FEATURES)


def _names_the_phrase(token: Token, phrase: Token) -> bool:
    """True when the toponym is the phrase or names it ("the town of Afrin", "Idlib province"),
    not a modifier of another noun ("Turkey's foreign minister")."""
    while token.i != phrase.i:
        if token.dep_ not in ("compound", "appos"):
            return False
        token = token.head
    return True


def _object_of(noun: Token, trigger: Token | None) -> bool:
    """True when ``noun`` is the trigger's direct object or passive subject."""
    return trigger is not None and noun.head.i == trigger.i and noun.dep_ in ("dobj", "nsubjpass")


LOCATIVE, OBJECT = "locative", "object"


def _locative(noun: Token, trigger: Token | None, prepositions: frozenset[str]) -> str | None:
    """Return LOCATIVE when ``noun`` is the object of a locative preposition, directly or
    through "of" ("the town of Gorazde"), or of "of" after the trigger noun ("the siege of
    Aleppo"); OBJECT when it hangs through "of" on the trigger's object ("captured the town of
    Afrin"); else None."""
    for _ in range(MAX_DEPTH):
        if noun.dep_ != "pobj" or noun.head.i == noun.i:
            return None
        preposition = noun.head
        word = preposition.lower_
        if word in prepositions:
            return LOCATIVE
        if word != "of" or preposition.head.i == preposition.i:
            return None
        if trigger is not None and preposition.head.i == trigger.i:
            return LOCATIVE
        noun = preposition.head
        while noun.dep_ in PHRASE_PARTS and noun.head.i != noun.i:
            noun = noun.head
        if _object_of(noun, trigger):
            return OBJECT
    return None
