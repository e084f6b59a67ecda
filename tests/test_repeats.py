"""Repeated tellings of one event within an article: marked after dates and places are known."""

from __future__ import annotations

from whodid import Pipeline
from whodid.pipeline import DATES, EVENTS, PLACES, REPEATS, check_stages

from .conftest import code_text

TWO_ATTACKS = ("Turkish forces attacked Afrin on 3 March 2018. "
               "Residents fled to the hills. "
               "Turkish forces attacked Afrin again on 9 April 2018.")
ONE_ATTACK_TOLD_TWICE = ("Turkish forces attacked Afrin on 3 March 2018. "
                         "Residents fled to the hills. "
                         "Turkish forces attacked Afrin on 3 March 2018, a local official said.")


def attacks(pipeline: Pipeline, text: str) -> list[tuple[str | None, str | None]]:
    article = code_text(pipeline, text, "2018-04-10")
    return [(event.date, event.repeat_of) for event in article.events
            if event.cameo.startswith(("18", "19"))]


def test_two_attacks_on_different_days_are_two_events(pipeline: Pipeline) -> None:
    assert attacks(pipeline, TWO_ATTACKS) == [("2018-03-03", None), ("2018-04-09", None)]


def test_the_same_attack_told_twice_points_to_its_first_telling(pipeline: Pipeline) -> None:
    article = code_text(pipeline, ONE_ATTACK_TOLD_TWICE, "2018-04-10")
    first, second = [e for e in article.events if e.cameo.startswith(("18", "19"))]
    assert (first.date, first.repeat_of) == ("2018-03-03", None)
    assert (second.date, second.repeat_of) == ("2018-03-03", first.id)


def test_an_undated_event_told_again_points_to_its_first_telling(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Iraqi troops attacked Islamic State fighters near Mosul. "
                                  "Later, Iraqi troops attacked Islamic State fighters again.",
                        "2017-03-01")
    attacks = [e for e in article.events if e.cameo.startswith("19") or e.cameo.startswith("18")]
    assert len(attacks) == 2
    assert attacks[0].repeat_of is None and attacks[1].repeat_of == attacks[0].id


def test_marking_repeats_before_the_dates_are_known_is_reported() -> None:
    problems = check_stages([EVENTS, REPEATS, DATES, PLACES])
    assert any("'events.date'" in problem for problem in problems)
    assert any("'events.location'" in problem for problem in problems)
