"""One name, one sense within an article (``stages/place_discourse.py``), and the other classes
of toponyms the places stage finds or places by what the article writes around them (issue 13):
names in lists, a place written after an unknown one, the dateline's area, towns heading an
organisation's name."""

from __future__ import annotations

import pytest

from whodid import Article, Pipeline

from .conftest import code_text


def places_named(pipeline: Pipeline, text: str, toponym: str) -> list[tuple[str | None, ...]]:
    article: Article = code_text(pipeline, text, "2019-10-20")
    return [(p.name, p.admin1, p.country, p.feature) for p in article.places
            if p.text == toponym]


@pytest.mark.parametrize(("text", "name"), [
    ("Where reigning champion Ashley Sutton will be out to defend his title. Few predicted "
     "Sutton would storm to the title.", "Sutton"),
    ("Colin Turkington and Andrew Jordan have both won the championship. Jordan said the car "
     "was quick.", "Jordan"),
    ("Nine customers have accused Mr. Heiden of fraud, and claims involving Mr. Heiden were "
     "settled.", "Heiden"),
])
def test_a_persons_surname_is_the_person_not_a_town(pipeline: Pipeline, text: str,
                                                    name: str) -> None:
    assert places_named(pipeline, text, name) == []


def test_a_surname_spacy_calls_a_notable_place_stays_a_place(pipeline: Pipeline) -> None:
    text = ("Letters: Joe McCarthy Dublin, Ireland. Protesters marched through Dublin on Monday, "
            "and Dublin was quiet by night.")  # a signature does not unmake the city
    assert len(places_named(pipeline, text, "Dublin")) == 2


def test_a_persons_surname_after_in_is_still_a_town(pipeline: Pipeline) -> None:
    text = "Councillor Dewly Nelson spoke at a public meeting in Nelson on Friday."
    assert places_named(pipeline, text, "Nelson")


@pytest.mark.parametrize(("text", "name", "count"), [
    # twice a place, once a "person": three times the town
    ("Troops shelled the town of Zabadani. Residents fled from Zabadani to the hills. "
     "Zabadani's last doctor left on Friday.", "Zabadani", 3),
    ("Protesters gathered in Aleppo on Friday. Rebels in Aleppo said Aleppo's old city was "
     "shelled.", "Aleppo", 3),
    ("Fighting continued in Manbij and Jarablus on Sunday.", "Jarablus", 1),
])
def test_a_name_the_article_reads_as_a_place_is_one_everywhere(pipeline: Pipeline, text: str,
                                                               name: str, count: int) -> None:
    found = places_named(pipeline, text, name)
    assert len(found) == count and all(p[2] == "SYR" for p in found), found


@pytest.mark.parametrize(("text", "name", "country"), [
    # spaCy reads "Manbij" as a DATE here
    ("The soldier was embedded with US Special Forces in Manbij near the Turkish border.",
     "Manbij", "SYR"),
    # names listed after "in": every one a town, whatever spaCy calls it
    ("The retail chain sold its stores in Zilina, Nitra, Presov and Kosice last year.",
     "Nitra", "SVK"),
    ("Flooding damaged homes in Gloucester, Tewkesbury and Cheltenham overnight.",
     "Cheltenham", "GBR"),
    # a town's alternate name after "in" (Echmiadzin is Vagharshapat)
    ("The second statue will be installed in Echmiadzin, the spiritual center of all "
     "Armenians.", "Echmiadzin", "ARM"),
])
def test_towns_after_in_are_found_however_spacy_reads_them(pipeline: Pipeline, text: str,
                                                          name: str, country: str) -> None:
    found = places_named(pipeline, text, name)
    assert found and found[0][2] == country, found


@pytest.mark.parametrize(("text", "code", "area"), [
    ("The new FrontCounter BC office in Kamloops, British Columbia, opened on Monday.", "BC",
     "British Columbia"),
    ("Rangers from NSW National Parks patrolled the beaches of Newcastle, New South Wales, on "
     "Sunday.", "NSW", "New South Wales"),
    ("A homeless man sleeps on a bench in Myrtle Beach, South Carolina. HORRY COUNTY, SC police "
     "said he would be moved.", "SC", "South Carolina"),
])
def test_an_all_caps_code_of_an_area_the_article_names_is_that_area(pipeline: Pipeline,
                                                                   text: str, code: str,
                                                                   area: str) -> None:
    assert places_named(pipeline, text, code) == [(area, area, places_named(
        pipeline, text, area)[0][2], "admin1")]


@pytest.mark.parametrize(("text", "code"), [
    ("The sale runs from 7 a.m. CT until midnight on Sunday in Birmingham, Alabama.", "CT"),
    ("The printer was bought by Cimpress NV of Venlo in 2014.", "NV"),
    ("Senator Marco Rubio (R-FL) spoke in Immokalee on Monday.", "MD"),
])
def test_an_all_caps_code_of_an_area_the_article_does_not_name_is_no_place(
        pipeline: Pipeline, text: str, code: str) -> None:
    assert places_named(pipeline, text, code) == []


@pytest.mark.parametrize(("text", "toponym", "name"), [
    # the article's most named town is elsewhere: the place written after the name decides
    ("The pianist, who studies in London and lives in London, made his debut at the Convention "
     "Centre, Dublin, with a lunchtime concert.", "the Convention Centre", "Dublin"),
    ("Judges in London heard the case in London on Monday, while protesters marched down Lime "
     "Street, Liverpool.", "Lime Street", "Liverpool"),
    ("The pianist studies in London and plays in London, and he runs a studio at the family "
     "home at Rathbeggan, near Dunshaughlin.", "Rathbeggan", "Dunshaughlin"),
])
def test_an_unknown_place_lies_at_the_place_written_after_it(pipeline: Pipeline, text: str,
                                                             toponym: str, name: str) -> None:
    assert [(p[0], p[3]) for p in places_named(pipeline, text, toponym)] == [(name, "near")]


@pytest.mark.parametrize(("text", "toponym", "feature"), [
    ("CAMP MURRAY, Wash. - The team's primary focus has been at home in Washington, the "
     "colonel said.", "Washington", "admin1"),
    ("SEATTLE - Farmers across Washington lost much of their apple crop to the early frost.",
     "Washington", "admin1"),
    ("ALBANY, N.Y. - Lawmakers in New York passed the state budget on Sunday.", "New York",
     "admin1"),
    # the dateline's own place, and a country, keep their sense
    ("NEW YORK (AP) - Rents in New York rose again in March, brokers said.", "New York",
     "city"),
    ("MEXICO CITY (AP) - Mexico's president said on Monday that the wall would never be paid "
     "for.", "Mexico", "country"),
])
def test_the_datelines_area_is_the_sense_of_its_name(pipeline: Pipeline, text: str,
                                                     toponym: str, feature: str) -> None:
    found = places_named(pipeline, text, toponym)
    assert found and found[0][3] == feature, found


@pytest.mark.parametrize(("text", "toponym", "admin1"), [
    ("The Bellmore Fire Department answered a call on Long Island, New York, on Monday.",
     "Bellmore", "New York"),
    ("Superintendents for Owensboro Public Schools said the Kentucky budget gave them more "
     "money for buses in Daviess County, Kentucky.", "Owensboro", "Kentucky"),
    ("The Slidell Police Department said on Monday that a boy drowned in a pool east of New "
     "Orleans, Louisiana.", "Slidell", "Louisiana"),
])
def test_a_town_of_the_articles_area_heading_an_organisations_name_is_a_place(
        pipeline: Pipeline, text: str, toponym: str, admin1: str) -> None:
    found = places_named(pipeline, text, toponym)
    assert found and found[0][1] == admin1, found


def test_the_person_holding_a_span_is_the_person_entity_spacy_lists(pipeline: Pipeline) -> None:
    """Read from the tokens' IOB tags (not every entity built for every span): for every span
    of up to three words, the same entity as a search of ``doc.ents``."""
    from whodid.stages.place_discourse import _person_holding

    doc = pipeline.resources.nlp("Colin Turkington and Andrew Jordan met Mr. Heiden in Jordan "
                                 "on Friday. Benjamin Matthew Williams said Ashley Sutton won.")
    for start in range(len(doc)):
        for end in range(start + 1, min(start + 4, len(doc) + 1)):
            expected = next(((e.start, e.end) for e in doc.ents if e.label_ == "PERSON"
                             and e.start <= start and end <= e.end), None)
            found = _person_holding(doc[start:end])
            assert (found and (found.start, found.end)) == expected, doc[start:end]
