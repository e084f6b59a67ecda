"""What the rest of an article tells about which of a name's namesakes it means (issue 13):
the countries it names, and the places its other names share."""

from __future__ import annotations

import pytest

from whodid import Article, Pipeline

from .conftest import code_text


def countries_of(pipeline: Pipeline, text: str, toponym: str) -> list[str | None]:
    article: Article = code_text(pipeline, text, "2019-10-20")
    return [p.country for p in article.places if p.text == toponym]


@pytest.mark.parametrize(("text", "toponym"), [
    # English towns whose American namesakes share a state (Bristol and Manchester, New
    # Hampshire; Worcester and Oxford, Massachusetts; Cambridge and Norwich, New York) are no
    # evidence of that state in an article that names Britain
    ("The US envoy met Britain's foreign secretary on Monday, and American diplomats praised "
     "the talks. Protesters gathered in Manchester and Bristol, the US embassy said.",
     "Bristol"),
    ("The US envoy met Britain's trade minister on Monday, and American officials praised the "
     "talks. Factories in Oxford and Worcester will gain, the US embassy said.", "Worcester"),
    ("American regulators and the US Treasury backed the merger, while Britain asked for time. "
     "Staff in Cambridge and Norwich will keep their jobs, the US company said.", "Cambridge"),
])
def test_a_famous_town_of_a_named_country_is_no_evidence_of_a_home_state(
        pipeline: Pipeline, text: str, toponym: str) -> None:
    assert countries_of(pipeline, text, toponym) == ["GBR"]


def test_towns_that_share_a_state_still_decide_it_together(pipeline: Pipeline) -> None:
    text = ("Lawmakers met in Springfield on Monday. Mayors from Decatur and Peoria asked for "
            "more money for roads, US officials said.")
    article = code_text(pipeline, text, "2019-10-20")
    assert [p.admin1 for p in article.places if p.text == "Springfield"] == ["Illinois"]


@pytest.mark.parametrize(("text", "initials", "country"), [
    ("Mining affects millions of South Africans, and SA holds the largest platinum reserves; "
     "unions in SA want a bigger share.", "SA", "ZAF"),
    ("The prime minister of Trinidad and Tobago said T&T would send aid, and the T&T mission "
     "in Washington was told to object.", "T&T", "TTO"),
    ("Floods hit Sri Lanka on Monday, and SL officials said thousands were moved to shelters.",
     "SL", "LKA"),
])
def test_the_initials_of_a_country_the_article_names_are_that_country(
        pipeline: Pipeline, text: str, initials: str, country: str) -> None:
    assert set(countries_of(pipeline, text, initials)) == {country}


def test_initials_of_a_country_the_article_does_not_name_are_no_place(pipeline: Pipeline) -> None:
    text = "Shares of the SA firm rose on Monday, and the TT fund sold its stake, traders said."
    assert countries_of(pipeline, text, "SA") == [] and countries_of(pipeline, text, "TT") == []
