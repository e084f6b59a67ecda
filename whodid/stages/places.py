"""The places stage: every toponym resolved to coordinates, and where each event happened.

1. Toponyms: spaCy's GPE/LOC/FAC entities, country mentions of the actors stage, entities spaCy
   mislabels ("Tabqah" as PERSON, "Hasakah" as ORG) and untagged proper nouns when the gazetteer
   knows the name and no actor claims it, and the dateline's place. A name the gazetteer does not
   know as written is tried without a leading "the" and a trailing "province", "city"... One
   name keeps one sense in an article (``place_discourse.py``): a surname of its people is no
   place, a name it mostly calls a place is one everywhere.
2. Homonyms: a ranker over the features of each candidate (``knowledge/gazetteer/ranker.py``,
   weights fitted on toponym gold in ``data/places/ranker.yaml``): its kind and population, how
   its name matches, a capital, a qualifier written after the name ("Paris, Texas"), an area
   word ("Idlib province"), and the article's context: the countries and first-level areas of
   its actors, dateline and unambiguous places, and nearness to the towns a first ranking chose
   ("Tripoli" in an article about Lebanon is Tripoli, Lebanon). Towns and counties of the
   article's own area are toponyms even when spaCy calls them persons or organisations; a name
   the gazetteer does not know is placed at the place named inside it ("Lake Manassas") or the
   article's focus, feature ``near``.
3. Each event's location (``event_location.py``): the place its trigger governs ("met ... in
   Munich", "shelled villages near Afrin", "entered Manbij"), else a locative place of its
   sentence, else the dateline's place, else the article's focus; never an actor's home
   ("Turkish troops") or a place of another clause.

Reads: doc, mentions, dateline, events. Sets: places, and the events' location.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from whodid.knowledge.gazetteer import GazetteerEntry, GazetteerIndex, ascii_fold
from whodid.knowledge.gazetteer.ranker import (
    PROXIMITY_KM,
    PlaceContext,
    Ranker,
    ToponymForm,
    candidate_features,
    place_ranker,
)
from whodid.model import Article, Mention, Place
from whodid.stages.event_location import LocationContext, article_focus, event_location
from whodid.stages.place_discourse import (
    PersonWords,
    acronym,
    after_locative_preposition,
    area_code,
    code_like_tokens,
    coordinated,
    country_initials,
    cued_kind,
    dateline_entry,
    is_persons_name,
    mention_tokens,
    organisation_heads,
    person_words,
    place_after,
    place_keys,
    proper_nouns,
)
from whodid.stages.place_names import (
    best_candidates,
    cities_before_their_areas,
    country_entry,
    country_of_demonym,
    famous_abroad,
    own_name,
)
from whodid.stages.place_rules import PlaceRules, place_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass
class _Toponym:
    start: int          # token indices
    end: int
    key: str            # the name looked up
    candidates: list[GazetteerEntry]
    country_mention: str | None = None  # the actors stage named this country here
    kind: str | None = None  # the kind of place its words ask for: a dateline names a city


def find_places(article: Article, index: GazetteerIndex, rules: PlaceRules | None = None,
                ranker: Ranker | None = None) -> Article:
    """Set ``article.places`` and each event's ``location`` (see the module docstring)."""
    rules = rules or place_rules()
    ranker = ranker or place_ranker()
    doc = article.doc
    toponyms, context, dateline, chosen = _resolution(article, index, rules, ranker)
    if chosen is None:
        chosen = _choices(toponyms, doc, index, rules, ranker, context)
    focus = _focus(chosen.values(), dateline)
    article.places = []
    by_token: dict[int, Place] = {}
    for position, toponym in enumerate(toponyms):
        span = doc[toponym.start:toponym.end]
        entry = chosen.get(position)
        if entry is None:  # a place the gazetteer does not know: near the place it names
            inner = place_after(doc, toponym.end, {t.start: chosen[i] for i, t in enumerate(
                toponyms) if i in chosen}) or _inner_place(span, index, rules, ranker, context)
            article.places.append(_near_place(span, inner or focus))
            if inner is not None:  # "in Western Cambodia" locates an event; a guess does not
                by_token.update({token.i: article.places[-1] for token in span})
            continue
        place = Place(text=span.text, start=span.start_char, end=span.end_char, name=entry.name,
                      country=entry.country or None, admin1=entry.admin1, lat=round(entry.lat, 5),
                      lon=round(entry.lon, 5), geonameid=entry.geonameid, feature=entry.feature)
        article.places.append(place)
        for token in span:
            by_token[token.i] = place
    actor_places = _actor_places(article)
    located = LocationContext(by_token, rules.location_prepositions,
                              frozenset(i for p in actor_places for i in _tokens_of(doc, p)),
                              dateline, None)
    located = replace(located, focus=article_focus(article, located))
    for event in article.events:
        event.location = event_location(event, article, located)
    return article


def _actor_places(article: Article) -> list[Place]:
    """Return the places the actors stage named as countries ("the US", "Turkey's")."""
    named = {(m.start, m.end) for m in article.mentions if m.label == "COUNTRY"}
    return [p for p in article.places if (p.start, p.end) in named]


def _tokens_of(doc: Doc, place: Place) -> range:
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


LOCAL_FEATURES = ("city", "admin2", "locality")


def _focus(chosen: Iterable[GazetteerEntry], dateline: GazetteerEntry | None
           ) -> GazetteerEntry | None:
    """Return the article's local focus: its most named town or county (the first named of
    equals), else its dateline's place."""
    local = Counter(e for e in chosen if e.feature in LOCAL_FEATURES)
    return local.most_common(1)[0][0] if local else dateline


def _inner_place(span: Span, index: GazetteerIndex, rules: PlaceRules, ranker: Ranker,
                 context: PlaceContext) -> GazetteerEntry | None:
    """Return the notable place named inside a name the gazetteer does not know, the longest,
    then one of the article's own first-level areas, then the last ("Donington Park,
    Leicestershire", "Lake Manassas", "the Illinois Capitol Complex", "the Vienna Metro
    Station" in Virginia news), ranked like any toponym."""
    words = [t for t in span if t.lower_ != "the"]
    for length in range(len(words) - 1, 0, -1):
        found: list[tuple[str, list[GazetteerEntry]]] = []
        for start in range(len(words) - length, -1, -1):
            part = words[start:start + length]
            if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in part):
                continue
            key, named = _lookup(part, index, rules)
            text = " ".join(t.text for t in part)
            candidates = [e for e in named if own_name(e, key) and (
                _notable(e, text, rules) or e.population >= rules.min_inner_population
                or (e.country, e.admin1 or "") in context.admin1s)]  # a town of its area
            if candidates:
                found.append((key, candidates))
        local = [(key, c) for key, c in found
                 if any((e.country, e.admin1 or "") in context.admin1s for e in c)]
        for key, candidates in local[:1] or found[:1]:
            return ranker.best(cities_before_their_areas(candidates), ToponymForm(key), context)
    return None


def _near_place(span: Span, near: GazetteerEntry | None) -> Place:
    """Return the place of a toponym the gazetteer does not know: at the place it names or the
    article's focus, marked ``near`` (no GeoNames id of its own), else named, not located."""
    if near is None:
        return Place(text=span.text, start=span.start_char, end=span.end_char)
    return Place(text=span.text, start=span.start_char, end=span.end_char, name=near.name,
                 country=near.country or None, admin1=near.admin1, lat=round(near.lat, 5),
                 lon=round(near.lon, 5), geonameid=None, feature="near")


def _resolution(article: Article, index: GazetteerIndex, rules: PlaceRules, ranker: Ranker
                ) -> tuple[list[_Toponym], PlaceContext, GazetteerEntry | None,
                           dict[int, GazetteerEntry] | None]:
    """Return the toponyms of an article, what the article says about where it is, its
    dateline's place and the choices of a first ranking when they are final (no toponym came
    after it; else None): the countries of its actors and dateline, and of the toponyms whose
    candidates share a country; the first-level areas of those whose candidates share one; the
    points of the towns and counties a first ranking chose; then the toponyms of the article's
    own area (``_local_toponyms``) and the all-caps codes of the first-level areas it names
    (``_area_codes``)."""
    doc = article.doc
    people = person_words(doc, index, rules.trailing_words)
    spans = mention_tokens(doc, article.mentions)
    toponyms = _toponyms(article, index, rules, people, spans)
    context = PlaceContext(countries=Counter(m.actor.country for m in article.mentions
                                             if m.actor is not None and m.actor.country
                                             and not _capital_for_country(m, index)))
    dateline = dateline_entry(article, index, rules, context.countries)
    if dateline is not None:
        context.countries[dateline.country] += 2
        context.dateline_country = dateline.country
        if dateline.admin1:
            context.admin1s[(dateline.country, dateline.admin1)] += 1
    for toponym in toponyms:
        candidates = cities_before_their_areas(toponym.candidates)
        if not candidates or not all(_telling(e, rules) for e in candidates):
            continue  # a village named Kent tells little
        countries = {e.country for e in candidates}
        if toponym.country_mention or len(countries) == 1:
            context.countries[toponym.country_mention or candidates[0].country] += 1
        if len({(e.country, e.admin1) for e in candidates}) == 1 and candidates[0].admin1:
            context.admin1s[(candidates[0].country, candidates[0].admin1)] += 1
    shared = _shared_areas(toponyms, context, rules.min_bare_population)
    context.admin1s.update(shared)
    if dateline is not None and article.dateline is not None and article.dateline.place and \
            shared and (dateline.country, dateline.admin1 or "") not in shared:
        # "SPRINGFIELD -" in an article naming Decatur and Peoria: the Illinois one
        homonyms = [e for e in index.candidates(article.dateline.place)
                    if (e.country, e.admin1 or "") in shared]
        if homonyms:
            context.admin1s[(dateline.country, dateline.admin1 or "")] -= 1
            dateline = homonyms[0]
            context.admin1s[(dateline.country, dateline.admin1 or "")] += 1
    if dateline is not None and article.dateline is not None and article.dateline.place:
        _home_area_kinds(toponyms, dateline, ascii_fold(article.dateline.place))
    chosen = _choices(toponyms, doc, index, rules, ranker, context)  # the points of its places
    local = _local_toponyms(doc, article.mentions, toponyms, index, rules, context, people,
                            spans)
    areas = context.admin1s + Counter((e.country, e.admin1 or "") for e in chosen.values())
    codes = _area_codes(doc, toponyms + local, index, areas)
    codes += _initials(doc, article.text, toponyms + local + codes, index, context.countries)
    final = None if local or codes else chosen  # the same toponyms would rank the same
    return sorted(toponyms + local + codes, key=lambda t: t.start), context, dateline, final


def _home_area_kinds(toponyms: list[_Toponym], dateline: GazetteerEntry, written: str) -> None:
    """Ask for the first-level area in the toponyms that name the dateline's own area but
    not its place nor a country: "Washington" under "CAMP MURRAY, Wash." is the state, under
    "WASHINGTON -" the city; "Mexico" under "MEXICO CITY -" the country."""
    home = (dateline.country, dateline.admin1)
    for toponym in toponyms:
        if toponym.kind is None and toponym.key != written and \
                not any(e.feature == "country" for e in toponym.candidates) and \
                any(e.feature == "admin1" and (e.country, e.admin1) == home
                    for e in toponym.candidates):
            toponym.kind = "admin1"


def _capital_for_country(mention: Mention, index: GazetteerIndex) -> bool:
    """True for a country mention that names a town, not a country: a capital standing for
    its government ("Vienna said") is no evidence that the article is about that country,
    for the town may be another ("Fairfax and Vienna" in Virginia)."""
    if mention.label != "COUNTRY":
        return False
    candidates = index.lookup(ascii_fold(mention.text))
    return bool(candidates) and not any(e.feature == "country" for e in candidates)


def _shared_areas(toponyms: list[_Toponym], context: PlaceContext, min_population: int
                  ) -> Counter[tuple[str, str]]:
    """Return, once each, the first-level areas of the article's main country where most of its
    ambiguous town names have a town of their own name, when that is at least two names
    ("Springfield", "Decatur" and "Peoria" together are Illinois); a name whose most populous
    town is a city (``min_population``) of another country the article names is no evidence
    ("Manchester" and "Colchester" both have towns in Connecticut, named after the English
    ones, in an article naming the US and Britain)."""
    if not context.countries:
        return Counter()
    country = context.countries.most_common(1)[0][0]
    names: dict[tuple[str, str], set[str]] = {}
    for toponym in toponyms:
        if famous_abroad(toponym.candidates, context.countries, min_population):
            continue
        for e in toponym.candidates:
            if e.feature == "city" and e.country == country and e.admin1 and \
                    own_name(e, toponym.key):
                names.setdefault((e.country, e.admin1), set()).add(toponym.key)
    most = max((len(keys) for keys in names.values()), default=0)
    return Counter({area: 1 for area, keys in names.items() if len(keys) == most >= 2})


def _local_toponyms(doc: Doc, mentions: list[Mention], toponyms: list[_Toponym],
                    index: GazetteerIndex, rules: PlaceRules, context: PlaceContext,
                    people: PersonWords, mention_spans: list[tuple[int, int] | None]
                    ) -> list[_Toponym]:
    """Return the names spaCy did not call places (mislabelled entities, untagged proper
    nouns, the first word of an organisation's name) that are towns or counties of the
    article's own area: its most named first-level area, or within ``local_km`` of its
    unambiguous places ("Franklin" in Tennessee news, "Owensboro Public Schools" in Kentucky
    news); names an actor claims stay the actor's, unless the actor has no country of its own
    and the town heads its name (``mention_spans``: ``mention_tokens``)."""
    taken = {i for t in toponyms for i in range(t.start, t.end)}
    heads = organisation_heads(doc, mentions, rules.embedding_labels) - taken
    taken |= {i for m, span in zip(mentions, mention_spans, strict=True)
              if m.actor is not None and m.actor.code and span is not None
              for i in range(*span)}
    area = context.admin1s.most_common(1)[0][0] if context.admin1s else None
    spans = [(e.start, e.end) for e in doc.ents if e.label_ in rules.mislabelled]
    spans += [(t.i, t.i + 1) for t in proper_nouns(doc) if _untagged(t, rules) and t.is_title]
    taken -= heads
    spans += [(i, i + 1) for i in sorted(heads)]
    found: list[_Toponym] = []
    for start, end in spans:
        if any(i in taken for i in range(start, end)):
            continue
        key, candidates = _lookup(list(doc[start:end]), index, rules)
        local = [e for e in candidates if e.feature in LOCAL_FEATURES and own_name(e, key)
                 and ((e.country, e.admin1) == area or context.proximity(e) >=
                      math.exp(-rules.local_km / PROXIMITY_KM))]
        if local and not is_persons_name(doc[start:end], people, after_locative_preposition(
                doc[start:end], rules)):
            found.append(_Toponym(start, end, key, local))
            taken.update(range(start, end))
    return found


def _area_codes(doc: Doc, toponyms: list[_Toponym], index: GazetteerIndex,
                areas: Counter[tuple[str, str]]) -> list[_Toponym]:
    """Return the all-caps codes of the first-level areas the article names or whose towns
    it names (``areas``), wherever they stand ("FrontCounter BC" in news of Nelson, B.C.)."""
    taken = {i for t in toponyms for i in range(t.start, t.end)}
    found = []
    for token in code_like_tokens(doc):
        codes = [] if token.i in taken else area_code(token.text, index, areas)
        if codes:
            found.append(_Toponym(token.i, token.i + 1, ascii_fold(token.text), codes))
    return found


def _initials(doc: Doc, text: str, toponyms: list[_Toponym], index: GazetteerIndex,
              countries: Counter[str]) -> list[_Toponym]:
    """Return the initials of the article's countries where no toponym stands ("SA", "T&T");
    ``text`` is the doc's text."""
    taken = {i for t in toponyms for i in range(t.start, t.end)}
    entries = [e for e in (country_entry(c, index) for c in countries if c) if e is not None]
    return [_Toponym(span.start, span.end, ascii_fold(span.text), [entry])
            for span, entry in country_initials(doc, entries, text)
            if not any(i in taken for i in range(span.start, span.end))]


def _choices(toponyms: list[_Toponym], doc: Doc, index: GazetteerIndex, rules: PlaceRules,
             ranker: Ranker, context: PlaceContext) -> dict[int, GazetteerEntry]:
    """Return the chosen candidate of each toponym by its number: ranked once without the
    points of the article's places, then again with the points of the towns and counties the
    first ranking chose (``context.points`` is set) and the first-level areas it chose counted
    among the article's areas."""
    forms = {position: _form(toponym, doc, index, rules, position)
             for position, toponym in enumerate(toponyms) if toponym.candidates}
    context.points = {}
    chosen: dict[int, GazetteerEntry] = {}
    kinds = {position: toponym.kind for position, toponym in enumerate(toponyms)}
    pairs = coordinated(doc, [(t.start, t.end) for t in toponyms])
    ranking = context
    for _ in range(2):
        chosen = best_candidates({p: (toponyms[p].candidates, kinds[p]) for p in forms}, forms,
                                 index, ranker, ranking)
        context.points = {position: (e.lat, e.lon) for position, e in chosen.items()
                          if e.feature in LOCAL_FEATURES and _telling(e, rules)}
        kinds.update(_coordinated_kinds(toponyms, pairs, chosen))
        named = Counter((e.country, e.admin1 or "") for e in chosen.values()
                        if e.feature == "admin1")  # "officials in Virginia": its towns first
        ranking = replace(context, admin1s=context.admin1s + named, _nearest=None,
                          countries=context.countries + Counter(c for c, _ in named.elements()))
    return chosen


def _coordinated_kinds(toponyms: list[_Toponym], pairs: list[tuple[int, int]],
                       chosen: dict[int, GazetteerEntry]) -> dict[int, str]:
    """Return "admin1" for the toponyms coordinated with a first-level area of the same
    country ("states such as California or Washington"; ``pairs``: ``coordinated``), when
    they have such a candidate."""
    kinds: dict[int, str] = {}
    for position, other in pairs:
        for a, b in ((position, other), (other, position)):
            if a not in chosen or chosen[a].feature != "admin1" or toponyms[b].kind is not None:
                continue
            if any(e.feature == "admin1" and e.country == chosen[a].country
                   for e in toponyms[b].candidates):
                kinds[b] = "admin1"
    return kinds


CandidateRow = tuple[int, int, list[GazetteerEntry], list[list[float]]]


def toponym_candidates(article: Article, index: GazetteerIndex, rules: PlaceRules | None = None,
                       ranker: Ranker | None = None) -> list[CandidateRow]:
    """Return each toponym the places stage resolves (start and end characters), its
    candidates and their ranker features, as ``find_places`` sees them: the rows
    ``scripts/refit_place_ranker.py`` fits the ranker on."""
    rules = rules or place_rules()
    doc = article.doc
    ranker = ranker or place_ranker()
    toponyms, context, _, _ = _resolution(article, index, rules, ranker)
    _choices(toponyms, doc, index, rules, ranker, context)
    rows = []
    for position, toponym in enumerate(toponyms):
        candidates = cities_before_their_areas(toponym.candidates)
        if not candidates:
            continue
        form = _form(toponym, doc, index, rules, position)
        largest = max(e.population for e in candidates)
        span = doc[toponym.start:toponym.end]
        rows.append((span.start_char, span.end_char, candidates,
                     [candidate_features(e, form, largest, context) for e in candidates]))
    return rows


def _form(toponym: _Toponym, doc: Doc, index: GazetteerIndex, rules: PlaceRules,
          position: int = -1) -> ToponymForm:
    """Return how a toponym is written: its name, qualifier and whether an area word follows."""
    last = doc[toponym.end - 1].lower_
    area_word = last in rules.trailing_words and not toponym.key.endswith(last)
    return ToponymForm(toponym.key, frozenset(_qualifier(toponym, doc, index, rules)), area_word,
                       position)


def _lookup(words: list[Any], index: GazetteerIndex, rules: PlaceRules
            ) -> tuple[str, list[GazetteerEntry]]:
    """Return the name and candidates of a span, trying it without "the" and a place word."""
    while words and words[0].lower_ == "the":
        words = words[1:]
    tries = [words]
    if len(words) > 1 and words[-1].lower_ in rules.trailing_words:
        tries.append(words[:-1])
    if len(words) > 1 and words[-1].lower_ in ("'s", "’s"):
        tries.append(words[:-1])
    for attempt in tries:
        key = ascii_fold("".join(t.text_with_ws for t in attempt).strip())
        if key and key not in rules.stop_names:
            found = index.lookup(key)
            if found:
                return key, found
    return "", []


def _toponyms(article: Article, index: GazetteerIndex, rules: PlaceRules, people: PersonWords,
              spans: list[tuple[int, int] | None]) -> list[_Toponym]:
    """Return the toponym spans of an article's doc, in text order, without overlaps
    (``people``: the words that name its people; ``spans``: its mentions' tokens)."""
    doc, mentions, dateline = article.doc, article.mentions, article.dateline
    claimed: dict[int, Mention] = {}
    for mention, tokens in zip(mentions, spans, strict=True):
        for i in range(*tokens) if tokens is not None else ():
            claimed[i] = mention
    found: list[_Toponym] = []
    taken: set[int] = set()
    named = place_keys(doc, people)  # "Douma's fall" after "the city of Douma"

    def add(start: int, end: int, country: str | None = None, strict: bool = False,
            areas_only: bool = False, unknown: bool = False) -> None:
        if any(i in taken for i in range(start, end)):
            return
        end = end if country is not None else _longest_name(doc, start, end, taken, index, rules)
        span = doc[start:end]
        key, candidates = _lookup(list(span), index, rules)
        if not candidates and country is None and not unknown:
            return  # no place by that name: what follows only narrows the candidates
        after_preposition = after_locative_preposition(span, rules)
        if dateline_span != (start, end) and is_persons_name(
                span, people, after_preposition,
                any(own_name(e, key) and _notable(e, span.text, rules) for e in candidates)):
            return
        if country is not None:
            candidates = country_of_demonym(candidates, country, index, alone=start == 0 or
                                            doc[start - 1].pos_ != "PROPN")
        if strict:  # a name spaCy did not call a place: only places of that very name
            candidates = candidates if key in named or after_preposition else [
                e for e in candidates if own_name(e, key) and _notable(e, span.text, rules)]
        if areas_only:
            candidates = [e for e in candidates if e.feature in ("continent", "region")]
        if candidates or (unknown and _named_place(span, rules)):
            found.append(_Toponym(start, end, key, candidates, country,
                                  "city" if dateline_span == (start, end) else
                                  cued_kind(doc, start, rules)))
            taken.update(range(start, end))

    dateline_span = None
    if dateline is not None and dateline.place:  # "ERBIL, Kurdistan Region (Kurdistan24) -"
        at = article.text.lower().find(dateline.place.lower(), dateline.start, dateline.end)
        span = doc.char_span(at, at + len(dateline.place)) if at >= 0 else None
        if span is not None:
            dateline_span = (span.start, span.end)
            add(span.start, span.end)
    for ent in doc.ents:
        owner = claimed.get(ent.start)
        by_actor = owner is not None and owner.actor is not None and bool(owner.actor.code)
        if ent.label_ in rules.entity_labels and not (owner is not None
                                                      and owner.label == "PERSON"):
            # "US" in "US troops" is a place as well as an actor; a name the gazetteer does
            # not know ("Collier County") is still a place, without coordinates
            add(ent.start, ent.end, unknown=True)
        elif ent.label_ in rules.mislabelled and not by_actor:
            add(ent.start, ent.end, strict=True)  # "Tabqah" as PERSON, not "Keith"
        elif ent.label_ in rules.mislabelled:
            add(ent.start, ent.end, areas_only=True)  # "the EU": an actor and a place
        if ent.label_ in rules.embedding_labels:
            _add_embedded(ent, add, index, rules)  # "Washington" in "the Washington Post"
    for mention, tokens in zip(mentions, spans, strict=True):
        if mention.label == "COUNTRY" and mention.actor is not None and mention.actor.country \
                and tokens is not None:
            add(*tokens, mention.actor.country)
    for token in proper_nouns(doc):
        if _untagged(token, rules) and token.i not in claimed and \
                (token.is_title or token.is_upper) and token.i not in taken:
            add(token.i, token.i + 1, strict=True)
    found.sort(key=lambda t: t.start)
    return found


def _longest_name(doc: Doc, start: int, end: int, taken: set[int], index: GazetteerIndex,
                  rules: PlaceRules) -> int:
    """Return the end of the longest name of at most five tokens from ``start`` the gazetteer
    knows that goes on after ``end`` with untaken name parts ("Deir" + "ez-Zor"), else ``end``."""
    parts = 0  # proper nouns, hyphens, particles go on
    for i in range(end, min(start + 5, len(doc))):
        token = doc[i]
        if token.pos_ != "PROPN" and token.text not in ("-", "'", "’") and \
                token.lower_ not in rules.name_particles:
            break
        parts += 1
    return next((longer for longer in range(end + parts, end, -1)
                 if not any(i in taken for i in range(end, longer))
                 and _lookup(list(doc[start:longer]), index, rules)[1]), end)


def _untagged(token: Token, rules: PlaceRules) -> bool:
    """True for a token without an entity label, or with one of a number or date that a proper
    noun cannot have ("in Manbij" read as a DATE)."""
    return not token.ent_type_ or token.ent_type_ in rules.misread


def _telling(entry: GazetteerEntry, rules: PlaceRules) -> bool:
    """True for a place that says which country an article is about: a country, an area or a
    city of ``min_bare_population``."""
    return entry.feature in ("country", "admin1") or entry.population >= rules.min_bare_population


def _named_place(span: Span, rules: PlaceRules) -> bool:
    """True for an entity spaCy calls a place that reads like a proper name of one."""
    words = [t for t in span if t.lower_ != "the"]
    return bool(words) and words[0].text[:1].isupper() and \
        ascii_fold(" ".join(t.text for t in words)) not in rules.stop_names


def _notable(entry: GazetteerEntry, text: str, rules: PlaceRules) -> bool:
    """True for a place worth taking from a name spaCy did not call a place: a country, area or
    region, a city of ``min_bare_population`` (any city for a name of several words: "Klamath
    Falls"), or one of our aliases; never a short acronym ("EIB"; "BEIRUT" in a dateline is)."""
    if entry.feature in ("country", "continent", "region"):
        return True
    if acronym(text):
        return False
    return entry.feature in ("admin1", "locality") or entry.population == 0 or \
        entry.population >= rules.min_bare_population or len(text.split()) > 1


def _add_embedded(ent: Span, add: Any, index: GazetteerIndex, rules: PlaceRules) -> None:
    """Add the notable places named inside an organisation's name, longest first."""
    tokens = list(ent)
    position = 0
    while position < len(tokens):
        for length in range(min(4, len(tokens) - position), 0, -1):
            words = tokens[position:position + length]
            if not all(t.pos_ == "PROPN" for t in words):
                continue
            key, candidates = _lookup(words, index, rules)
            text = " ".join(t.text for t in words)
            if any(_notable(e, text, rules) and own_name(e, key) for e in candidates):
                add(words[0].i, words[-1].i + 1, strict=True)
                position += length - 1
                break
        position += 1


def _qualifier(toponym: _Toponym, doc: Doc, index: GazetteerIndex,
               rules: PlaceRules) -> set[str]:
    """Return the names of the area or country written after a toponym: "Paris, Texas"."""
    if toponym.end + 1 >= len(doc) or doc[toponym.end].text != ",":
        return set()
    following = doc[toponym.end + 1]
    words = _entity_at(doc, following.i) or [following]
    _, candidates = _lookup(words, index, rules)
    return {ascii_fold(e.name) for e in candidates} | {e.country for e in candidates
                                                        if e.feature == "country"}


def _entity_at(doc: Doc, start: int) -> list[Any]:
    """Return the tokens of the entity of ``doc.ents`` that starts at token ``start`` (empty:
    none), read from the tokens' IOB tags as ``doc.ents`` is, without building all of them."""
    if doc[start].ent_iob_ != "B" or not doc[start].ent_type:
        return []
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return list(doc[start:end])
