"""What the rest of an article says about a name it writes: pure functions over a parsed doc.

One name keeps one sense within an article:
- ``person_words``: the surnames of the article's people ("Ashley Sutton", "Dewly Nelson",
  "Bill Holland") and the names spaCy calls persons that start such a name ("Li" of "Li
  Wenzu"): alone, "Sutton" is the driver, not the London borough;
- ``is_persons_name``: a span that is such a word, lies inside a person's name ("Jordan" of
  "Andrew Jordan") or follows a title ("Mr. Heiden"), unless a locative preposition governs it
  ("in Nelson");
- ``place_keys``: the names spaCy calls places more often than persons: "Douma's fall" after
  "the city of Douma" is the city, though spaCy calls that "Douma" a person;
- ``country_initials``: the initials of a country the article names are that country ("SA"
  in news naming South Africans, "T&T" in news of Trinidad and Tobago);
- ``area_code``: an all-caps code of a first-level area the article names elsewhere
  ("FrontCounter BC" in news of Nelson, British Columbia; "HORRY COUNTY, SC"), not "7 a.m. CT";
- ``cued_kind`` and ``coordinated``: a name its words call a state ("the state of
  Washington"), and the names coordinated with another ("California or Washington").

And where it is:
- ``place_after``: a place the gazetteer does not know lies in the known place written right
  after it ("the Convention Centre, Dublin");
- ``organisation_heads``: the town that heads an organisation's name ("Owensboro Public
  Schools"), a toponym when it is a town of the article's area;
- ``dateline_entry``: the dateline's place among its namesakes, or the area written after an
  unknown one ("CAMP MURRAY, Wash.").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy

from whodid.knowledge.gazetteer import GazetteerEntry, GazetteerIndex, ascii_fold
from whodid.model import Article, Mention
from whodid.stages.place_rules import PlaceRules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

POSSESSIVES = ("'s", "’s")
PLACE_LABELS = frozenset({"GPE", "LOC"})
MAX_NAME_WORDS = 3  # "Councillor Dewly Nelson", "Benjamin Matthew Williams"
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "sgt",
                        "gen", "col", "capt", "lt", "prof", "rev", "sen", "rep", "gov"})


@dataclass(frozen=True)
class PersonWords:
    """The folded words that name the article's people: ``surnames`` (the last word of a
    person's name), ``given`` (the word before it) and ``full`` (the two together)."""

    surnames: frozenset[str]
    given: frozenset[str]
    full: frozenset[str]


def _name_words(span: Span) -> list[str]:
    """Return the words of a name without a trailing possessive, as written."""
    words = [t.text for t in span]
    while words and words[-1] in POSSESSIVES:
        words.pop()
    return words


def person_words(doc: Doc, index: GazetteerIndex, area_words: frozenset[str]) -> PersonWords:
    """Return the last two words (given name and surname) of the names of two or three words
    spaCy calls persons ("Ashley Sutton", "Councillor Dewly Nelson"), each written as a name
    (capitalised proper nouns: not "Inside Baghouz"), that the gazetteer does not know as a
    whole and that do not end in an area word (``area_words``): "Tamil Nadu" and "Sokoto
    State" are no persons."""
    surnames: set[str] = set()
    given: set[str] = set()
    full: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = _name_words(ent)
        if not 2 <= len(words) <= MAX_NAME_WORDS or \
                not all(w.isalpha() and w[:1].isupper() and not w.isupper() for w in words) or \
                any(t.pos_ != "PROPN" for t in ent[:len(words)]) or \
                words[-1].lower() in area_words or index.lookup(ascii_fold(" ".join(words))):
            continue
        given.add(ascii_fold(words[-2]))
        surnames.add(ascii_fold(words[-1]))
        full.add(ascii_fold(" ".join(words[-2:])))
    return PersonWords(frozenset(surnames), frozenset(given), frozenset(full))


def is_persons_name(span: Span, people: PersonWords, after_preposition: bool,
                    notable_place: bool = False) -> bool:
    """True for a span that names one of the article's people: inside a two-word person's name
    ("Andrew Jordan"), the full name again, or alone a surname ("Sutton said"), or a given name
    spaCy calls a person there too ("Li wore"); never the object of a locative preposition ("in
    Nelson"), nor a lone surname spaCy calls a place there that is a ``notable_place`` of the
    gazetteer (a signature "Joe McCarthy Dublin" does not unmake Dublin)."""
    if after_preposition:
        return False
    if span.start > 0 and span.doc[span.start - 1].lower_.rstrip(".") in HONORIFICS:
        return True  # "Mr. Heiden"
    words = _name_words(span)
    key = ascii_fold(" ".join(words))
    if key in people.full:
        return True
    person = _person_holding(span)
    if person is not None and len(person) > len(span) and \
            ascii_fold(" ".join(_name_words(person))) in people.full:
        return True
    if len(words) != 1:
        return False
    if key in people.surnames:
        return not (notable_place and span.root.ent_type_ in PLACE_LABELS)
    return key in people.given and span.root.ent_type_ == "PERSON"


def _person_holding(span: Span) -> Span | None:
    """Return the PERSON entity of ``doc.ents`` that holds the non-empty ``span`` (None: none
    does), read from the tokens' IOB tags as ``doc.ents`` is, without building every entity."""
    doc = span.doc
    start = span.start
    if span.start >= span.end:
        return None
    while start >= 0 and doc[start].ent_iob_ == "I":
        start -= 1
    if start < 0 or doc[start].ent_iob_ != "B" or doc[start].ent_type_ != "PERSON":
        return None
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end] if span.end <= end else None


NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})


def place_keys(doc: Doc, people: PersonWords) -> frozenset[str]:
    """Return the folded names (without "the" and a possessive) that spaCy calls places
    (``PLACE_LABELS``) more often than persons or organisations, but not its people's names:
    "Douma" twice a place and once a person is the city; "Noma" once a place and ten times a
    person is the woman."""
    places: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS or ent.label_ in NAME_LABELS:
            words = _name_words(ent)
            if words and words[0].lower() == "the":
                words = words[1:]
            key = ascii_fold(" ".join(words))
            (places if ent.label_ in PLACE_LABELS else names)[key] += 1
    return frozenset(key for key, count in places.items() if key and count > names[key]
                     and key not in people.surnames and key not in people.full)


MAX_CODE_LENGTH = 3


def area_code(text: str, index: GazetteerIndex, admin1s: Counter[tuple[str, str]]
              ) -> list[GazetteerEntry]:
    """Return the first-level area an all-caps code names ("BC", "NSW", "SC") when the article
    names that area or its towns elsewhere (``admin1s``), else nothing: "CT" after "7 a.m." and
    "Cimpress NV" are no states."""
    if not _code_like(text):
        return []
    return [e for e in index.lookup(ascii_fold(text))
            if e.feature == "admin1" and admin1s[(e.country, e.admin1 or "")] > 0
            and ascii_fold(e.name) != text.lower()]


def _code_like(text: str) -> bool:
    """True for a word written like a first-level area's code: two or three capitals."""
    return text.isupper() and text.isalpha() and 2 <= len(text) <= MAX_CODE_LENGTH


def code_like_tokens(doc: Doc) -> list[Token]:
    """Return the tokens of ``doc`` written like an area's code (``area_code`` finds nothing
    for the others), in order: the words of two or three characters, read from the word array
    of the doc, are tested; only the tokens found become Token objects."""
    from spacy.attrs import LENGTH, ORTH  # spaCy is imported when a model is loaded

    words = doc.to_array([ORTH, LENGTH])
    short = numpy.flatnonzero((words[:, 1] >= 2) & (words[:, 1] <= MAX_CODE_LENGTH))
    strings = doc.vocab.strings
    return [doc[i] for i, orth in zip(short.tolist(), words[short, 0].tolist(), strict=True)
            if _code_like(strings[orth])]


def proper_nouns(doc: Doc) -> list[Token]:
    """Return the tokens of ``doc`` tagged PROPN, in order, read from its tag array (no Token
    object is made for the other words)."""
    from spacy.attrs import POS
    from spacy.parts_of_speech import PROPN

    return [doc[int(i)] for i in numpy.flatnonzero(doc.to_array(POS) == PROPN)]


INITIALS = re.compile(r"(?<![\w&.])[A-Z](?:&?[A-Z]){1,3}(?![\w&])")
NAME_LINKS = frozenset({"and", "of", "the"})


def country_initials(doc: Doc, countries: list[GazetteerEntry], text: str
                     ) -> list[tuple[Span, GazetteerEntry]]:
    """Return the all-caps words that are the initials of one of ``countries`` (the article's
    own), with that country: "SA" for South Africa, "T&T" for Trinidad and Tobago, "DRC" for
    the Democratic Republic of the Congo; a one-word name has no initials. ``text`` is the
    doc's text (``doc.text`` joins its tokens anew)."""
    by_initials: dict[str, GazetteerEntry] = {}
    for entry in countries:
        words = [w for w in entry.name.replace("-", " ").split() if w.lower() not in NAME_LINKS]
        if len(words) > 1:
            by_initials.setdefault("".join(w[0].upper() for w in words), entry)
    found: list[tuple[Span, GazetteerEntry]] = []
    if not by_initials:  # no country of several words: no initials to find
        return found
    for match in INITIALS.finditer(text):
        named = by_initials.get(match.group().replace("&", ""))
        span = None if named is None else doc.char_span(match.start(), match.end(),
                                                        alignment_mode="expand")
        if named is not None and span is not None:
            found.append((span, named))
    return found


# Words between a place the gazetteer does not know and the known place that holds it:
# "the Convention Centre, Dublin", "Alder Hey Children's Hospital in Liverpool", "Rathbeggan,
# near Dunshaughlin".
CONTAINMENT_WORDS = frozenset({",", "in", "near", ", near", ", in"})


def place_after(doc: Doc, end: int, known: dict[int, GazetteerEntry]) -> GazetteerEntry | None:
    """Return the known place (``known``: resolved toponyms by first token) written right after
    token ``end``, where a toponym the gazetteer does not know ends, joined by a comma or
    "in"/"near" (``CONTAINMENT_WORDS``): where the unknown place lies."""
    for start in (end + 1, end + 2):
        if start in known and " ".join(t.lower_ for t in doc[end:start]) in CONTAINMENT_WORDS:
            return known[start]
    return None


ORGANISATION_MENTIONS = ("AGENT", "ORG")  # mention labels of the actors stage


def mention_tokens(doc: Doc, mentions: list[Mention]) -> list[tuple[int, int] | None]:
    """Return the first and end token of each mention (None: its characters fit no token)."""
    spans = (doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions)
    return [(span.start, span.end) if span is not None else None for span in spans]


def organisation_heads(doc: Doc, mentions: list[Mention], labels: frozenset[str]) -> set[int]:
    """Return the first word of the names of organisations (entities of ``labels`` and actors
    without a country of their own) when it is a capitalised proper noun followed by another:
    "Owensboro" of "Owensboro Public Schools", "Derry" of "Derry's Altnagelvin Hospital"."""
    spans = [(e.start, e.end) for e in doc.ents if e.label_ in labels]
    spans += [(span.start, span.end) for m in mentions
              if m.label in ORGANISATION_MENTIONS and m.actor is not None
              and not m.actor.country
              for span in [doc.char_span(m.start, m.end, alignment_mode="expand")]
              if span is not None]
    heads = set()
    for start, end in spans:
        if start < end and doc[start].lower_ == "the":
            start += 1
        if end - start > 1 and doc[start].pos_ == "PROPN" and doc[start].is_title:
            heads.add(start)
    return heads


def dateline_entry(article: Article, index: GazetteerIndex, rules: PlaceRules,
                   context: Counter[str]) -> GazetteerEntry | None:
    """Return the gazetteer entry of the dateline's place ("ERBIL, Kurdistan Region"), else of
    the area or country written after a place the gazetteer does not know ("CAMP MURRAY,
    Wash.": Washington state)."""
    if article.dateline is None or not article.dateline.place:
        return None
    # "ALEXANDRIA, La. -": the area or country written after the place decides
    text = article.dateline.text
    at = text.lower().find(article.dateline.place.lower())
    after = text[at + len(article.dateline.place):].split("(")[0] if at >= 0 else ""
    areas = [e for part in after.split(",") for e in index.candidates(part.strip("-–— "))
             if e.feature in ("admin1", "country")]
    candidates = index.candidates(article.dateline.place)
    if not candidates:
        return areas[0] if areas else None
    named = {(e.country, e.admin1 if e.feature == "admin1" else None) for e in areas}
    candidates = [e for e in candidates if (e.country, None) in named or
                  (e.country, e.admin1) in named] or candidates
    total = sum(context.values()) or 1
    return max(candidates, key=lambda e: rules.population_weight * math.log10(e.population + 1)
               + rules.context_weight * context[e.country] / total)


def after_locative_preposition(span: Span, rules: PlaceRules) -> bool:
    """True for a name that is the object of a locative preposition ("in Nitra", "near
    Castlegar"), or in a list that is ("stops in Hilversum and Almelo", "in Zilina, Nitra,
    Presov and Kosice"): a town of any size, even when spaCy calls it a person or an
    organisation."""
    root = span.root
    while root.dep_ == "conj" and root.head.pos_ == "PROPN" and root.head.i < root.i:
        root = root.head
    return root.dep_ == "pobj" and root.head.lower_ in rules.town_prepositions and \
        span[0].text[:1].isupper() and not acronym(span.text)


def acronym(text: str) -> bool:
    """True for a short all-caps word ("EIB", "MIDI"): an organisation more often than a town."""
    return text.isupper() and len(text.replace(".", "")) < 5


def cued_kind(doc: Doc, start: int, rules: PlaceRules) -> str | None:
    """Return "admin1" for a name its words call a state or province ("the state of
    Washington", "upstate New York", "the governor of Georgia")."""
    before = " ".join(t.lower_ for t in doc[max(0, start - 3):start])
    return "admin1" if any(before.endswith(cue) for cue in rules.area_cues) else None


def coordinated(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the pairs of ``spans`` (token start and end; by number) of which the first is
    coordinated with or in apposition to the second ("California or Washington")."""
    at = {doc[start:end].root.i: position for position, (start, end) in enumerate(spans)}
    pairs = []
    for i, position in at.items():
        token = doc[i]
        other = at.get(token.head.i) if token.dep_ in ("conj", "appos") else None
        if other is not None:
            pairs.append((position, other))
    return pairs
