"""Actor mention spans: where the actors stage looks for actors in a parsed article.

Knowledge-base names (matched with spaCy's PhraseMatcher: acronyms as written, other names in
any case) come first and win; then spaCy's PERSON/ORG/NORP entities that no name or title
overlaps (toponyms spaCy takes for people are left out); names spaCy missed after a title;
generic agent phrases ("the Iraqi army"); and "the pair"/"both sides" with the two actors they
stand for. ``ActorFinder`` holds the matchers, built once per process.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from whodid.knowledge.gazetteer import ascii_fold, place_names
from whodid.knowledge.kb import ACRONYM, Agent, Entity, KnowledgeBase
from whodid.knowledge.rules import packaged, yaml_mapping
from whodid.model import Actor, Mention
from whodid.stages.actors.patterns import pattern_tokens, phrase_keys
from whodid.stages.dates import WEEKDAYS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token



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
    title_abbreviations: dict[str, frozenset[str]]
    place_min_population: int
    backer_words: frozenset[str] = frozenset()
    backer_prefixes: frozenset[str] = frozenset()
    group_sizes: dict[str, int] = field(default_factory=dict)
    state_group_nouns: frozenset[str] = frozenset()


@cache
def actor_rules() -> ActorRules:
    """Return the rules shipped in ``data/actor_rules.yaml``."""
    data = yaml_mapping(packaged("actor_rules.yaml"))
    return ActorRules(ner_labels=frozenset(data["ner_labels"]),
                      pair_phrases=tuple(data["pair_phrases"]),
                      surname_similarity=float(data["surname_similarity"]),
                      fuzzy_min_length=int(data["fuzzy_min_length"]),
                      acronym_min_length=int(data["acronym_min_length"]),
                      pair_lookback=int(data["pair_lookback"]),
                      group_sizes={str(k): int(v) for k, v in data["group_sizes"].items()},
                      state_group_nouns=frozenset(map(str, data["state_group_nouns"])),
                      max_agent_tokens=int(data["max_agent_tokens"]),
                      title_abbreviations={
                          str(title): frozenset([str(title), *map(str, short or [])])
                          for title, short in data["title_abbreviations"].items()},
                      place_min_population=int(data["place_min_population"]),
                      backer_words=frozenset(data.get("backer_words") or ()),
                      backer_prefixes=frozenset(data.get("backer_prefixes") or ()))


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


def backer_tokens(doc: Doc, start: int, end: int, rules: ActorRules) -> frozenset[int]:
    """Return the tokens of ``doc[start:end]`` (an agent phrase) that name its backers, not the
    agent: "US-backed Kurdish forces" (all before "-backed"), "Thai pro-Assad activists" (the
    word after "pro-")."""
    found: set[int] = set()
    for i in range(start + 1, end - 1):
        token, before = doc[i], doc[i - 1]
        if before.text == "-" and token.lower_ in rules.backer_words:
            found.update(range(start, i + 1))
        elif token.text == "-" and before.lower_ in rules.backer_prefixes:
            found.update((i - 1, i, i + 1))
    return frozenset(found)


def ethnic_minority(doc: Doc, mention: Mention) -> Mention:
    """Return a nationality after "ethnic" ("ethnic Albanians in Serbia") as an ethnic group
    with no country of its own (events give it the country where it lives); other mentions
    unchanged."""
    actor = mention.actor
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if actor is None or not actor.country or actor.code != actor.country or span is None or \
            span.start == 0 or doc[span.start - 1].lower_ != "ethnic":
        return mention
    return replace(mention, actor=replace(actor, country=None, ethnicity=actor.code, kb_id=None))


def apposed_title(doc: Doc, candidate: Candidate, candidates: list[Candidate]) -> Actor | None:
    """Return the actor of the title phrase a countryless person is apposed to ("the US
    attorney general, Jeff Sessions,"), else None."""
    mention, root = candidate.mention, doc[candidate.start:candidate.end].root
    if candidate.label != "PERSON" or mention is None or root.dep_ != "appos" or (
            mention.actor and mention.actor.country):
        return None
    for other in candidates:
        title = other.mention.actor if other.mention is not None else None
        if other.label == "AGENT" and other.start <= root.head.i < other.end and title and \
                title.code and (title.country or not (mention.actor and mention.actor.code)):
            return title
    return None


class ActorFinder:
    """The knowledge base and its spaCy matchers, built once per process, and the place names
    that are not taken for actors (the gazetteer's, with the rules' population threshold)."""

    def __init__(self, nlp: Language, kb: KnowledgeBase, rules: ActorRules | None = None,
                 places: frozenset[str] | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        self.kb = kb
        self.rules = rules or actor_rules()
        self.places = places if places is not None else place_names(
            self.rules.place_min_population)
        self.exact_names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.agents = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.pairs = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: set[str] = set()
        lower: set[str] = set()
        for alias, _ in kb.all_aliases():
            (exact if ACRONYM.match(alias.replace(" ", "")) else lower).add(alias)
        agent_forms = {term: plural_forms(term) for term in sorted(kb.agents)}
        groups = [sorted(exact), sorted(lower), *agent_forms.values(),
                  list(self.rules.pair_phrases)]
        # the tokenizer alone makes the match patterns: tokenized once, then cached
        tokens = iter(pattern_tokens(nlp, [phrase for group in groups for phrase in group]))
        tokenized = [[next(tokens) for _ in group] for group in groups]
        self.exact_names.add("NAME", phrase_keys(nlp, tokenized[0], "ORTH"))
        self.names.add("NAME", phrase_keys(nlp, tokenized[1], "LOWER"))
        for term, forms in zip(agent_forms, tokenized[2:-1], strict=True):
            self.agents.add(term, phrase_keys(nlp, forms, "LOWER"))
        self.pairs.add("PAIR", phrase_keys(nlp, tokenized[-1], "LOWER"))

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



def token_set(candidates: Iterable[Candidate]) -> set[int]:
    return {i for c in candidates for i in range(c.start, c.end)}


def is_person(candidate: Candidate) -> bool:
    return candidate.label == "PERSON"


def name_spans(doc: Doc, finder: ActorFinder) -> list[Candidate]:
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
                                  or _first_name_of_a_person(doc, span, finder)):
            continue  # "Jordan Peterson", "Paris Hilton": a first name, not a country
        label = {"person": "PERSON", "country": "COUNTRY"}.get(kind, "ORG")
        if kind == "country" and span.text[:1].isupper() and span[-1].tag_ in ("JJ", "NNPS"):
            label = "NORP"
        result.append(Candidate(span.start, span.end, label, entities))
    return result


def untagged_names_after_titles(doc: Doc, titles: list[tuple[int, int]],
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


def _first_word_of_a_name(span: Span, names: list[Span], kb: KnowledgeBase) -> bool:
    """True when spaCy tagged ``span`` and one more plain word as one name ("Paris Hilton")."""
    for name in names:
        if name.start == span.start and len(name) == len(span) + 1:
            word = name[-1]
            return (word.pos_ == "PROPN" and kb.agent(word.lemma_) is None
                    and not kb.entities_for_alias(word.text)
                    and word.lower_ not in kb.ethnic_terms)
    return False


def _first_name_of_a_person(doc: Doc, span: Span, finder: ActorFinder) -> bool:
    """True when a one-word country or capital is followed by one capitalised word that names
    nothing else and then by no further name: "Georgia Hughes said", "Israel Adesanya will";
    not a weekday ("Israel Friday reimposed blockades": the wire style of a date)."""
    if len(span) != 1 or span.end >= len(doc):
        return False
    kb = finder.kb
    following = doc[span.end]
    after = doc[span.end + 1] if span.end + 1 < len(doc) else None
    return (following.pos_ == "PROPN" and following.is_title and following.is_alpha
            and not kb.entities_for_alias(following.text) and kb.agent(following.lemma_) is None
            and following.lower_ not in kb.ethnic_terms and following.lower_ not in WEEKDAYS
            and ascii_fold(following.text) not in finder.places
            and (after is None or after.pos_ != "PROPN"))


def entity_spans(doc: Doc, finder: ActorFinder, taken: set[int],
                  title_ends: set[int]) -> Iterator[Candidate]:
    """Yield spaCy's PERSON/ORG/NORP entities that no knowledge-base name or title overlaps.

    A leading "the" and a trailing possessive are dropped; a PERSON or ORG entity that begins with
    the end of a title ("Energy Dan Brouillette" after "Secretary of") keeps only the name. A
    toponym spaCy took for a person or organisation ("Tabqah", "Hasakah") is left out, unless it
    is also the surname of a known person.
    """
    places = finder.places
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


def _after_title_prefix(doc: Doc, start: int, end: int, finder: ActorFinder) -> int:
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


def agent_spans(doc: Doc, finder: ActorFinder, people: list[Candidate]) -> list[Candidate]:
    """Return generic agent noun phrases ("the Iraqi army"); titles of a name are not agents."""
    from spacy.util import filter_spans

    person_starts = {p.start for p in people}
    person_tokens = token_set(people)
    matches = []
    for match_id, start, end in finder.agents(doc):
        head = doc[end - 1]
        if head.pos_ not in ("NOUN", "PROPN") or any(i in person_tokens for i in range(start, end)):
            continue
        agent = finder.kb.agents[doc.vocab.strings[match_id]]
        if titles_a_name(doc, end, person_starts) or (
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


def _leads_to_a_person(token: Token, kb: KnowledgeBase, person_tokens: set[int]) -> bool:
    """True when the nouns ``token`` modifies lead to a title or a name: "army" in "Thai army
    spokesman Colonel X", "police" in "Norwegian police inspector Lars Haugen"."""
    for _ in range(3):
        token = token.head
        if token.i in person_tokens or kb.agent(token.lemma_) is not None:
            return True
        if token.dep_ != "compound" or token.head.i == token.i:
            return False
    return False


def titles_a_name(doc: Doc, end: int, person_starts: set[int]) -> bool:
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


def without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
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


def pair_mentions(doc: Doc, finder: ActorFinder, mentions: list[Mention]) -> list[Mention]:
    """Return a GROUP mention for each "the pair"/"both sides", with the two actors it means."""
    sentences = list(doc.sents)
    sentence_starts = [s.start for s in sentences]
    result = []
    for _, start, end in finder.pairs(doc):
        span = doc[start:end]
        index = bisect_right(sentence_starts, start) - 1
        words = [t.lower_ for t in span]
        size = next((finder.rules.group_sizes[w] for w in words
                     if w in finder.rules.group_sizes), 2)
        states = any(w in finder.rules.state_group_nouns for w in words)
        members = _pair_members(sentences, index, finder.rules.pair_lookback, mentions, span,
                                (size, states))
        result.append(Mention(span.text, span.start_char, span.end_char, "GROUP",
                              actor=None, resolved_by="group" if members else None,
                              members=members))
    return result


def _pair_members(sentences: list[Any], index: int, lookback: int, mentions: list[Mention],
                  span: Span, kind: tuple[int, bool] = (2, False)) -> list[Actor]:
    """Return the ``size`` members a group phrase stands for (``kind``: size, states only): the
    people of the nearest sentence naming that many (looking back ``lookback`` sentences), else
    the first actors of the sentence itself or the one before; for states ("the three
    countries"), the countries of the nearest sentence naming that many."""
    size, states = kind
    label = "COUNTRY" if states else "PERSON"

    def actors_in(back: int, one_kind: bool) -> list[Actor]:
        sentence = sentences[index - back]
        limit = span.start_char if back == 0 else sentence.end_char
        distinct: dict[str, Actor] = {}
        for mention in mentions:
            if not sentence.start_char <= mention.start < limit or mention.actor is None or \
                    not mention.actor.code or (one_kind and mention.label != label):
                continue
            key = mention.actor.kb_id or mention.actor.name or mention.text
            distinct.setdefault(key, mention.actor)
        return list(distinct.values())

    backs = range(0, min(lookback, index) + 1)
    for back in backs:
        people = actors_in(back, one_kind=True)
        if len(people) >= size:
            return people[:size]
    for back in backs[:2]:
        found = actors_in(back, one_kind=False)
        if len(found) >= size and not states:
            return found[:size]
    return []
