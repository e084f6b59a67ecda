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
   ("Iraqi soldiers" -> IRQMIL; no country: the sector alone, "police" -> COP); conjoined
   countries ("U.S. and Russian negotiators") give one member per country (``joint``).
6. "The pair" takes the two people (or actors) of a recent sentence as its members.
Unresolved mentions keep their text with a null code.

Reads: doc, published, removed (the reference day), text. Sets: mentions.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import IS_ALPHA, IS_LOWER

from whodid.knowledge.kb import Agent, Entity, Role
from whodid.model import Actor, Article, Mention
from whodid.stages.actors.joint import with_joint_members
from whodid.stages.actors.met import OrganisationsMet, PeopleMet
from whodid.stages.actors.spans import (
    ActorFinder,
    Candidate,
    agent_spans,
    apposed_title,
    backer_tokens,
    entity_spans,
    ethnic_minority,
    is_person,
    name_spans,
    pair_mentions,
    titles_a_name,
    token_set,
    untagged_names_after_titles,
    without_overlaps,
)
from whodid.stages.dates import reference_day

if TYPE_CHECKING:
    from spacy.tokens import Doc


AFFILIATION_KINDS = ("country", "region", "organisation")
CLAUSES = ("relcl", "acl", "pcomp")  # an agent's affiliation is never inside one of these


def find_actors(article: Article, finder: ActorFinder) -> Article:
    """Set ``article.mentions``: every actor mention of the parsed article, resolved."""
    doc = article.doc
    day = reference_day(article)
    names = name_spans(doc, finder)
    titles = [(s, e) for match_id, s, e in finder.agents(doc)
              if finder.kb.agents[doc.vocab.strings[match_id]].kind == "title"]
    taken = token_set(names) | {i for s, e in titles for i in range(s, e)}
    entities = list(entity_spans(doc, finder, taken, {e for _, e in titles}))
    entities += untagged_names_after_titles(doc, titles, taken | token_set(entities))
    people = [c for c in names + entities if is_person(c)]
    name_tokens = token_set(c for c in names if c.entities[0].kind not in ("country",))
    agents = [a for a in agent_spans(doc, finder, people) if a.end - 1 not in name_tokens]
    candidates = without_overlaps(names + entities + agents)
    if article.dateline is not None:
        dateline = article.dateline
        candidates = [c for c in candidates if not (
            dateline.start <= doc[c.start].idx < dateline.end)]
    resolver = _Resolver(doc, finder, day, candidates, agents)
    mentions = [ethnic_minority(doc, m) for m in resolver.resolve()
                if m.label != "AGENT" or (m.actor is not None and m.actor.code)]
    mentions = with_joint_members(doc, mentions, finder.kb)
    mentions += pair_mentions(doc, finder, mentions)
    article.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    return article


class _Resolver:
    """Resolves the candidates of one article, in the order of the module docstring."""

    def __init__(self, doc: Doc, finder: ActorFinder, day: date | None,
                 candidates: list[Candidate], agents: list[Candidate]) -> None:
        self.doc = doc
        self.finder = finder
        self.kb = finder.kb
        self.day = day
        self.candidates = candidates
        self.by_end = {c.end: c for c in candidates}
        self.agent_matches = agents
        self.starts = [c.start for c in candidates]  # candidates come in the article's order
        self.people = PeopleMet(finder.rules.surname_similarity, finder.rules.fuzzy_min_length)
        self.organisations: OrganisationsMet | None = None

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
            self.people.add(candidate, self.doc[candidate.end - 1].text)
        titled = False
        for candidate in full:  # before the short forms, which copy the full names
            title = apposed_title(self.doc, candidate, self.candidates)
            if title:
                candidate.mention = self._mention(candidate, _copy(title), "title")
                titled = True
        if titled:  # the short forms find the full names with their titles
            self.people = PeopleMet(self.finder.rules.surname_similarity,
                                    self.finder.rules.fuzzy_min_length)
            for candidate in full:
                self.people.add(candidate, self.doc[candidate.end - 1].text)
        for candidate in short:
            candidate.mention = self._resolve_short_person(candidate)
        for candidate in self.candidates:
            mention = candidate.mention
            unresolved = mention is not None and (mention.actor is None or not mention.actor.code)
            if candidate.label in ("ORG", "NORP") and unresolved:  # "praised Mattis" (NORP)
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
            if e == start or titles_a_name(self.doc, e, {start}):
                return s, agent
        return None

    def _noun_phrase_start(self, position: int) -> int:
        """Return where the noun phrase that ends at ``position`` begins (at most 6 tokens back)."""
        start = position
        while start > 0 and position - start < 6 and not self.doc[start].is_sent_start:
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
        first, stop = bisect_left(self.starts, start), bisect_left(self.starts, end)
        for other in self.candidates[first:stop]:
            if other.label == "AGENT" or (other.entities and other.entities[0].kind
                                          in AFFILIATION_KINDS):
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
            if affiliation.label == "AGENT" and affiliation.agent is not None:
                agent_actor = self._resolve_agent(affiliation).actor
                if agent_actor is not None and agent_actor.country and (
                        (affiliation.agent.kind == "group" and agent_actor.sector) or
                        (agent_actor.kb_id and len(agent_actor.code or "") > 3)):
                    # "Ciyager Amed, an SDF leader": the SDF's code, not the SDF itself
                    return replace(agent_actor, kb_id=None) if agent_actor.kb_id and \
                        affiliation.agent.kind != "group" else _copy(agent_actor)
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
            earlier = self._titled_person(candidate)
            if earlier is not None:  # "The Colonel" after "Colonel Myles Caggins"
                mention = self._mention(candidate, _copy(earlier.actor), "coreference")
                candidate.mention = mention
                return mention
            actor = Actor(code=sector, sector=sector)
        mention = self._mention(candidate, actor, "agent")
        candidate.mention = mention
        return mention

    def _titled_person(self, candidate: Candidate) -> Mention | None:
        """Return the last person before ``candidate`` introduced with the title it consists of
        ("the Colonel" -> "Colonel Myles Caggins" or "Col. Caggins"), if it is a bare title."""
        words = [t.lower_.rstrip(".") for t in self.doc[candidate.start:candidate.end]]
        if len(words) < 2 or words[0] != "the":
            return None
        forms = self.finder.rules.title_abbreviations.get(" ".join(words[1:]))
        if forms is None:
            return None
        found = None
        for other in self.candidates:
            mention = other.mention
            if other.start >= candidate.start:
                break
            if other.label != "PERSON" or mention is None or mention.actor is None or \
                    not mention.actor.code:
                continue
            before = self.doc[max(other.start - 2, 0):other.end]
            if forms & {t.lower_.rstrip(".") for t in before}:
                found = mention
        return found

    def _agent_nationality(self, candidate: Candidate) -> tuple[Entity | None, str | None]:
        """Return the country/region/organisation and the ethnic code that qualify an agent."""
        doc = self.doc
        head = doc[candidate.end - 1]
        backers = backer_tokens(doc, candidate.start, candidate.end, self.finder.rules)
        inner_tokens = [i for i in range(candidate.start, candidate.end) if i not in backers]
        ethnicity = None
        for i in inner_tokens:
            term = self.kb.ethnic_terms.get(doc[i].lower_)
            if term is not None and term[1] == "ethnic":
                ethnicity = term[0]
        found = self._entities_in(candidate.start, candidate.end, skip=backers)
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "for"):
                clauses = [t.left_edge.i for t in child.subtree if t.dep_ in CLAUSES]
                found += self._entities_in(child.i + 1, min([child.right_edge.i + 1, *clauses]))
        if not found:
            for i in inner_tokens:
                org = self._org_by_word(doc[i].text) if doc[i].is_title else None
                if org is not None:
                    found.append(org)
        return (found[0] if found else None), ethnicity

    def _entities_in(self, start: int, end: int,
                     skip: frozenset[int] = frozenset()) -> list[Entity]:
        """Return the affiliations named by knowledge-base spans within tokens [start, end),
        leaving out those that touch a token of ``skip``."""
        found = []
        from spacy.util import filter_spans

        spans = [self.doc[s:e] for _, s, e in self.finder.exact_names(self.doc[start:end])]
        spans += [self.doc[s:e] for _, s, e in self.finder.names(self.doc[start:end])
                  if any(ch.isupper() for ch in self.doc[s:e].text)]
        for span in filter_spans(spans):
            if any(t.i in skip for t in span):
                continue
            entity = self.kb.nationality(span.text)
            if entity is not None:
                found.append(entity)
        return found

    # -- short forms ----------------------------------------------------------------------------

    def _same_full_name(self, candidate: Candidate) -> Mention | None:
        """Return the known full name this unknown one misspells ("Myles Cagginz") or ends
        ("Stafford Smith" after "Clive Stafford Smith")."""
        return self.people.same_full_name(self._span_text(candidate).split(), candidate.start)

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
        """Return the full mention whose surname is ``surname`` (or nearly): before, else after
        (asked once every full mention is resolved)."""
        return self.people.by_surname(surname, position)

    def _surname_met(self, candidate: Candidate) -> Mention | None:
        """A one-word name that is the surname of a person of the article is them."""
        if candidate.end - candidate.start != 1:
            return None
        person = self._same_person_in_article(self._span_text(candidate), candidate.start)
        if person is None:
            return None
        return self._mention(candidate, _copy(person.actor), "coreference", label="PERSON")

    def _resolve_surname_as_org(self, candidate: Candidate) -> Mention | None:
        """An "organisation" that is the surname of a person of the article is them: one word,
        or the last words of a full name met before ("De Mistura" after "Staffan de Mistura")."""
        if candidate.end - candidate.start != 1:
            same = self._same_full_name(candidate)
            if same is None or same.actor is None or not same.actor.code:
                return None
            return self._mention(candidate, _copy(same.actor), "coreference", label="PERSON")
        met = self._surname_met(candidate)
        if met is not None:
            return met
        text = self._span_text(candidate)
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
        if self.organisations is None:
            self.organisations = OrganisationsMet(self.candidates, self._span_text,
                                                  self.finder.rules.acronym_min_length)
        return self.organisations.by_word(word)

    def _typo_mentions(self, found: list[Mention]) -> list[Mention]:
        """Return mentions for tokens spaCy missed or mislabelled that name actors of the article.

        An acronym one slip away from an organisation's acronym met in the article ("SFD"), or a
        capitalised word equal or close to the surname of a person met in it ("Pompeo" tagged as a
        place, "Cagginz").
        """
        covered = {i for c in self.candidates for i in range(c.start, c.end)}
        result = []
        flags = self.doc.to_array([IS_ALPHA, IS_LOWER])  # a capital: a word not all lower case
        capitals = numpy.flatnonzero((flags[:, 0] != 0) & (flags[:, 1] == 0)).tolist()
        for token in (self.doc[i] for i in capitals):
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
