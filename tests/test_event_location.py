"""Where each event happened: the place its trigger governs, else a locative place of its own
clause, else the dateline's, else the article's focus; never an actor's home or a place of an
unrelated clause. And how `whodid evaluate` scores event locations against gold ``where``."""

from __future__ import annotations

import pytest

from whodid import Pipeline
from whodid.evaluate.events import GoldDocument
from whodid.evaluate.locations import gold_location, score_locations
from whodid.knowledge.gazetteer import load_index

from .conftest import code_text


def located(pipeline: Pipeline, text: str, trigger: str) -> tuple[str | None, str | None]:
    article = code_text(pipeline, text, "2019-10-20")
    found = [e for e in article.events if e.trigger == trigger]
    assert found, [(e.trigger, e.cameo) for e in article.events]
    location = found[0].location
    return (location.name, location.country) if location is not None else (None, None)


@pytest.mark.parametrize(("text", "trigger", "name"), [
    # a locative phrase of the trigger or of its object, through "of"
    ("Turkish troops shelled villages near Afrin on Monday.", "shelled", "‘Afrīn"),
    ("Government forces clashed with rebels in the north of Idlib province on Tuesday.",
     "clashed", "Idlib"),
    ("Police fired tear gas at demonstrators in the northern city of Kirkuk on Friday.",
     "fired", "Kirkuk"),
    # the trigger's object
    ("Rebels shelled Aleppo on Friday, state media said.", "shelled", "Aleppo"),
    ("Israeli jets bombed the town of Rafah overnight.", "bombed", "Rafaḩ"),
    # a name the gazetteer lacks, at the place it names
    ("Guerrillas have retaken a border town in Northern Cambodia, Thai officials said.",
     "retaken", "Cambodia"),
    # the verb the trigger's clause hangs on
    ("Iraqi officials met Iranian diplomats in Baghdad to discuss the border.", "met",
     "Baghdad"),
])
def test_an_event_is_where_its_trigger_says(pipeline: Pipeline, text: str, trigger: str,
                                            name: str) -> None:
    assert located(pipeline, text, trigger)[0] == name


@pytest.mark.parametrize(("text", "trigger", "country"), [
    ("Fighters from Turkey's Hatay province attacked Kurdish positions in Tall Rifat on "
     "Monday.", "attacked", "SYR"),
    ("The Egyptian foreign minister met his Jordanian counterpart in Amman on Sunday.", "met",
     "JOR"),
    ("A US drone killed three militants in Yemen's Marib province, officials said.", "killed",
     "YEM"),
])
def test_an_actors_home_is_not_the_events_place(pipeline: Pipeline, text: str, trigger: str,
                                                country: str) -> None:
    assert located(pipeline, text, trigger)[1] == country


def test_an_affiliation_alone_leaves_the_event_unlocated(pipeline: Pipeline) -> None:
    text = "Yemeni officials said a US drone strike killed four suspected militants on Sunday."
    assert located(pipeline, text, "killed") == (None, None)


@pytest.mark.parametrize(("text", "trigger", "name"), [
    # a place in a relative clause is another event's: the dateline decides
    ("KIRKUK, Iraq (Reuters) - Gunmen attacked a convoy of soldiers who had returned from "
     "Mosul.", "attacked", "Kirkuk"),
    # examples in a list are not where the attack was
    ("Rebels, who hold towns such as Saraqib and Taftanaz, attacked an army post in Hama.",
     "attacked", "Ḩamāh"),
    # the reporting clause's place is not the arrest's
    ("Police arrested 12 people after riots in Lyon, the French interior ministry said in "
     "Paris.", "arrested", "Lyon"),
])
def test_a_place_of_another_clause_is_not_the_events(pipeline: Pipeline, text: str,
                                                     trigger: str, name: str) -> None:
    assert located(pipeline, text, trigger)[0] == name


@pytest.mark.parametrize(("text", "trigger", "name"), [
    ("Speaking hours after a three-way summit in Tehran at which the Turkish president pleaded "
     "with Russia and Iran to halt the offensive, officials said.", "pleaded", "Tehran"),
    ("Residents fled Afrin, where Turkish troops clashed with Kurdish fighters on Sunday.",
     "clashed", "‘Afrīn"),
])
def test_a_where_clause_is_at_the_place_of_its_noun(pipeline: Pipeline, text: str,
                                                    trigger: str, name: str) -> None:
    assert located(pipeline, text, trigger)[0] == name


def test_an_event_without_a_place_takes_the_articles_focus(pipeline: Pipeline) -> None:
    text = ("Protesters clashed with police in Mosul on Friday. The governor of Nineveh called "
            "for calm. Later, gunmen attacked a checkpoint, killing two soldiers. Residents of "
            "Mosul said the city was tense.")
    assert located(pipeline, text, "attacked") == ("Mosul", "IRQ")


def test_event_locations_are_scored_by_country_and_distance() -> None:
    index = load_index()
    gold = [GoldDocument("d", None, None, [
        {"cameo": ["19"], "plover": "ASSAULT", "source": None, "target": None,
         "where": {"name": "Aleppo", "country": "SYR", "lat": 36.2, "lon": 37.16}},
        {"cameo": ["14"], "plover": "PROTEST", "source": None, "target": None,
         "where": {"name": "the town of Rafah", "country": None}},
        {"cameo": ["04"], "plover": "CONSULT", "source": None, "target": None,
         "where": {"name": "Geneva", "country": "CHE"}}])]
    predicted = {"d": {"events": [
        {"cameo": "190", "plover": "ASSAULT", "location": {"lat": 36.21, "lon": 37.15,
                                                           "country": "SYR"}},
        {"cameo": "141", "plover": "PROTEST", "location": {"lat": 31.0, "lon": 31.0,
                                                           "country": "EGY"}},
        {"cameo": "040", "plover": "CONSULT", "location": None}]}}
    figures = score_locations(gold, predicted, index).figures()
    assert figures["location_events"] == 3 and figures["location_found"] == 3
    assert figures["location_161km_accuracy"] == round(1 / 3, 4)
    assert figures["location_country_accuracy"] == round(1 / 3, 4)
    assert gold_location({"name": "the town of Rafah"}, index).country == "PSE"


@pytest.mark.parametrize(("text", "trigger", "country"), [
    ("Fighting continued in Syria on Friday. Families fled in Syria's east overnight. Charles "
     "Lister, an analyst at an institute in Washington, said the group was weakened. Later, "
     "gunmen attacked a checkpoint, killing two soldiers.", "attacked", "SYR"),
    ("Aid workers were stranded in Yemen this week. Hunger spread in Yemen and aid stalled in "
     "Yemen's ports. A doctor who lives in Oxford said children were starving. On Tuesday, "
     "rebels attacked a convoy.", "attacked", "YEM"),
    ("Protests spread in Iraq on Sunday. Dozens marched in Iraq's south, a lawyer in Paris "
     "said. Later, police arrested two activists.", "arrested", "IRQ"),
])
def test_a_town_named_once_abroad_is_not_the_articles_focus(pipeline: Pipeline, text: str,
                                                             trigger: str, country: str) -> None:
    assert located(pipeline, text, trigger)[1] == country


def test_of_equally_named_towns_the_focus_lies_in_the_leading_country(
        pipeline: Pipeline) -> None:
    text = ("Militants were held in Mosul and later in Raqqa. Strikes hit targets in Syria, "
            "officials in Syria said. Families returned to Mosul and to Raqqa. Later, gunmen "
            "attacked a checkpoint.")
    assert located(pipeline, text, "attacked") == ("Ar Raqqah", "SYR")


@pytest.mark.parametrize(("text", "trigger", "name"), [
    # a gerund after "for", "after", ... is another action, with a place of its own
    ("Police in France detained two men. On Friday, a court jailed a man for fighting in Iraq.",
     "jailed", "France"),
    ("A court in Berlin jailed an activist for protesting in Munich.", "jailed", "Berlin"),
    ("Police in Kenya held a man on Monday. Officers arrested a student on Friday after "
     "studying in Khartoum.", "arrested", "Kenya"),
    # a capital naming the meeting ("the Vienna talks") is its place, not a government
    ("The Vienna talks were marked by anger from the regime over proposals from France.",
     "talks", "Vienna"),
    ("The Ankara talks were marked by anger over proposals from Britain.", "talks", "Ankara"),
])
def test_a_place_of_another_action_or_of_the_meetings_name(pipeline: Pipeline, text: str,
                                                           trigger: str, name: str) -> None:
    assert located(pipeline, text, trigger)[0] == name


@pytest.mark.parametrize(("text", "trigger", "country"), [
    # the country owning an event noun is its actor, not its place
    ("His troops had played a key role in Turkey's assault on the Kurdish enclave of Afrin in "
     "northern Syria.", "assault", "SYR"),
    ("The brigade took part in Russia's assault on the rebel-held city of Idlib.", "assault",
     "SYR"),
    ("Militias joined Iran's attack on the town of Kirkuk in northern Iraq.", "attack", "IRQ"),
    ("Iran's attack on the tanker near the port of Fujairah was condemned.", "attack", "ARE"),
])
def test_a_country_owning_the_event_noun_is_not_its_place(pipeline: Pipeline, text: str,
                                                          trigger: str, country: str) -> None:
    assert located(pipeline, text, trigger)[1] == country
