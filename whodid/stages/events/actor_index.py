"""The article's actors as the events stage looks them up: by token, through pronouns and
quotes (who is speaking), and the places named in the text, as their country."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import DEP, ENT_TYPE, LEMMA, POS, SENT_START
from spacy.symbols import PROPN, VERB

from whodid.knowledge.gazetteer import ascii_fold, place_countries
from whodid.model import Actor, Mention
from whodid.stages.events.patterns import OBJECTS, SUBJECTS, EventRules
from whodid.stages.events.reality import in_quote, reported, reporting_verb
from whodid.stages.events.token_table import TokenTable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


LOCATIVE_PLACE = frozenset({"in", "at", "across", "near", "outside", "inside", "around",
                            "throughout", "through"})
PLACE_PREPOSITIONS = frozenset({"in", "into", "through", "from", "of", "at", "across", "near",
                                "outside", "inside", "around", "throughout"})


class ActorIndex:
    """The article's actor mentions by token, and who is speaking in each sentence."""

    def __init__(self, doc: Doc, mentions: list[Mention], rules: EventRules) -> None:
        """Index the ``mentions`` of ``doc``: actors and groups by token, the places no actor
        covers, the people in order, and the speaker of each sentence."""
        self.doc = doc
        self.rules = rules
        self.table = TokenTable(doc)
        self.by_token: dict[int, Mention] = {}
        states = [m for m in mentions if m.label == "GROUP" and m.members and all(
            a.code and a.code == a.country for a in m.members)]
        for mention in [*states, *mentions]:  # "the three governments": the states, not "GOV"
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                if mention.label == "GROUP" or (mention.actor and mention.actor.code):
                    self.by_token.setdefault(token.i, mention)
        self.places = _place_mentions(doc, self.table, self.by_token,
                                      rules.territory_min_population)
        self.people = sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.start)
        self.people_starts = [m.start for m in self.people]
        self.sentences = list(doc.sents)
        self.sentence_starts = [s.start for s in self.sentences]
        self.subjects = _subjects_by_sentence(self.table, self.sentence_starts)
        self._persons: dict[tuple[int, int], Mention | None] = {}
        self.speakers = self._speakers()
        self.counts = self._country_counts()
        self.home = self._home_country()

    def _country_counts(self) -> dict[str, int]:
        """Return how many of the article's places and actor mentions belong to each country."""
        counts: dict[str, int] = {}
        seen: set[int] = set()
        for mention in [*self.by_token.values(), *self.places.values()]:
            if id(mention) in seen or mention.actor is None or not mention.actor.country:
                continue
            seen.add(id(mention))
            counts[mention.actor.country] = counts.get(mention.actor.country, 0) + 1
        return counts

    def _home_country(self) -> str | None:
        """Return the country the article is about: the one its places and actors belong to
        most often, when it leads the next by ``home_country_lead`` mentions (else None)."""
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return None
        lead = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0)
        return ranked[0][0] if lead >= self.rules.home_country_lead else None

    def _homeland_named_most(self, homelands: frozenset[str]) -> str | None:
        """Return the one of an ethnic group's countries the article names most (None on a
        tie or when it names none): "Kurdish forces" in a story on a Briton held in Syria."""
        ranked = sorted(((self.counts.get(c, 0), c) for c in homelands), reverse=True)
        if not ranked or ranked[0][0] == 0 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
            return None
        return ranked[0][1]

    def _speakers(self) -> dict[int, Mention]:
        """Return the speaker of each sentence: the subject of its reporting verb, carried on
        through the sentences of a quote."""
        speakers: dict[int, Mention] = {}
        sentences = self.sentences
        verbs = numpy.flatnonzero(self.table.matching(
            self.table.column(POS) == VERB, LEMMA,
            self.rules.reporting_verbs.__contains__)).tolist()
        for index, sentence in enumerate(sentences):
            first, last = bisect_left(verbs, sentence.start), bisect_left(verbs, sentence.end)
            speaker = next((m for m in (self._reporter(self.doc[i]) for i in verbs[first:last])
                            if m is not None), None)
            if speaker is not None:
                speakers[index] = speaker
        filled: dict[int, Mention] = {}
        for index, sentence in enumerate(sentences):
            if index in speakers:
                filled[index] = speakers[index]
            elif (index + 1 in speakers or index - 1 in filled) and in_quote(sentence):
                filled[index] = speakers[index + 1] if index + 1 in speakers else \
                    filled[index - 1]
        return filled

    def _reporter(self, verb: Token) -> Mention | None:
        """Return the actor the first subject of a reporting verb stands for that stands for
        one (a name, "he"/"she" for a person, a name with an apposed actor), if any."""
        for child in verb.children:
            if child.dep_ in SUBJECTS:
                mention = self.mention_of(child, follow_pronouns=False) or (
                    self.subject_antecedent(child) if child.lower_ in ("he", "she")
                    else None) or self._apposed(child)
                if mention is not None:
                    return mention
        return None

    def speaker_of(self, token: Token) -> Mention | None:
        """Return who speaks in the sentence of ``token`` (see ``_speakers``), if anyone."""
        return self.speakers.get(bisect_right(self.sentence_starts, token.i) - 1)

    def localised(self, mention: Mention, trigger: Token, partner: Mention | None = None,
                  by_sentence: bool = False) -> Mention:
        """Return a generic agent without a country ("protesters", "police", "villagers") or an
        ethnic group with the country of the place its own phrase names ("supporters in
        Kisumu", "the Kurdish militias Turkey is battling in Syria": of its own phrase or relative
        clause), an ethnic group with that of the national actor it is conjoined with ("Kurdish
        forces and the Iraqi army"), else of the place the trigger names ("marched through
        Santiago"), else, for a domestic sector (opposition, police, judiciary...), of its
        ``partner`` in the event,
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
        if span is not None and any(t.lower_ in self.rules.foreign_words for t in span):
            return mention  # "foreign fighters" are of no country the text names
        country = None
        if span is not None:
            country = self._country_of_modifiers(span.root) or \
                self._country_below(span.root, depth=3) or next(
                    (c for c in (self._country_below(clause, 2, LOCATIVE_PLACE)
                                 for clause in self._own_clauses(span.root)) if c), None)
            if country is None and ethnic:
                country = self._country_of_conjuncts(span.root)
        for verb in (trigger, *trigger.conjuncts):  # "clashed with police and set fire in Dakar"
            if country is None:
                country = self._country_below(verb, depth=3, prepositions=LOCATIVE_PLACE)
        if country is None and partner is not None and partner.actor is not None and not ethnic:
            country = self._partner_country(actor.code, mention.label, partner.actor, trigger)
        if country is None and by_sentence:
            other = partner.actor.country if partner is not None and partner.actor else None
            homelands = self.rules.ethnic_homelands.get(actor.ethnicity or "", frozenset())
            country = self._only_country_of(trigger.sent, other)
            if ethnic and country not in homelands:
                country = None  # "the Kurdish militias Washington armed" are not American
            if country is None and mention.label == "AGENT" and not ethnic:
                country = self.home  # "government forces" in an article about Syria
            if country is None and ethnic:
                country = self._homeland_named_most(homelands)  # Kurds in a story on Syria
        if country is None or (partner is not None and partner.actor is not None
                               and partner.actor.code == country + sector):
            return mention
        return Mention(mention.text, mention.start, mention.end, mention.label,
                       actor=Actor(name=actor.name, code=country + sector, country=country,
                                   sector=actor.sector, ethnicity=actor.ethnicity,
                                   kb_id=actor.kb_id),
                       resolved_by=mention.resolved_by)

    def _own_clauses(self, noun: Token) -> list[Token]:
        """Return the relative clauses of a noun, those the parse made adverbial included ("the
        militias Turkey is battling in Syria")."""
        return [c for c in noun.children if c.dep_ == "relcl"] + [
            c for c in noun.sent if c.dep_ == "advcl" and
            (found := contact_clause_noun(c)) is not None and found.i == noun.i]

    def _partner_country(self, code: str, label: str, partner: Actor,
                         trigger: Token) -> str | None:
        """Return the country a countryless actor shares with its partner in the event: a
        domestic sector's ("Venezuela's government ... the opposition"), a person's; rebels
        facing a state's government, army or police are of the one other country their sentence
        names ("Iraqi officials said Iranian troops attacked the rebels"), else of the state's
        ("the Sudanese government accused Darfur rebels")."""
        if code in self.rules.domestic_sectors or label == "PERSON":
            return partner.country
        if code in self.rules.insurgent_sectors and \
                (partner.code or "")[3:6] in self.rules.insurgent_opponents:
            return self._only_country_of(trigger.sent, partner.country) or partner.country
        return None

    def _country_of_modifiers(self, token: Token) -> str | None:
        """Return the country a mention's own modifiers name: a country or place before it
        ("Iraqi Kurds", "Darfur rebels") or the owner a possessive pronoun stands for ("Russia
        agreed to withdraw its troops"), else None."""
        for child in token.children:
            if child.dep_ not in ("amod", "compound", "nmod", "poss"):
                continue
            found = self.place_of(child) or self.by_token.get(child.i)
            if found is not None and found.actor is not None and found.actor.country and (
                    found.label in ("PLACE", "COUNTRY") or found.actor.code == found.actor.country):
                return found.actor.country
            if child.dep_ == "poss" and child.pos_ == "PRON":
                owner = self._pronoun_owner(child)
                if owner is not None and owner.actor is not None and owner.actor.country:
                    return owner.actor.country
        return None

    def _pronoun_owner(self, pronoun: Token) -> Mention | None:
        """Return the actor a possessive pronoun stands for: the subject of the nearest verb
        above it that has one other than the pronoun's own noun ("Russia agreed to withdraw its
        troops", "the rebels said their fighters had left"); "his"/"her": else the last
        person."""
        noun = pronoun.head
        node = noun
        for _ in range(self.rules.owner_depth):
            if node.head.i == node.i:
                break
            node = node.head
            for child in node.children:
                if child.dep_ in SUBJECTS and child.i != noun.i and child.pos_ != "PRON":
                    found = self.mention_of(child, follow_pronouns=False)
                    if found is not None:
                        return found
        if pronoun.lower_ in ("his", "her"):
            return self.last_person(pronoun.idx)
        return None

    def _country_of_conjuncts(self, token: Token) -> str | None:
        """Return the one country of the national actors conjoined with a mention ("Kurdish
        forces and the Iraqi army" -> IRQ), else None."""
        named = {m.actor.country for m in (self.by_token.get(c.i) for c in token.conjuncts)
                 if m is not None and m.actor is not None and m.actor.country}
        return named.pop() if len(named) == 1 else None

    def _only_country_of(self, sentence: Span, other: str | None) -> str | None:
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

    def _country_below(self, token: Token, depth: int,
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

    def owner_of(self, token: Token) -> Mention | None:
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

    def place_of(self, token: Token) -> Mention | None:
        """Return the place a token names, as its country's actor, if any."""
        return self.places.get(token.i)

    def last_person(self, before: int) -> Mention | None:
        """Return the last person mention that starts before the character offset ``before``;
        None when that person has no code ("Riedijk said he ...": not an earlier coded person)."""
        at = bisect_left(self.people_starts, before)
        found = self.people[at - 1] if at else None
        return found if found is not None and found.actor and found.actor.code else None

    def subject_antecedent(self, pronoun: Token) -> Mention | None:
        """Return the coded person a subject "he"/"she" stands for: the person it continues
        (``subject_person``), else the last person named; None for one without a code."""
        found = self.subject_person(pronoun)
        if found is None:
            return self.last_person(pronoun.idx)
        return found if found.actor is not None and found.actor.code else None

    def subject_person(self, pronoun: Token, depth: int = 0) -> Mention | None:
        """Return the person a subject "he"/"she" continues: the last subject before it that
        is a person (a relative "who" stands for its noun), in its sentence or the
        ``subject_lookback`` sentences before, or a "he"/"she" standing for one ("During his
        call with Erdogan, he declared ... By Sunday he appeared to agree": the one declaring,
        not Erdogan), with or without a code ("Hamdan, who said he supported Isis": no actor);
        None when there is none."""
        key = (pronoun.i, depth)
        if key not in self._persons:
            self._persons[key] = self._subject_person(pronoun, depth)
        return self._persons[key]

    def _subject_person(self, pronoun: Token, depth: int) -> Mention | None:
        """Return what ``subject_person`` does, found anew."""
        sentence_index = bisect_right(self.sentence_starts, pronoun.i) - 1
        for index in range(sentence_index, max(sentence_index - self.rules.subject_lookback,
                                                0) - 1, -1):
            tokens = [self.doc[i] for i in self.subjects[index] if i < pronoun.i]
            for subject in reversed(tokens):
                if subject.tag_ == "WP" and subject.head.dep_ == "relcl":
                    subject = subject.head.head  # "Hamdan, who said": Hamdan
                found = self.by_token.get(subject.i) or next(
                    (m for m in self.people if m.start <= subject.idx < m.end), None)
                if found is not None and found.label == "PERSON":
                    return found
                if subject.lower_ == pronoun.lower_ and depth < self.rules.subject_lookback:
                    return self.subject_person(subject, depth + 1)
        return None

    def _titled_speaker(self, pronoun: Token) -> Mention | None:
        """Return the one known by a title who says what a subject "he"/"she" does ("Pakistan's
        prime minister said he was prepared to meet"): the subject of the reporting verb that
        governs the pronoun's clause, a singular noun with a coded actor and no messenger
        (``messenger_nouns``: a spokesman speaks of others); None otherwise."""
        verb = reporting_verb(pronoun, self.rules)
        if verb is None:
            return None
        return next((m for c in verb.children if c.dep_ in SUBJECTS and c.tag_ == "NN"
                     and c.lemma_.lower() not in self.rules.messenger_nouns
                     for m in (self.by_token.get(c.i),) if m is not None and m.label == "AGENT"
                     and m.actor is not None and m.actor.code), None)

    def _object_antecedent(self, pronoun: Token) -> Mention | None:
        """Return what an object "it" stands for: the nearest actor before it in its sentence
        that is no person and not the subject of a verb above it ("stepped up his rhetoric
        against the US, accusing it of ...": the US; "Turkey, a sponsor of the SNC, urged it
        to attend": the SNC); None when there is none."""
        subjects = {c.i for a in pronoun.ancestors for c in a.children if c.dep_ in SUBJECTS}
        start = pronoun.sent.start
        for i in range(pronoun.i - 1, start - 1, -1):
            found = self.by_token.get(i)
            if found is None or found.label in ("PERSON", "GROUP") or found.actor is None:
                continue
            span = self.doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is not None and not any(t.i in subjects for t in span):
                return found
        return None

    def owns_a_place(self, token: Token) -> bool:
        """True for an ethnic adjective before a place noun: "the Kurdish city of Afrin", "a
        Kurdish prison" say whose place it is and name no actor."""
        found = self.by_token.get(token.i)
        return token.dep_ in ("amod", "compound") and found is not None and \
            found.actor is not None and bool(found.actor.ethnicity) and \
            not found.actor.country and token.head.lemma_.lower() in self.rules.place_nouns

    def _apposed(self, token: Token) -> Mention | None:
        """Return the actor apposed to a name no actor stands for ("Ciyager Amed, an SDF
        leader, said")."""
        return next((m for c in token.children if c.dep_ == "appos"
                     for m in [self.mention_of(c, follow_pronouns=False)] if m is not None), None)

    def reporting_party(self, token: Token, armed: bool = True) -> Mention | None:
        """Return the speaker of the sentence of ``token`` when the clause is reported and,
        with ``armed``, the speaker speaks for an armed party (``counterpart_speaker_sectors``)."""
        if not reported(token, self.rules):
            return None
        speaker = self.speakers.get(bisect_right(self.sentence_starts, token.i) - 1)
        code = (speaker.actor.code if speaker is not None and speaker.actor else None) or ""
        return speaker if code and (not armed or code[3:6] in
                                    self.rules.counterpart_speaker_sectors) else None

    def mention_of(self, token: Token, follow_pronouns: bool = True) -> Mention | None:
        """Return the actor mention a noun-phrase head stands for, if any."""
        if token.i in self.by_token:
            return self.by_token[token.i]
        if follow_pronouns and token.pos_ == "PRON":
            kind = self.rules.pronouns.get(token.lower_)
            if token.lower_ == "it" and token.dep_ in ("dobj", "dative", "pobj"):
                return self._object_antecedent(token)
            if kind == "person" and token.dep_ in (*SUBJECTS, "nsubjpass"):
                return self._titled_speaker(token) or self.subject_antecedent(token)
            if kind == "person":
                return self.last_person(token.idx)
            if kind in ("speaker", "reporter"):
                sentence_index = bisect_right(self.sentence_starts, token.i) - 1
                if kind == "reporter" and not reported(token, self.rules):
                    return None
                return self.speakers.get(sentence_index)
            return None
        for child in token.children:  # "Peshmerga forces", "the US-led Coalition", "Iraq's army"
            if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i in self.by_token \
                    and not self.owns_a_place(child):
                return self.by_token[child.i]
        for child in token.children:  # "a camp for Congolese refugees", "scores of refugees"
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i in self.by_token:
                        return self.by_token[pobj.i]
        return None

    def with_conjoined_modifiers(self, token: Token, mention: Mention | None) -> list[Mention]:
        """Return ``mention``, the actor a noun stands for (none: []), and when that actor is
        named by a modifier conjoined with others, theirs: "the Turkish and Greek sides" ->
        Turkey, Greece."""
        if mention is None:
            return []
        found = [mention]
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod") and self.by_token.get(child.i) is mention:
                found += [self.by_token[c.i] for c in child.conjuncts if c.i in self.by_token
                          and self.by_token[c.i] not in found]
        return found


def contact_clause_noun(clause: Token) -> Token | None:
    """Return the noun a relative clause without a relative word acts on when the parse made it
    an adverbial one: the noun right before its subject, the clause having no object, no
    relative word and no conjunction of its own ("provided arms for the militias Turkey is
    battling": the militias; not "provided cover while Turkey was battling")."""
    children = list(clause.children)
    subjects = [c for c in children if c.dep_ in SUBJECTS and c.i < clause.i]
    if clause.dep_ != "advcl" or not subjects or subjects[0].left_edge.i == 0 or any(
            c.dep_ in (*OBJECTS, "nsubjpass") or c.tag_ in ("WP", "WDT", "WRB")
            for c in children):
        return None
    noun = clause.doc[subjects[0].left_edge.i - 1]
    marks = [c for c in children if c.dep_ == "mark"]
    if noun.pos_ not in ("NOUN", "PROPN") or not all(noun in m.subtree for m in marks):
        return None  # "while Turkey was battling": a conjunction, no antecedent
    return noun


NOT_PLACES = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                        "QUANTITY", "NORP", "LAW", "LANGUAGE", "EVENT", "WORK_OF_ART"})
COMPASS_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                           "western", "central", "northeastern", "northwestern", "southeastern",
                           "southwestern", "north-eastern", "north-western", "south-eastern",
                           "south-western", "upper", "lower"})
PLACE_WORDS = frozenset({"state", "province", "region", "city", "town", "district", "governorate",
                         "county", "village", "strip"})


def _subjects_by_sentence(table: TokenTable, sentence_starts: list[int]) -> list[list[int]]:
    """Return, for each sentence (by its start token), the indices of its subjects, passive
    ones included, in order."""
    subjects: list[list[int]] = [[] for _ in sentence_starts]
    labels = [table.hash(label) for label in (*SUBJECTS, "nsubjpass")]
    for i in numpy.flatnonzero(numpy.isin(table.column(DEP), labels)).tolist():
        subjects[bisect_right(sentence_starts, i) - 1].append(i)
    return subjects


def _place_mentions(doc: Doc, table: TokenTable, taken: dict[int, Mention],
                    min_population: int) -> dict[int, Mention]:
    """Return, by token, the toponyms no actor mention covers, as mentions of their country
    ("Kharkiv" -> UKR). A name the gazetteer does not know, or a town under ``min_population``,
    is left out."""
    countries = place_countries(min_population)
    found: dict[int, Mention] = {}
    named = [ent for ent in doc.ents if ent.label_ not in NOT_PLACES]
    # a capitalised word no entity covers, unless it opens the sentence ("Young Algerians")
    proper = (table.column(POS) == PROPN) & (table.column(ENT_TYPE) == 0) & \
        (table.column(SENT_START).astype("int64") != 1)
    named += [doc[i:i + 1] for i in numpy.flatnonzero(proper).tolist() if i not in taken]
    for ent in named:  # spaCy's label is often wrong for toponyms ("Tangier" as PRODUCT)
        if any(t.i in taken for t in ent):
            continue
        words = [t for t in ent if t.lower_ != "the"]
        while words and words[-1].lower_ in PLACE_WORDS and len(words) > 1:
            words = words[:-1]
        code = countries.get(ascii_fold(" ".join(t.text for t in words)))
        while code is None and len(words) > 1 and words[0].lower_ in COMPASS_WORDS:
            words = words[1:]  # "southeastern Serbia" (but "West Darfur" is a name)
            code = countries.get(ascii_fold(" ".join(t.text for t in words)))
        if code is None:
            continue
        mention = Mention(ent.text, ent.start_char, ent.end_char, "PLACE",
                          actor=Actor(name=ent.text, code=code, country=code), resolved_by="place")
        for token in ent:
            found[token.i] = mention
    return found
