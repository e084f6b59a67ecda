"""The actors stage: find every actor mention and resolve it to a CAMEO actor code.

The cascade, for one article (rules in ``data/actor_rules.yaml``, knowledge in ``data/kb/``):
1. Spans: knowledge-base names (people, organisations, regions, countries, demonyms, capitals)
   are matched first and win over spaCy's entities; then spaCy PERSON/ORG/NORP entities that do not
   overlap them; then generic agents: a noun phrase headed by a title or group noun ("the Iraqi
   army", "the Kurdistan Region President"); then "the pair"/"both sides".
2. A title right before a name or in an apposition after it ("US Secretary of Defense Ashton
   Carter", "Caggins, the spokesman for the Coalition") gives the person's sector and affiliation.
3. People: a knowledge-base name takes the role held on the article's date (the title chooses
   among several); out of office, the country's ELI (elite) code. A name not in the knowledge base
   takes its code from title and affiliation.
4. Short forms: a surname, or a misspelt one ("Barzano"), takes the full name met in the same
   article; then the knowledge base by surname, date and title. An acronym slip ("SFD") or the
   last word of an organisation ("the Coalition") takes the organisation met in the article.
5. Generic agents take the sector of their head noun and the country of their modifiers
   ("Iraqi soldiers" -> IRQMIL; no country: the sector alone, "police" -> COP).
6. "The pair" takes the two people (or actors) of a recent sentence as its members.
Unresolved mentions keep their text with a null code.

Reads: doc, published, text. Sets: mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from whodid.gazetteer import ascii_fold, place_names
from whodid.kb import ACRONYM, Agent, Entity, KnowledgeBase, Role
from whodid.model import Actor, Article, Mention

AFFILIATION_KINDS = ("country", "region", "organisation")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
FULL_DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}}) (?P<m1>{MONTHS})|(?P<m2>{MONTHS}) "
                       rf"(?P<d2>\d{{1,2}}),?) (?P<y>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class ActorRules:
    """The rules of ``data/actor_rules.yaml``."""

    ner_labels: frozenset[str]
    pair_phrases: tuple[str, ...]
    surname_similarity: float
    fuzzy_min_length: int
    acronym_min_length: int
    pair_lookback: int
    max_agent_tokens: int


@cache
def actor_rules() -> ActorRules:
    """Return the rules shipped in ``data/actor_rules.yaml``."""
    data = yaml.safe_load(resources.files("whodid").joinpath("data/actor_rules.yaml")
                          .read_text("utf-8"))
    return ActorRules(ner_labels=frozenset(data["ner_labels"]),
                      pair_phrases=tuple(data["pair_phrases"]),
                      surname_similarity=float(data["surname_similarity"]),
                      fuzzy_min_length=int(data["fuzzy_min_length"]),
                      acronym_min_length=int(data["acronym_min_length"]),
                      pair_lookback=int(data["pair_lookback"]),
                      max_agent_tokens=int(data["max_agent_tokens"]))


def plural_forms(term: str) -> list[str]:
    """Return ``term`` and its plural: "troop", "troops"; "secretary of X", "secretaries of X"."""
    words = term.split()
    index = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    word = words[index]
    if word.endswith("man"):
        plurals = [word[:-3] + "men"]
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        plurals = [word[:-1] + "ies"]
    elif word.endswith(("s", "x", "ch", "sh")):
        plurals = [word + "es"]
    else:
        plurals = [word + "s"]
    return [term, *(" ".join([*words[:index], p, *words[index + 1:]]) for p in plurals)]


class ActorFinder:
    """The knowledge base and its spaCy matchers, built once per process."""

    def __init__(self, nlp: Any, kb: KnowledgeBase, rules: ActorRules | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        self.kb = kb
        self.rules = rules or actor_rules()
        self.exact_names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.agents = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.pairs = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: set[str] = set()
        lower: set[str] = set()
        for alias, _ in kb.all_aliases():
            (exact if ACRONYM.match(alias.replace(" ", "")) else lower).add(alias)
        self.exact_names.add("NAME", list(nlp.tokenizer.pipe(sorted(exact))))
        self.names.add("NAME", list(nlp.tokenizer.pipe(sorted(lower))))
        for term in sorted(kb.agents):
            self.agents.add(term, list(nlp.tokenizer.pipe(plural_forms(term))))
        self.pairs.add("PAIR", list(nlp.tokenizer.pipe(self.rules.pair_phrases)))

    def learn(self, entity: Entity) -> None:
        """Add a person learned from the corpus, so later articles resolve their surname."""
        self.kb.add(entity)


@dataclass
class Candidate:
    """A span of the doc that may name an actor, with what is known of it so far."""

    start: int  # token offsets
    end: int
    label: str
    entities: list[Entity] = field(default_factory=list)
    agent: Agent | None = None
    mention: Mention | None = None


def find_actors(article: Article, finder: ActorFinder) -> Article:
    """Set ``article.mentions``: every actor mention of the parsed article, resolved."""
    doc = article.doc
    day = reference_day(article)
    names = _name_spans(doc, finder)
    titles = [(s, e) for match_id, s, e in finder.agents(doc)
              if finder.kb.agents[doc.vocab.strings[match_id]].kind == "title"]
    taken = _token_set(names) | {i for s, e in titles for i in range(s, e)}
    entities = list(_entity_spans(doc, finder, taken, {e for _, e in titles}))
    entities += _untagged_names_after_titles(doc, titles, taken | _token_set(entities))
    people = [c for c in names + entities if _is_person(c)]
    name_tokens = _token_set(c for c in names if c.entities[0].kind not in ("country",))
    agents = [a for a in _agent_spans(doc, finder, people) if a.end - 1 not in name_tokens]
    candidates = _without_overlaps(names + entities + agents)
    if article.dateline is not None:
        dateline = article.dateline
        candidates = [c for c in candidates if not (
            dateline.start <= doc[c.start].idx < dateline.end)]
    resolver = _Resolver(doc, finder, day, candidates, agents)
    mentions = [m for m in resolver.resolve()
                if m.label != "AGENT" or (m.actor is not None and m.actor.code)]
    mentions += _pair_mentions(doc, finder, mentions)
    article.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    return article


def reference_day(article: Article) -> date | None:
    """Return the day the article speaks of: its publication date, else its latest full date."""
    if article.published:
        try:
            return date.fromisoformat(article.published[:10])
        except ValueError:
            pass
    days = []
    for match in FULL_DATE.finditer(article.text):
        month = match.group("m1") or match.group("m2")
        day_number = int(match.group("d1") or match.group("d2"))
        try:
            days.append(date(int(match.group("y")), MONTHS.split("|").index(month) + 1,
                             day_number))
        except ValueError:
            continue
    return max(days) if days else None


def _token_set(candidates: Iterable[Candidate]) -> set[int]:
    return {i for c in candidates for i in range(c.start, c.end)}


def _is_person(candidate: Candidate) -> bool:
    return candidate.label == "PERSON"


def _name_spans(doc: Any, finder: ActorFinder) -> list[Candidate]:
    """Return the knowledge-base names in ``doc``, longest first where they overlap."""
    from spacy.util import filter_spans

    spans = [doc[s:e] for _, s, e in finder.exact_names(doc)]
    spans += [doc[s:e] for _, s, e in finder.names(doc)
              if any(ch.isupper() for ch in doc[s:e].text)]
    people = [ent for ent in doc.ents if ent.label_ in ("PERSON", "ORG")]
    result = []
    for span in filter_spans(spans):
        entities = finder.kb.entities_for_alias(span.text)
        if not entities:
            continue
        kind = entities[0].kind
        if kind == "country" and (_first_word_of_a_name(span, people, finder.kb)
                                  or _first_name_of_a_person(doc, span, finder.kb)):
            continue  # "Jordan Peterson", "Paris Hilton": a first name, not a country
        label = {"person": "PERSON", "country": "COUNTRY"}.get(kind, "ORG")
        if kind == "country" and span.text[:1].isupper() and span[-1].tag_ in ("JJ", "NNPS"):
            label = "NORP"
        result.append(Candidate(span.start, span.end, label, entities))
    return result


def _untagged_names_after_titles(doc: Any, titles: list[tuple[int, int]],
                                 taken: set[int]) -> list[Candidate]:
    """Return names spaCy missed right after a title: "President Barzani" in a headline."""
    result = []
    for _, end in titles:
        stop = end
        while stop < len(doc) and stop - end < 3 and stop not in taken and \
                doc[stop].pos_ == "PROPN" and doc[stop].is_title:
            stop += 1
        if stop > end:
            result.append(Candidate(end, stop, "PERSON"))
    return result


def _first_word_of_a_name(span: Any, names: list[Any], kb: KnowledgeBase) -> bool:
    """True when spaCy tagged ``span`` and one more plain word as one name ("Paris Hilton")."""
    for name in names:
        if name.start == span.start and len(name) == len(span) + 1:
            word = name[-1]
            return (word.pos_ == "PROPN" and kb.agent(word.lemma_) is None
                    and not kb.entities_for_alias(word.text)
                    and word.lower_ not in kb.ethnic_terms)
    return False


def _first_name_of_a_person(doc: Any, span: Any, kb: KnowledgeBase) -> bool:
    """True when a one-word country or capital is followed by one capitalised word that names
    nothing else and then by no further name: "Georgia Hughes said", "Israel Adesanya will"."""
    if len(span) != 1 or span.end >= len(doc):
        return False
    following = doc[span.end]
    after = doc[span.end + 1] if span.end + 1 < len(doc) else None
    return (following.pos_ == "PROPN" and following.is_title and following.is_alpha
            and not kb.entities_for_alias(following.text) and kb.agent(following.lemma_) is None
            and following.lower_ not in kb.ethnic_terms
            and ascii_fold(following.text) not in place_names()
            and (after is None or after.pos_ != "PROPN"))


def _entity_spans(doc: Any, finder: ActorFinder, taken: set[int],
                  title_ends: set[int]) -> Iterator[Candidate]:
    """Yield spaCy's PERSON/ORG/NORP entities that no knowledge-base name or title overlaps.

    A leading "the" and a trailing possessive are dropped; a PERSON or ORG entity that begins with
    the end of a title ("Energy Dan Brouillette" after "Secretary of") keeps only the name. A
    toponym spaCy took for a person or organisation ("Tabqah", "Hasakah") is left out, unless it
    is also the surname of a known person.
    """
    places = place_names()
    for ent in doc.ents:
        if ent.label_ not in finder.rules.ner_labels:
            continue
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and doc[end - 1].tag_ == "POS":
            end -= 1
        start = _after_title_prefix(doc, start, end, finder)
        if start >= end or any(i in taken for i in range(start, end)):
            continue
        text = doc[start:end].text
        first_word_place = ent.label_ == "PERSON" and ascii_fold(doc[start].text) in places
        if (ascii_fold(text) in places or first_word_place) and \
                not finder.kb.people_with_surname(text.split()[-1]):
            continue
        if finder.kb.agent(doc[end - 1].lemma_) is not None:
            continue  # "Bangladeshi High Court" is no one's name: the agent phrase covers it
        label = ent.label_
        after_title = start > ent.start or start in title_ends
        if after_title and label != "PERSON" and all(t.pos_ == "PROPN" for t in doc[start:end]):
            label = "PERSON"  # "Colonel Somchai Rattanakul" tagged ORG
        yield Candidate(start, end, label)


def _after_title_prefix(doc: Any, start: int, end: int, finder: ActorFinder) -> int:
    """Return where the name starts when the entity begins with (the end of) a title.

    "Energy Dan Brouillette" after "Secretary of", "Petroleum Resources Ibrahim Okonkwo" after
    "Minister of": the name is the last two words; "Colonel Somchai Rattanakul": after the title.
    """
    for split in range(start + 1, min(end - 1, start + 3) + 1):
        for left in range(max(0, start - 4), start + 1):
            if finder.kb.agent(doc[left:split].text) is not None and end - split >= 1:
                return split
    if start >= 2 and doc[start - 1].lower_ == "of" and end - start >= 3 and \
            any(finder.kb.agent(doc[left:start - 1].text) for left in range(start - 4, start - 1)
                if left >= 0):
        return end - 2
    return start


def _agent_spans(doc: Any, finder: ActorFinder, people: list[Candidate]) -> list[Candidate]:
    """Return generic agent noun phrases ("the Iraqi army"); titles of a name are not agents."""
    from spacy.util import filter_spans

    person_starts = {p.start for p in people}
    person_tokens = _token_set(people)
    matches = []
    for match_id, start, end in finder.agents(doc):
        head = doc[end - 1]
        if head.pos_ not in ("NOUN", "PROPN") or any(i in person_tokens for i in range(start, end)):
            continue
        agent = finder.kb.agents[doc.vocab.strings[match_id]]
        if _titles_a_name(doc, end, person_starts) or (
                agent.kind == "title" and head.dep_ == "compound"
                and _leads_to_a_person(head, finder.kb, person_tokens)):
            continue  # part of a person's title: "Deputy" in "Deputy Defence Minister X"
        if head.dep_ == "compound" and head.head.i > head.i and \
                head.head.pos_ in ("NOUN", "PROPN") and not _leads_to_a_person(
                    head, finder.kb, person_tokens):
            continue  # "police station", "army base": the agent word modifies another noun
        matches.append((doc[start:end], agent))
    kept = {(s.start, s.end) for s in filter_spans([span for span, _ in matches])}
    result = []
    for span, agent in matches:
        if (span.start, span.end) not in kept:
            continue
        left = span.root.left_edge.i
        left = max(left, span.start - finder.rules.max_agent_tokens)
        while left > 0 and left - 1 not in person_tokens and any(
                finder.kb.nationality(doc[i:left].text) for i in (left - 1, max(0, left - 2))):
            left -= 1  # "Bolivian police commander": the demonym the parser hung elsewhere
        while left < span.start and (left in person_tokens or doc[left].is_punct):
            left += 1
        result.append(Candidate(left, span.end, "AGENT", agent=agent))
    return result


def _leads_to_a_person(token: Any, kb: KnowledgeBase, person_tokens: set[int]) -> bool:
    """True when the nouns ``token`` modifies lead to a title or a name: "army" in "Thai army
    spokesman Colonel X", "police" in "Norwegian police inspector Lars Haugen"."""
    for _ in range(3):
        token = token.head
        if token.i in person_tokens or kb.agent(token.lemma_) is not None:
            return True
        if token.dep_ != "compound" or token.head is token:
            return False
    return False


def _titles_a_name(doc: Any, end: int, person_starts: set[int]) -> bool:
    """True when a title ending at token ``end`` stands before a name ("Minister of State X")."""
    if end in person_starts:
        return True
    position = end
    if position < len(doc) and doc[position].lower_ == "of":
        position += 1
        while position < len(doc) and position - end <= 4 and doc[position].is_title:
            position += 1
            if position in person_starts:
                return True
    return False


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Return ``candidates`` without those overlapping an earlier-listed or longer one."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), c.start))
    taken: set[int] = set()
    kept = []
    for candidate in ordered:
        tokens = set(range(candidate.start, candidate.end))
        if tokens & taken:
            continue
        taken |= tokens
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)


def _pair_mentions(doc: Any, finder: ActorFinder, mentions: list[Mention]) -> list[Mention]:
    """Return a GROUP mention for each "the pair"/"both sides", with the two actors it means."""
    sentences = list(doc.sents)
    result = []
    for _, start, end in finder.pairs(doc):
        span = doc[start:end]
        index = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
        members = _pair_members(sentences, index, finder.rules.pair_lookback, mentions, span)
        result.append(Mention(span.text, span.start_char, span.end_char, "GROUP",
                              actor=None, resolved_by="group" if members else None,
                              members=members))
    return result


def _pair_members(sentences: list[Any], index: int, lookback: int, mentions: list[Mention],
                  span: Any) -> list[Actor]:
    """Return the two people of the nearest sentence naming two (looking back ``lookback``
    sentences), else the first two actors of the sentence itself or the one before."""
    def actors_in(back: int, people_only: bool) -> list[Actor]:
        sentence = sentences[index - back]
        limit = span.start_char if back == 0 else sentence.end_char
        distinct: dict[str, Actor] = {}
        for mention in mentions:
            if not sentence.start_char <= mention.start < limit or mention.actor is None or \
                    not mention.actor.code or (people_only and mention.label != "PERSON"):
                continue
            key = mention.actor.kb_id or mention.actor.name or mention.text
            distinct.setdefault(key, mention.actor)
        return list(distinct.values())

    backs = range(0, min(lookback, index) + 1)
    for back in backs:
        people = actors_in(back, people_only=True)
        if len(people) >= 2:
            return people[:2]
    for back in backs[:2]:
        found = actors_in(back, people_only=False)
        if len(found) >= 2:
            return found[:2]
    return []


class _Resolver:
    """Resolves the candidates of one article, in the order of the module docstring."""

    def __init__(self, doc: Any, finder: ActorFinder, day: date | None,
                 candidates: list[Candidate], agents: list[Candidate]) -> None:
        self.doc = doc
        self.finder = finder
        self.kb = finder.kb
        self.day = day
        self.candidates = candidates
        self.by_end = {c.end: c for c in candidates}
        self.agent_matches = agents

    def resolve(self) -> list[Mention]:
        full, short = [], []
        for candidate in self.candidates:
            if candidate.label == "PERSON" and not candidate.entities and \
                    candidate.end - candidate.start == 1:
                short.append(candidate)
            else:
                full.append(candidate)
        for candidate in full:
            candidate.mention = self._resolve_full(candidate)
        for candidate in short:
            candidate.mention = self._resolve_short_person(candidate)
        for candidate in self.candidates:
            mention = candidate.mention
            unresolved = mention is not None and (mention.actor is None or not mention.actor.code)
            if candidate.label == "ORG" and unresolved:
                candidate.mention = (self._resolve_short_org(candidate)
                                     or self._resolve_surname_as_org(candidate) or mention)
        found = [c.mention for c in self.candidates if c.mention is not None]
        return found + self._typo_mentions(found)

    # -- building blocks ------------------------------------------------------------------------

    def _mention(self, candidate: Candidate, actor: Actor | None, how: str | None,
                 label: str | None = None) -> Mention:
        span = self.doc[candidate.start:candidate.end]
        if actor is not None and actor.code is None and how is not None:
            how = None
        return Mention(span.text, span.start_char, span.end_char, label or candidate.label,
                       actor=actor, resolved_by=how)

    def _title_and_affiliation(self, candidate: Candidate) -> tuple[Agent | None,
                                                                    list[Candidate]]:
        """Return the title and the affiliations (countries, organisations, agents) of a name.

        Looked for in the noun phrase before the name ("Thai army spokesman Colonel X"), in an
        apposition after it (", the US Defense Secretary,") and in an "of"/"from" phrase after it
        ("Colonel X of the Colombian army").
        """
        title, title_start = None, candidate.start
        title_match = self._title_before(candidate.start)
        if title_match is not None:
            title_start, title = title_match
        affiliations = self._affiliations_in(self._noun_phrase_start(title_start), title_start)
        appositive = self._apposition(candidate.end)
        if appositive is not None:
            appositive_title, window = appositive
            title = title or appositive_title
            affiliations = affiliations or self._affiliations_in(*window)
        if not affiliations:
            affiliations = self._affiliations_in(*self._prepositional_phrase(candidate.end))
        return title, affiliations

    def _title_before(self, start: int) -> tuple[int, Agent] | None:
        """Return (start token, agent) of a title that ends right before a name."""
        # (a matcher run on a span returns offsets into the whole doc)
        for match_id, s, e in self.finder.agents(self.doc[max(0, start - 8):start]):
            agent = self.kb.agents[self.doc.vocab.strings[match_id]]
            if e == start or _titles_a_name(self.doc, e, {start}):
                return s, agent
        return None

    def _noun_phrase_start(self, position: int) -> int:
        """Return where the noun phrase that ends at ``position`` begins (at most 6 tokens back)."""
        start = position
        while start > 0 and position - start < 6:
            token = self.doc[start - 1]
            if token.pos_ in ("PROPN", "NOUN", "ADJ", "NUM", "PART") or \
                    token.text in ("(", ")", "-", ".", "’s", "'s"):
                start -= 1
            else:
                break
        return start

    def _prepositional_phrase(self, end: int) -> tuple[int, int]:
        """Return the token range of an "of"/"from" phrase right after a name (else empty)."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_ not in ("of", "from", "at"):
            return end, end
        stop = end + 1
        while stop < len(doc) and stop - end < 9 and not doc[stop].is_punct and \
                doc[stop].pos_ != "AUX" and not (doc[stop].pos_ == "VERB" and
                                                 doc[stop].dep_ not in ("amod", "compound")):
            stop += 1
        return end + 1, stop

    def _affiliations_in(self, start: int, end: int) -> list[Candidate]:
        """Return the candidates starting within tokens [start, end) that can affiliate a person
        ("Nigerian Police" of "Nigerian Police Commissioner X" runs into the title)."""
        found = []
        for other in self.candidates:
            if start <= other.start < end and (
                    other.label == "AGENT" or (other.entities and other.entities[0].kind
                                               in AFFILIATION_KINDS)):
                found.append(other)
        return found

    def _apposition(self, end: int) -> tuple[Agent | None, tuple[int, int]] | None:
        """Return (title, token range) of an apposition (", the US Defense Secretary,")."""
        doc = self.doc
        if end >= len(doc) or doc[end].text != ",":
            return None
        stop = end + 1
        while stop < len(doc) and stop - end < 16 and doc[stop].text not in (",", ";", ".", "(") \
                and not doc[stop].is_sent_start:
            stop += 1
        for match_id, _, e in self.finder.agents(doc[end + 1:stop]):
            if doc[e - 1].pos_ in ("NOUN", "PROPN"):
                return self.kb.agents[doc.vocab.strings[match_id]], (end + 1, stop)
        return None

    def _code_from(self, title: Agent | None, affiliations: list[Candidate]) -> Actor | None:
        """Return the actor that a title and affiliations imply (None when they say nothing).

        A generic agent with a sector ("the Colombian army") gives its own code; an organisation
        that is not a state body (an IGO, an armed group) gives its code; otherwise the country
        named (or the state body's country) takes the title's sector, else the body's sector.
        """
        title_sector = title.sector if title else None
        agent_countries = []
        for affiliation in affiliations:
            if affiliation.label == "AGENT" and affiliation.agent is not None and \
                    affiliation.agent.kind == "group":
                agent_actor = self._resolve_agent(affiliation).actor
                if agent_actor is not None and agent_actor.country and agent_actor.sector:
                    return _copy(agent_actor)
                if agent_actor is not None and agent_actor.country:
                    agent_countries.append(self.kb.entities.get(agent_actor.country))
        entities = [a.entities[0] for a in affiliations if a.entities]
        states = [e for e in entities if e.kind in ("country", "region")]
        states += [e for e in agent_countries if e is not None]
        bodies = [e for e in entities if e.kind == "organisation"]
        for body in bodies:
            if not (body.country and body.code and body.code.startswith(body.country)):
                return _actor_of(body)  # "spokesman for NATO": the organisation itself
        country = states[0].country if states else (bodies[0].country if bodies else None)
        body_sector = bodies[0].code[3:6] if bodies and bodies[0].code else None
        ethnicity = next((e.ethnicity for e in states if e.ethnicity), None)
        sector = title_sector or body_sector or (states[0].code[3:6] if states and states[0].code
                                                 else None) or None
        if country is None:
            return Actor(code=sector, sector=sector) if sector else None
        return Actor(code=country + (sector or ""), country=country, sector=sector,
                     ethnicity=ethnicity)

    # -- full mentions --------------------------------------------------------------------------

    def _resolve_full(self, candidate: Candidate) -> Mention:
        if candidate.label == "AGENT":
            return self._resolve_agent(candidate)
        if candidate.entities:
            return self._resolve_known(candidate)
        if candidate.label == "PERSON":
            return self._resolve_unknown_person(candidate)
        text = self._span_text(candidate)
        term = self.kb.ethnic_terms.get(text.lower())
        if candidate.label == "NORP" and term is not None:
            code, kind = term  # "Kurds" -> KUR, "Sunnis" -> SUN: a group coded by identity
            return self._mention(candidate, Actor(
                name=text, code=code, ethnicity=code if kind == "ethnic" else None,
                religion=code if kind == "religion" else None), "kb")
        return self._mention(candidate, Actor(name=text), None)

    def _span_text(self, candidate: Candidate) -> str:
        return str(self.doc[candidate.start:candidate.end].text)

    def _resolve_known(self, candidate: Candidate) -> Mention:
        entities = candidate.entities
        if entities[0].kind != "person":
            entity = entities[0]
            role = entity.role_on(self.day) if entity.roles and self.day else None
            return self._mention(candidate, _actor_of(entity, role), "kb")
        title, _ = self._title_and_affiliation(candidate)
        actor = self._person_actor(entities, title)
        return self._mention(candidate, actor, "kb")

    def _person_actor(self, people: list[Entity], title: Agent | None) -> Actor:
        """Return the actor of a knowledge-base person on the article's date."""
        title_words = frozenset(title.term.split()) if title else frozenset()
        holding = [(p, p.role_on(self.day, title_words)) for p in people]
        in_office = [(p, r) for p, r in holding if r is not None]
        if in_office:
            if title_words:
                fitting = [(p, r) for p, r in in_office if title_words & _words_of(r)]
                in_office = fitting or in_office
                same_sector = [(p, r) for p, r in in_office
                               if title is not None and r.sector == title.sector]
                in_office = same_sector or in_office  # "President Barzani": GOV, not party
            person, role = in_office[0]
            return _actor_of(person, role)
        person = people[0]
        if self.day is not None:
            return _out_of_office(person, self.day)
        return _actor_of(person, person.role_on(None, title_words))

    def _resolve_unknown_person(self, candidate: Candidate) -> Mention:
        same = self._same_full_name(candidate)
        if same is not None:
            return self._mention(candidate, _copy(same.actor), "coreference")
        title, affiliation = self._title_and_affiliation(candidate)
        actor = self._code_from(title, affiliation)
        name = self._span_text(candidate)
        if actor is None or actor.code is None:
            return self._mention(candidate, Actor(name=name), None)
        actor.name = name
        return self._mention(candidate, actor, "title")

    def _resolve_agent(self, candidate: Candidate) -> Mention:
        """Resolve a generic agent: its sector, and the country of its modifiers."""
        if candidate.mention is not None:
            return candidate.mention
        assert candidate.agent is not None
        sector = candidate.agent.sector
        nationality, ethnicity = self._agent_nationality(candidate)
        actor: Actor
        if isinstance(nationality, Entity):
            country = nationality.country
            if nationality.kind == "organisation":
                # "Hezbollah fighters", "PKK militants", "Coalition troops": the organisation
                role = nationality.role_on(self.day) if nationality.roles and self.day else None
                actor = _actor_of(nationality, role)
            elif sector is None or country is None:
                # "Iraqi delegation": the country's own code
                actor = Actor(code=nationality.code, country=country,
                              sector=nationality.sector, ethnicity=ethnicity or
                              nationality.ethnicity)
            else:
                actor = Actor(code=country + sector, country=country, sector=sector,
                              ethnicity=ethnicity or nationality.ethnicity)
        elif ethnicity:
            actor = Actor(code=ethnicity + (sector or ""), sector=sector, ethnicity=ethnicity)
        else:
            actor = Actor(code=sector, sector=sector)
        mention = self._mention(candidate, actor, "agent")
        candidate.mention = mention
        return mention

    def _agent_nationality(self, candidate: Candidate) -> tuple[Entity | None, str | None]:
        """Return the country/region/organisation and the ethnic code that qualify an agent."""
        doc = self.doc
        head = doc[candidate.end - 1]
        inner_tokens = range(candidate.start, candidate.end)
        ethnicity = None
        for i in inner_tokens:
            term = self.kb.ethnic_terms.get(doc[i].lower_)
            if term is not None and term[1] == "ethnic":
                ethnicity = term[0]
        found = self._entities_in(candidate.start, candidate.end)
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "for"):
                found += self._entities_in(child.i + 1, child.right_edge.i + 1)
        if not found:
            for i in inner_tokens:
                org = self._org_by_word(doc[i].text) if doc[i].is_title else None
                if org is not None:
                    found.append(org)
        return (found[0] if found else None), ethnicity

    def _entities_in(self, start: int, end: int) -> list[Entity]:
        """Return the affiliations named by knowledge-base spans within tokens [start, end)."""
        found = []
        from spacy.util import filter_spans

        spans = [self.doc[s:e] for _, s, e in self.finder.exact_names(self.doc[start:end])]
        spans += [self.doc[s:e] for _, s, e in self.finder.names(self.doc[start:end])
                  if any(ch.isupper() for ch in self.doc[s:e].text)]
        for span in filter_spans(spans):
            entity = self.kb.nationality(span.text)
            if entity is not None:
                found.append(entity)
        return found

    # -- short forms ----------------------------------------------------------------------------

    def _full_people(self) -> list[tuple[Candidate, Mention]]:
        return [(c, c.mention) for c in self.candidates if c.mention is not None
                and c.label == "PERSON" and c.end - c.start >= 2 and c.mention.actor is not None]

    def _same_full_name(self, candidate: Candidate) -> Mention | None:
        """Return the known full name this unknown one misspells ("Myles Cagginz")."""
        words = self._span_text(candidate).split()
        for other, mention in self._full_people():
            if other is candidate or mention.resolved_by not in ("kb", "title"):
                continue
            assert mention.actor is not None
            other_words = (mention.actor.name or mention.text).split()
            if len(other_words) != len(words) or other_words == words:
                continue
            similarity = self.finder.rules.surname_similarity
            if all(a.lower() == b.lower() or fuzz.ratio(a.lower(), b.lower()) >= similarity
                   for a, b in zip(words, other_words, strict=True)):
                return mention
        return None

    def _resolve_short_person(self, candidate: Candidate) -> Mention:
        text = self._span_text(candidate)
        earlier = self._same_person_in_article(text, candidate.start)
        if earlier is not None:
            return self._mention(candidate, _copy(earlier.actor), "coreference")
        title, affiliation = self._title_and_affiliation(candidate)
        people = self.kb.people_with_surname(text)
        if people:
            title_words = frozenset(title.term.split()) if title else frozenset()
            dated = [p for p in people if p.role_on(self.day, title_words) is not None]
            if title_words:
                fitting = [p for p in dated
                           if title_words & _words_of(p.role_on(self.day, title_words))]
                dated = fitting or dated
            if len(dated) == 1 or (dated and title_words):
                return self._mention(candidate, self._person_actor(dated, title), "kb")
            codes = {p.role_on(self.day, title_words).code for p in dated}  # type: ignore[union-attr]
            if len(codes) == 1:
                role = dated[0].role_on(self.day, title_words)
                assert role is not None
                return self._mention(candidate, Actor(code=role.code, country=role.country,
                                                      sector=role.sector), "kb")
        actor = self._code_from(title, affiliation)
        if actor is not None and actor.code:
            actor.name = text
            return self._mention(candidate, actor, "title")
        return self._mention(candidate, Actor(name=text), None)

    def _same_person_in_article(self, surname: str, position: int) -> Mention | None:
        """Return the full mention whose surname is ``surname`` (or nearly): before, else after."""
        rules = self.finder.rules
        best: tuple[int, Mention] | None = None
        for candidate, mention in self._full_people():
            last = self.doc[candidate.end - 1].text
            if last.lower() == surname.lower():
                score = 0
            elif min(len(last), len(surname)) >= rules.fuzzy_min_length and \
                    fuzz.ratio(last.lower(), surname.lower()) >= rules.surname_similarity:
                score = 1
            else:
                continue
            distance = (0 if candidate.start < position else 1, score,
                        abs(candidate.start - position))
            if best is None or distance < best[0]:  # type: ignore[operator]
                best = (distance, mention)  # type: ignore[assignment]
        return best[1] if best else None

    def _resolve_surname_as_org(self, candidate: Candidate) -> Mention | None:
        """A one-word "organisation" that is the surname of a person of the article is them."""
        if candidate.end - candidate.start != 1:
            return None
        text = self._span_text(candidate)
        person = self._same_person_in_article(text, candidate.start)
        if person is not None:
            return self._mention(candidate, _copy(person.actor), "coreference", label="PERSON")
        if self.kb.people_with_surname(text):
            mention = self._resolve_short_person(candidate)
            if mention.actor is not None and mention.actor.code:
                mention.label = "PERSON"
                return mention
        return None

    def _resolve_short_org(self, candidate: Candidate) -> Mention | None:
        org = self._article_org(candidate)
        if org is None:
            return None
        return self._mention(candidate, _actor_of(org), "coreference")

    def _article_org(self, candidate: Candidate) -> Entity | None:
        """Return the organisation met in the article whose last word or acronym this is."""
        text = self._span_text(candidate)
        return self._org_by_word(text.split()[-1] if text.split() else text)

    def _org_by_word(self, word: str) -> Entity | None:
        rules = self.finder.rules
        for other in self.candidates:
            if not other.entities or other.entities[0].kind not in ("organisation", "region"):
                continue
            entity = other.entities[0]
            other_text = self._span_text(other)
            if word.isupper() and len(word) >= rules.acronym_min_length and other_text.isupper():
                if len(word) == len(other_text) and OSA.distance(word, other_text) <= 1:
                    return entity
            elif word[:1].isupper() and not word.isupper() and len(word) >= 4 and any(
                    alias.split()[-1].lower() == word.lower()
                    for alias in (entity.name, *entity.aliases) if len(alias.split()) >= 2):
                return entity
        return None

    def _typo_mentions(self, found: list[Mention]) -> list[Mention]:
        """Return mentions for tokens spaCy missed or mislabelled that name actors of the article.

        An acronym one slip away from an organisation's acronym met in the article ("SFD"), or a
        capitalised word equal or close to the surname of a person met in it ("Pompeo" tagged as a
        place, "Cagginz").
        """
        covered = {i for c in self.candidates for i in range(c.start, c.end)}
        result = []
        for token in self.doc:
            if token.i in covered or not token.is_alpha or not token.text[:1].isupper():
                continue
            candidate = Candidate(token.i, token.i + 1, "ORG")
            if token.is_upper and len(token.text) >= self.finder.rules.acronym_min_length:
                org = self._org_by_word(token.text)
                if org is not None and not self.kb.entities_for_alias(token.text):
                    result.append(self._mention(candidate, _actor_of(org), "coreference"))
            elif token.pos_ == "PROPN":
                person = self._same_person_in_article(token.text, token.i)
                if person is not None:
                    result.append(self._mention(candidate, _copy(person.actor), "coreference",
                                                label="PERSON"))
        return result


def _out_of_office(person: Entity, day: date) -> Actor:
    """Return the actor of a known person holding no known office on ``day``: an elite (ELI) of
    the state they last served (or will first serve), or no code when they only served an IGO."""
    before = person.last_role_before(day)
    roles = [before] if before else []
    roles += sorted((r for r in person.roles if r is not before),
                    key=lambda r: abs(((r.start or day) - day).days))
    country = next((r.country for r in roles if r.country and r.country != "IGO"), None)
    return Actor(name=person.name, code=f"{country}ELI" if country else None, country=country,
                 sector="ELI" if country else None, kb_id=person.id)


def _words_of(role: Role | None) -> set[str]:
    return set(role.title.lower().split()) if role else set()


def _copy(actor: Actor | None) -> Actor | None:
    return None if actor is None else Actor(**actor.to_dict())


def _actor_of(entity: Entity, role: Role | None = None) -> Actor:
    """Return the Actor of a knowledge-base entity (in ``role`` for a person)."""
    if role is not None:
        return Actor(name=entity.name, code=role.code, country=role.country,
                     sector=role.sector, ethnicity=role.ethnicity or entity.ethnicity,
                     religion=entity.religion, kb_id=entity.id)
    return Actor(name=entity.name, code=entity.code, country=entity.country,
                 sector=entity.sector, ethnicity=entity.ethnicity, religion=entity.religion,
                 kb_id=entity.id)


def learned_people(article: Article) -> list[Entity]:
    """Return the people this article introduced with a title, as knowledge-base entities."""
    result = []
    for mention in article.mentions:
        actor = mention.actor
        if mention.label != "PERSON" or mention.resolved_by != "title" or actor is None:
            continue
        if actor.code is None or actor.name is None or len(actor.name.split()) < 2:
            continue
        role = Role(title="(learned)", code=actor.code, country=actor.country,
                    sector=actor.sector, start=None, end=None)
        result.append(Entity(id=f"learned:{actor.name.lower().replace(' ', '-')}",
                             name=actor.name, kind="person", code=actor.code,
                             country=actor.country, sector=actor.sector, roles=(role,),
                             origin="learned"))
    return result
