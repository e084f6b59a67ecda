"""The places stage: toponyms resolved with coordinates, homonyms by context, event locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whodid import Article, Options, Pipeline, read_inputs
from whodid.evaluate.places import distance_km

from .conftest import SHARED, code_text


def place_of(article: Article, text: str) -> tuple[str | None, str | None]:
    found = [p for p in article.places if p.text == text]
    assert found, (text, [p.text for p in article.places])
    return found[0].country, found[0].feature


@pytest.mark.parametrize(("text", "toponym", "country"), [
    ("Paris, Texas, is a small city in Lamar County.", "Paris", "USA"),
    ("French police arrested two men in Paris on Monday, the interior ministry said.", "Paris",
     "FRA"),
    ("Libyan government forces shelled positions around Tripoli as the GNA fought Haftar's "
     "troops outside Misrata.", "Tripoli", "LBY"),
    ("The Lebanese army deployed in Tripoli after clashes in the northern city between "
     "residents of Bab al-Tabbaneh and Jabal Mohsen near Beirut.", "Tripoli", "LBN"),
    ("The SDF said Turkish shelling hit Derik, a town in Hasakah province near Qamishli.",
     "Derik", "SYR"),
    ("Turkish police detained 12 people in Derik, a district of Mardin province near Diyarbakir.",
     "Derik", "TUR"),
])
def test_homonyms_are_decided_by_context(pipeline: Pipeline, text: str, toponym: str,
                                         country: str) -> None:
    article = code_text(pipeline, text, "2019-10-20")
    assert place_of(article, toponym)[0] == country


def test_places_carry_coordinates_ids_and_features(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Iraqi forces entered Mosul, the capital of Nineveh province, "
                        "while Turkey watched.", "2016-11-01")
    mosul = next(p for p in article.places if p.text == "Mosul")
    assert (mosul.country, mosul.feature) == ("IRQ", "city") and mosul.geonameid
    assert mosul.lat is not None and mosul.lon is not None
    assert distance_km(mosul.lat, mosul.lon, 36.34, 43.13) < 25
    assert place_of(article, "Turkey") == ("TUR", "country")


def test_seed_places_are_within_25_km_of_the_gold(pipeline: Pipeline, seed_paths: list[Path],
                                                  options: Options) -> None:
    gold = {json.loads(line)["doc"].removesuffix(".txt"): json.loads(line) for line in
            (SHARED / "gold" / "seeds.jsonl").read_text("utf-8").splitlines() if line.strip()}
    coded = [a for a in pipeline(list(read_inputs([str(p) for p in seed_paths], options)))
             if isinstance(a, Article)]
    for article in coded:
        for expected in gold[article.id]["places"]:
            wanted = expected["mention"].lower()  # the dateline writes "ERBIL"
            found = [p for p in article.places if p.text.lower() == wanted] or [
                p for p in article.places if wanted in p.text.lower()]
            assert found, (article.id, expected["mention"], [p.text for p in article.places])
            place = found[0]
            assert place.country == expected["country"], (expected, place)
            assert place.lat is not None and place.lon is not None
            assert distance_km(place.lat, place.lon, expected["lat"], expected["lon"]) <= 25, (
                expected, place)


def test_seed_events_are_located_where_the_gold_says(pipeline: Pipeline, seed_paths: list[Path],
                                                     options: Options) -> None:
    coded = {a.id[:3]: a for a in pipeline(list(read_inputs([str(p) for p in seed_paths],
                                                            options))) if isinstance(a, Article)}
    met = [e for e in coded["001"].events if e.trigger == "met"]
    assert len(met) == 2 and all(e.location and e.location.name == "Munich" for e in met)
    syria = {e.trigger: e.location.country for e in coded["002"].events
             if e.trigger in ("moved", "bust") and e.location is not None}
    assert syria == {"moved": "SYR", "bust": "SYR"}


def test_an_event_without_a_place_in_its_sentence_takes_the_dateline(pipeline: Pipeline) -> None:
    text = ("BEIRUT, Lebanon (Reuters) - Hezbollah fighters attacked an Israeli patrol on Tuesday, "
            "the group said.")
    article = code_text(pipeline, text, "2019-09-01")
    assert article.events and all(e.location is not None and e.location.country == "LBN"
                                  for e in article.events)


@pytest.mark.parametrize(("text", "toponym", "name", "feature"), [
    ("Lawmakers in Frankfort, Ky., met farmers from Otter Tail County and Minnesota.", "Ky.",
     "Kentucky", "admin1"),
    ("Lawmakers in Frankfort, Ky., and Phoenix, Ariz., met officials from Otter Tail County and "
     "Minnesota.", "Otter Tail County", "Otter Tail County", "admin2"),
    ("Lawmakers in Frankfort, Ky., met farmers from Otter Tail County and Minnesota.",
     "Minnesota", "Minnesota", "admin1"),     # not the village of Minneota
    ("Rain fell across England and Wales on Sunday.", "England", "England", "admin1"),
])
def test_counties_abbreviations_and_states_are_resolved(pipeline: Pipeline, text: str,
                                                        toponym: str, name: str,
                                                        feature: str) -> None:
    article = code_text(pipeline, text, "2019-10-20")
    found = [p for p in article.places if p.text == toponym]
    assert found and (found[0].name, found[0].feature) == (name, feature), article.places


def test_a_name_the_gazetteer_lacks_is_placed_at_the_place_it_names(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Border agents patrolled the Tijuana River on Sunday.",
                        "2019-10-20")
    river = [p for p in article.places if "Tijuana" in p.text]
    assert river and river[0].feature == "near" and river[0].geonameid is None, article.places
    assert river[0].lat is not None and river[0].lon is not None
    assert distance_km(river[0].lat, river[0].lon, 32.53, -117.02) < 50


def test_the_strict_rule_counts_unresolved_toponyms_as_misses() -> None:
    from whodid.evaluate.places import PlaceGold, score_places
    from whodid.knowledge.gazetteer import load_index

    text = "From Paris to Nowhereville."
    gold = [PlaceGold("d", text, None, [
        {"start": 5, "end": 10, "text": "Paris", "lat": 48.85, "lon": 2.35},
        {"start": 14, "end": 26, "text": "Nowhereville", "lat": 10.0, "lon": 10.0}], [])]
    predicted = {"d": [{"start": 5, "end": 10, "lat": 48.86, "lon": 2.34, "country": "FRA"},
                       {"start": 14, "end": 26, "lat": None, "lon": None}]}
    figures = score_places(gold, predicted, load_index()).figures()
    assert (figures["acc_161km"], figures["acc_161km_lenient"]) == (0.5, 1.0)
    assert figures["errors_unresolved"] == 1 and figures["errors_not_found"] == 0


def resolved(pipeline: Pipeline, text: str, toponym: str) -> tuple[str | None, str | None,
                                                                  str | None]:
    article = code_text(pipeline, text, "2019-10-20")
    found = [p for p in article.places if p.text == toponym]
    assert found, (toponym, [p.text for p in article.places])
    return found[0].country, found[0].admin1, found[0].feature


@pytest.mark.parametrize(("text", "toponym", "admin1"), [
    # towns that share one state decide it together
    ("Lawmakers met in Springfield on Monday. Mayors from Decatur and Peoria asked for more "
     "money for roads.", "Springfield", "Illinois"),
    ("SPRINGFIELD — Lawmakers met on Monday. Mayors from Decatur and Peoria asked for more "
     "money for roads.", "SPRINGFIELD", "Illinois"),
    # the area written after a dateline's place
    ("ALEXANDRIA, La. — The city council met on Tuesday. Officials from Pineville said the "
     "levee would be finished in May.", "ALEXANDRIA", "Louisiana"),
    ("Flooding closed schools in Alexandria and Pineville on Monday, and the Red River was "
     "expected to crest in Shreveport on Wednesday.", "Alexandria", "Louisiana"),
])
def test_the_article_decides_among_namesake_towns(pipeline: Pipeline, text: str, toponym: str,
                                                  admin1: str) -> None:
    assert resolved(pipeline, text, toponym)[1] == admin1


@pytest.mark.parametrize(("text", "toponym", "feature"), [
    ("WASHINGTON (AP) — The Senate voted on Tuesday to extend the program.", "WASHINGTON",
     "city"),                                                 # a dateline names a city
    ("Farmers in upstate New York lost much of their crop.", "New York", "admin1"),
    ("The governor of Washington signed the bill on Friday.", "Washington", "admin1"),
    ("Tech firms are leaving western states such as California or Washington for cheaper "
     "places.", "Washington", "admin1"),                      # listed with a state
    ("The mayor of New York met bankers on Wall Street.", "New York", "city"),
])
def test_words_around_a_name_tell_a_state_from_its_city(pipeline: Pipeline, text: str,
                                                        toponym: str, feature: str) -> None:
    assert resolved(pipeline, text, toponym)[2] == feature


@pytest.mark.parametrize(("text", "toponym", "country"), [
    # a name without its Arabic article is the town's own name
    ("Nureddine Mehmud says Turkey fired on Qamishli and other towns along the border.",
     "Qamishli", "SYR"),
    # a town of any size after "in" or "near", whatever spaCy calls it
    ("Police arrested a man in Almelo on Friday after a fight in Delft.", "Almelo", "NLD"),
    ("Two hikers went missing near Castlegar, British Columbia, on Sunday.", "Castlegar",
     "CAN"),
])
def test_towns_spacy_misses_are_found(pipeline: Pipeline, text: str, toponym: str,
                                      country: str) -> None:
    assert resolved(pipeline, text, toponym)[0] == country



def test_a_towns_own_name_beats_another_towns_alternate_name(pipeline: Pipeline) -> None:
    text = ("Police in Salisbury said two people were found unconscious on a bench in the city "
            "centre.")  # Harare was once called Salisbury: an alternate name of a larger city
    assert resolved(pipeline, text, "Salisbury")[0] == "GBR"


def test_a_name_the_gazetteer_lacks_is_placed_at_a_town_of_the_articles_area(
        pipeline: Pipeline) -> None:
    article = code_text(pipeline, "ARLINGTON, Va. — Riders waited for hours at the Vienna Metro "
                        "Station on Monday after a fire.", "2019-10-20")
    station = [p for p in article.places if "Vienna" in p.text]
    assert station and (station[0].name, station[0].admin1) == ("Vienna", "Virginia"), station


@pytest.mark.parametrize(("text", "toponym", "country"), [
    # an abbreviated "St." is the written-out "Saint" of the place's own name
    ("Russia will expel US diplomats and close the US consulate in St. Petersburg.",
     "St. Petersburg", "RUS"),
    ("Fans gathered outside the stadium in St. Petersburg before the Russian cup final.",
     "St. Petersburg", "RUS"),
    ("Pilgrims filled the cathedral square of St. Petersburg on Sunday morning.",
     "St. Petersburg", "RUS"),
])
def test_an_abbreviated_saint_is_the_places_own_name(pipeline: Pipeline, text: str,
                                                    toponym: str, country: str) -> None:
    assert resolved(pipeline, text, toponym)[0] == country


@pytest.mark.parametrize(("text", "toponym", "admin1"), [
    # a first-level area the article names weighs for its own towns over a foreign capital
    ("Officials in Virginia said Fairfax and Vienna were hit by storms on Monday.", "Vienna",
     "Virginia"),
    ("Storms flooded roads in Texas on Monday, and Tyler and Paris lost power, officials in "
     "Texas said.", "Paris", "Texas"),
    ("Officials in Ohio said Dayton and Lima were hit by storms on Monday.", "Lima", "Ohio"),
])
def test_a_named_state_weighs_for_its_towns_over_a_capital(pipeline: Pipeline, text: str,
                                                          toponym: str, admin1: str) -> None:
    assert resolved(pipeline, text, toponym)[1] == admin1


@pytest.mark.parametrize(("text", "toponym", "country"), [
    # a state of the article's own country among its other states, not the foreign country
    ("Crews from Washington flew to Alaska, Hawaii and Florida this year, and were invited to "
     "train with the Georgia National Guard in the spring.", "Georgia", "USA"),
    ("Storms hit Texas, Oklahoma and Kansas on Monday before moving on to Georgia overnight.",
     "Georgia", "USA"),
    # with no state of that country around, the country
    ("Protesters marched in Tbilisi on Sunday, and the government of Georgia called for calm.",
     "Georgia", "GEO"),
])
def test_a_home_state_among_states_is_not_the_foreign_country(pipeline: Pipeline, text: str,
                                                              toponym: str, country: str) -> None:
    assert resolved(pipeline, text, toponym)[0] == country


@pytest.mark.parametrize(("text", "toponym", "country"), [
    # a demonym is its country, not a small town spelt like it
    ("The parents of Jack Letts, a Briton held by Kurds in Syria, asked for help.", "Briton",
     "GBR"),
    ("Two Syrians and a Canadian were detained at the border on Friday.", "Canadian", "CAN"),
    ("A Briton and a Canadian were freed by the kidnappers on Sunday.", "Briton", "GBR"),
])
def test_a_demonym_is_its_country_not_a_namesake_town(pipeline: Pipeline, text: str,
                                                      toponym: str, country: str) -> None:
    assert resolved(pipeline, text, toponym)[0] == country


def test_a_demonym_inside_a_longer_name_is_not_its_country(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Talks to modernise the North American Free Trade Agreement "
                        "resumed in Montreal on Monday.", "2019-10-20")
    assert not [p for p in article.places if p.text == "American" and p.country == "USA"]
