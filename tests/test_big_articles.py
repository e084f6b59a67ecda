"""Big articles: cost linear in length. Reproduced (issue 16): a 990 kB text took 241 s and
3.4 GB, a 1 MB one 661 s and 3.3 GB on a busy machine (places 526 s, actors 69 s): the
nearest-place feature compared every toponym with every other, short forms scanned every
candidate, spaCy held the whole text at once. Each fix must answer exactly as the scan did.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from whodid import Pipeline
from whodid.knowledge.gazetteer import GazetteerEntry
from whodid.knowledge.gazetteer.ranker import PlaceContext, proximity
from whodid.knowledge.kb import Entity
from whodid.model import Actor, Mention
from whodid.stages.actors.met import OrganisationsMet, PeopleMet
from whodid.stages.actors.spans import Candidate
from whodid.stages.parse import parse_in_pieces, text_pieces

# -- parse ------------------------------------------------------------------------------------


@given(st.text(alphabet="ab .\n", max_size=300), st.integers(min_value=1, max_value=40))
def test_text_pieces_join_back_into_the_text_and_none_is_over_the_size(text: str,
                                                                       size: int) -> None:
    pieces = text_pieces(text, size)
    assert "".join(pieces) == text
    assert all(len(piece) <= size for piece in pieces)


def test_a_piece_ends_after_a_paragraph_else_a_full_stop_else_a_space() -> None:
    assert text_pieces("One two three.\n\nFour five six. Seven eight", 18) == [
        "One two three.\n\n", "Four five six. ", "Seven eight"]
    assert text_pieces("Alpha beta. Gamma delta epsilon", 18) == ["Alpha beta. ", "Gamma delta ",
                                                                  "epsilon"]


def test_a_text_parsed_in_pieces_is_one_doc_of_the_whole_text(pipeline: Pipeline) -> None:
    text = ("Iraqi forces attacked Mosul on Monday.\n\nThe Kurdish leader Masoud Barzani met "
            "Turkish officials in Ankara. He said talks would go on.\n\n") * 4
    doc = parse_in_pieces(text, pipeline.resources.nlp, size=120)
    whole = pipeline.resources.nlp(text)
    assert doc.text == text
    assert [t.text for t in doc] == [t.text for t in whole]
    assert [(e.text, e.start_char, e.label_) for e in doc.ents] == [
        (e.text, e.start_char, e.label_) for e in whole.ents]
    assert [s.text for s in doc.sents] == [s.text for s in whole.sents]


# -- actors: short forms looked up, not scanned -------------------------------------------------

def organisation(name: str, *aliases: str, kind: str = "organisation") -> Entity:
    return Entity(id=name.lower(), name=name, kind=kind, code="IGO", aliases=aliases)


SDF = organisation("Syrian Democratic Forces", "SDF")
COALITION = organisation("Global Coalition", "Coalition forces")
KURDISTAN = organisation("Kurdistan Region", kind="region")


def organisations_met(named: list[tuple[str, Entity]]) -> OrganisationsMet:
    """Return the index of candidates naming ``named`` (text, entity), one token each."""
    candidates = [Candidate(i, i + 1, "ORG", entities=[entity])
                  for i, (_, entity) in enumerate(named)]
    texts = {id(c): text for c, (text, _) in zip(candidates, named, strict=True)}
    return OrganisationsMet(candidates, lambda c: texts[id(c)], acronym_min_length=3)


def test_an_acronym_one_letter_or_one_swap_away_is_the_organisation_met() -> None:
    met = organisations_met([("SDF", SDF), ("Coalition", COALITION)])
    assert met.by_word("SDF") is SDF
    assert met.by_word("SFD") is SDF  # two letters swapped
    assert met.by_word("SDG") is SDF  # one letter wrong
    assert met.by_word("FDS") is None  # two changes
    assert met.by_word("SDFF") is None  # another length
    assert met.by_word("SD") is None  # too short to be an acronym


def test_the_last_word_of_a_multi_word_name_is_the_organisation_met() -> None:
    met = organisations_met([("SDF", SDF), ("Coalition", COALITION), ("Kurdistan", KURDISTAN)])
    assert met.by_word("Coalition") is COALITION
    assert met.by_word("Forces") is SDF  # "Syrian Democratic Forces"
    assert met.by_word("Region") is KURDISTAN
    assert met.by_word("forces") is None  # not capitalised
    assert met.by_word("Sdf") is None  # a one-word alias is no last word


def test_the_first_organisation_met_wins_among_equals() -> None:
    other = organisation("Sudan Defence Force", "SDF")
    assert organisations_met([("SDF", other), ("SDF", SDF)]).by_word("SFD") is other
    assert organisations_met([("SDF", SDF), ("SDF", other)]).by_word("SDG") is SDF


def person(start: int, name: str, resolved_by: str = "kb") -> Candidate:
    """Return a resolved two-token PERSON candidate at token ``start``."""
    mention = Mention(name, start * 10, start * 10 + len(name), "PERSON",
                      actor=Actor(name=name, code="IRQGOV"), resolved_by=resolved_by)
    return Candidate(start, start + 2, "PERSON", mention=mention)


def people_met(*candidates: Candidate) -> PeopleMet:
    met = PeopleMet(surname_similarity=80, fuzzy_min_length=5)
    for candidate in candidates:
        assert candidate.mention is not None
        met.add(candidate, candidate.mention.text.split()[-1])
    return met


def test_a_surname_is_the_nearest_full_name_before_it_else_after_it() -> None:
    first, second, third = person(10, "Masoud Barzani"), person(50, "Nechirvan Barzani"), \
        person(90, "Haider Abadi")
    met = people_met(first, second, third)
    assert met.by_surname("Barzani", 40) is first.mention
    assert met.by_surname("Barzani", 70) is second.mention
    assert met.by_surname("Barzani", 5) is first.mention  # none before: the nearest after
    assert met.by_surname("Abadi", 95) is third.mention
    assert met.by_surname("Erdogan", 95) is None


def test_an_exact_surname_before_wins_over_a_misspelt_one_nearer() -> None:
    exact, near = person(10, "Masoud Barzani"), person(50, "Masoud Barzanni")
    met = people_met(exact, near)
    assert met.by_surname("Barzani", 60) is exact.mention
    assert met.by_surname("Barzano", 60) is near.mention  # both near: the nearest


def test_a_misspelt_full_name_is_the_first_known_one_it_resembles() -> None:
    known = person(10, "Myles Caggins")
    met = people_met(known, person(30, "Myles Cagginz", resolved_by=""))
    assert met.same_full_name(["Myles", "Cagginz"], 50) is known.mention
    assert met.same_full_name(["Myles", "Caggins"], 50) is None  # the same name misspells nothing
    assert met.same_full_name(["Myles"], 50) is None
    assert met.same_full_name(["Miles", "Abady"], 50) is None
    later = person(40, "Myles Abadi")
    met.add(later, "Abadi")  # met after the first question: the answer changes
    assert met.same_full_name(["Miles", "Abady"], 50) is later.mention
    assert met.same_full_name(["Miles", "Cagins"], 50) is known.mention


def test_a_full_name_is_the_longer_known_one_it_ends_when_that_came_first() -> None:
    known = person(10, "Clive Stafford Smith")
    met = people_met(known)
    assert met.same_full_name(["Stafford", "Smith"], 30) is known.mention
    assert met.same_full_name(["Stafford", "Smith"], 5) is None  # named before the full name
    assert met.same_full_name(["Clive", "Stafford"], 30) is None  # a beginning, not an end


# -- places: the nearest point among distinct points ---------------------------------------------

POINTS = st.tuples(st.sampled_from([0.0, 1.0, 33.3, -45.5]), st.sampled_from([0.0, 2.0, 44.4]))


@settings(max_examples=200)
@given(st.lists(POINTS, max_size=8), st.lists(POINTS, min_size=1, max_size=4),
       st.integers(min_value=-1, max_value=8))
def test_proximity_to_the_other_toponyms_is_that_of_the_nearest_one(
        points: list[tuple[float, float]], places: list[tuple[float, float]],
        excluded: int) -> None:
    context = PlaceContext(points=dict(enumerate(points)))
    for lat, lon in places:
        entry = GazetteerEntry(None, "X", "IRQ", None, lat, lon, 0, "city")
        others = [p for k, p in context.points.items() if k != excluded]
        assert context.proximity(entry, excluded) == proximity(entry, others)
        assert not math.isnan(context.proximity(entry))
