"""The dates stage: DATE mentions resolved against the article's day; each event's date."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from whodid import Article, Options, Pipeline, read_inputs
from whodid.model import RemovedSpan
from whodid.run import code_inputs
from whodid.stages.dates import (
    date_rules,
    plain_date,
    reference_day,
    relative_date,
    resolve_date,
)

from .conftest import code_text

PUBLISHED = date(2020, 2, 15)  # a Saturday


@pytest.mark.parametrize(("words", "expected"), [
    ("on Wednesday", ("2020-02-12", "day")),
    ("Friday", ("2020-02-14", "day")),
    ("Saturday", ("2020-02-15", "day")),  # the article's own weekday is that day
    ("July 12, 2016", ("2016-07-12", "day")),
    ("February 14", ("2020-02-14", "day")),
    ("yesterday", ("2020-02-14", "day")),
    ("October last year", ("2019-10", "month")),
    ("in March this year", ("2020-03", "month")),
    ("last month", ("2020-01", "month")),
    ("five years ago", ("2015", "year")),
    ("2019", ("2019", "year")),
    ("three months", None),
    ("more than a decade", None),
    ("the past 24 hours", None),
])
def test_date_words_resolve_against_the_publication_day(
        words: str, expected: tuple[str, str] | None) -> None:
    assert resolve_date(words, PUBLISHED) == expected


@pytest.mark.parametrize(("words", "expected"), [
    ("17 July 36", ("2020-07-17", None)),  # "on 17 July 36 civilians were reported"
    ("July 36", ("2020-07", None)),
    ("July 12, 16", ("2020-07-12", None)),
    ("July 17", ("2020-07-17", None)),
])
def test_a_bare_two_digit_number_is_never_a_year(words: str,
                                                 expected: tuple[str, None]) -> None:
    resolved = resolve_date(words, date(2020, 7, 20))
    assert resolved is not None and resolved[0] == expected[0]


@pytest.mark.parametrize("words", ["on Wednesday", "February 14", "yesterday",
                                   "October last year", "five years ago"])
def test_relative_dates_stay_unknown_without_a_reference_day(words: str) -> None:
    assert resolve_date(words, None) is None


PLAIN_FORMS = ["12 March 2024", "1 May 2030", "31 December 1999", "3rd June 2019",
               "June 3rd, 2019", "June 3, 2019", "June 3 2019", "June 2019", "June, 2019",
               "2019", "1850", "MAY 2020", "may 5, 2020", "5 may, 2020", "21st September 2001",
               "Sept 2019", "12 Mar 2024", "February 29 2020", "February 30 2020",
               "31 April 2019", "12 Marchy 2024", "Sept. 2019", "12 March 24", "mid-2019"]


@pytest.mark.parametrize("reference", [None, date(2020, 2, 15), date(2024, 12, 31)])
def test_plain_dates_read_without_dateparser_are_what_dateparser_reads(
        reference: date | None) -> None:
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    parser = DateDataParser(languages=["en"], settings=settings)
    taken = 0
    for words in PLAIN_FORMS:
        plain = plain_date(words.lower())
        if plain is None:
            continue
        taken += 1
        data = parser.get_date_data(words)
        shown = {"day": 10, "month": 7, "year": 4}[plain[1]]  # what resolve_date keeps
        assert data.date_obj is not None, words
        assert (plain[0].isoformat()[:shown], plain[1]) == (
            data.date_obj.date().isoformat()[:shown], data.period), words
    assert taken == 18  # all but the six forms after "February 29 2020"


@pytest.mark.parametrize(("words", "expected"), [
    ("12 march 2024", (date(2024, 3, 12), "day")),
    ("march 12th, 2024", (date(2024, 3, 12), "day")),
    ("sept 2019", (date(2019, 9, 1), "month")),
    ("2024", (date(2024, 1, 1), "year")),
    ("31 april 2019", None),  # impossible: dateparser judges
    ("last week", None),
    ("12 marchy 2024", None),
    ("march 12", None),  # no year: dateparser, against the reference day
])
def test_plain_dates_are_the_written_forms_with_a_year(
        words: str, expected: tuple[date, str] | None) -> None:
    assert plain_date(words) == expected


def test_an_absolute_date_needs_no_reference_day() -> None:
    assert resolve_date("On July 12, 2016", None) == ("2016-07-12", "day")


def test_a_dated_reader_comment_bounds_an_undated_article() -> None:
    article = Article(id="a", source="a.txt", raw_text="", removed=[
        RemovedSpan(0, 10, "reader comments", "MartinArcher Friday, 25 November 2016 ..."),
        RemovedSpan(10, 20, "reader comments", "Reader Sunday, 27 November 2016 ...")])
    assert reference_day(article, date_rules()) == date(2016, 11, 25)
    article.removed[0].reason = "byline"
    assert reference_day(article, date_rules()) == date(2016, 11, 27)
    article.published = "2016-11-24"
    assert reference_day(article, date_rules()) == date(2016, 11, 24)


def test_an_event_takes_the_date_of_its_own_clause(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Turkey and Greece signed a defence agreement on Monday, a week "
                        "after Greek troops arrested two Turkish soldiers on February 3.",
                        "2020-02-15")
    dates = {e.trigger: (e.date, e.date_precision) for e in article.events}
    assert dates["signed"] == ("2020-02-10", "day")
    assert dates["arrested"] == ("2020-02-03", "day")


def test_an_undated_sentence_takes_the_publication_date_else_none(pipeline: Pipeline) -> None:
    dated = code_text(pipeline, "Iraqi police arrested three ISIS militants in Mosul.",
                      "2020-02-15")
    assert {(e.date, e.date_precision) for e in dated.events} == {("2020-02-15", "published")}
    undated = code_text(pipeline, "Iraqi police arrested three ISIS militants in Mosul on Friday.")
    assert undated.events and {(e.date, e.date_precision) for e in undated.events} == {
        (None, None)}


def test_the_seed_events_carry_the_dates_of_the_gold(pipeline: Pipeline, seed_paths: list[Path],
                                                     options: Options) -> None:
    coded = pipeline(list(read_inputs([str(p) for p in seed_paths], options)))
    articles = {a.id[:3]: a for a in coded if isinstance(a, Article)}
    dated = {(a, e.trigger, e.date) for a, article in articles.items() for e in article.events}
    assert ("000", "spoke", "2016-11-23") in dated  # "on Wednesday", the comment of 25 Nov 2016
    assert ("000", "signed", "2016-07-12") in dated
    assert ("001", "met", "2020-02-14") in dated    # "on Friday", published 2020-02-15
    assert [(d.text, d.date) for d in articles["000"].dates] == [
        ("Wednesday", "2016-11-23"), ("July 12, 2016", "2016-07-12")]
    assert articles["002"].dates == []  # "October last year" with no known day stays unknown


def test_dates_are_stored(tmp_path: Path, seed_paths: list[Path], options: Options) -> None:
    db = tmp_path / "d.db"
    code_inputs([str(seed_paths[1])], db, options)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT text, date, precision FROM dates").fetchall()
        events = connection.execute("SELECT DISTINCT date_precision FROM events").fetchall()
    assert ("Friday", "2020-02-14", "day") in rows
    assert {p for (p,) in events} <= {"day", "published"}


@pytest.mark.parametrize(("words", "reference", "expected"), [
    ("last week", date(2020, 2, 15), ("2020-02-06", "week")),  # Thursday of the week before
    ("earlier this week", date(2020, 2, 14), ("2020-02-12", "week")),  # Monday..Friday
    ("this week", date(2020, 2, 10), ("2020-02-10", "week")),  # a Monday: that very day
])
def test_a_relative_week_is_its_middle_day_with_week_precision(
        words: str, reference: date, expected: tuple[str, str]) -> None:
    assert resolve_date(words, reference) == expected


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # published Saturday 2020-02-15: "last week" is 3-9 February, its middle the 6th
    ("Kurdish forces captured the village of Baghuz last week, a commander said.", "captured",
     "2020-02-06"),
    ("Iraqi police arrested three ISIS militants in Mosul last week.", "arrested",
     "2020-02-06"),
    ("Turkish troops shelled Kurdish positions near Afrin earlier this week.", "shelled",
     "2020-02-12"),
])
def test_an_event_of_last_week_is_dated_to_that_week(pipeline: Pipeline, text: str,
                                                     trigger: str, expected: str) -> None:
    article = code_text(pipeline, text, "2020-02-15")
    dates = {e.trigger: (e.date, e.date_precision) for e in article.events}
    assert dates[trigger] == (expected, "week")


@pytest.mark.parametrize(("text", "trigger"), [
    # a date inside a clause below the trigger dates that clause, not the trigger's event
    ("Erdogan accused the EU of breaking a deal struck in March 2016 on refugees.", "accused"),
    ("Russia ordered a ceasefire in eastern Ghouta to begin on Tuesday.", "ordered"),
    ("Iraqi police arrested a man who had fought for Isis in 2015.", "arrested"),
])
def test_a_date_of_a_clause_below_the_trigger_does_not_date_its_event(
        pipeline: Pipeline, text: str, trigger: str) -> None:
    article = code_text(pipeline, text, "2020-02-15")
    dates = {e.trigger: (e.date, e.date_precision) for e in article.events}
    assert dates[trigger] == ("2020-02-15", "published")


@pytest.mark.parametrize(("text", "expected"), [
    # published Saturday 2020-02-15: a weekday of what is to come is the next one
    ("Bolton is expected to hold talks with Turkish officials in Ankara on Tuesday.",
     "2020-02-18"),
    ("The foreign ministers will meet in Geneva on Monday.", "2020-02-17"),
    ("The ceasefire is due to begin on Saturday.", "2020-02-22"),
])
def test_a_weekday_of_what_is_to_come_is_the_next_one(pipeline: Pipeline, text: str,
                                                      expected: str) -> None:
    article = code_text(pipeline, text, "2020-02-15")
    assert [d.date for d in article.dates] == [expected]


def test_a_weekday_of_what_happened_stays_the_last_one(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "The foreign ministers met in Geneva on Monday and said they "
                        "would meet again.", "2020-02-15")
    assert [d.date for d in article.dates] == ["2020-02-10"]


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # a time clause beside the trigger's dates it: the two happened together
    ("As the Russian navy manoeuvred off the coast on Friday, Turkish troops shelled Kurdish "
     "positions near Afrin.", "shelled", "2020-02-14"),
    ("While the talks went on in Geneva on Wednesday, Syrian troops attacked rebels in Idlib.",
     "attacked", "2020-02-12"),
    ("When the rebels left Aleppo on Monday, Iraqi police arrested three militants in Mosul.",
     "arrested", "2020-02-10"),
])
def test_a_date_of_a_time_clause_dates_the_event_beside_it(pipeline: Pipeline, text: str,
                                                           trigger: str, expected: str) -> None:
    article = code_text(pipeline, text, "2020-02-15")
    dates = {e.trigger: e.date for e in article.events}
    assert dates[trigger] == expected


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # a weekday with a part of the day is a TIME entity for the parser, but it names a day
    ("Dozens of Isis fighters surrendered to Kurdish forces on Wednesday night.", "surrendered",
     "2020-02-12"),
    ("Turkish jets bombed Kurdish positions near Afrin on Friday morning.", "bombed",
     "2020-02-14"),
    ("Iraqi police arrested three militants in Mosul late on Monday evening.", "arrested",
     "2020-02-10"),
])
def test_a_weekday_with_a_part_of_the_day_dates_the_event(pipeline: Pipeline, text: str,
                                                          trigger: str, expected: str) -> None:
    article = code_text(pipeline, text, "2020-02-15")
    dates = {e.trigger: e.date for e in article.events}
    assert dates[trigger] == expected


RELATIVE_FORMS = ("today", "Yesterday", "this month", "last month", "January", "February",
                  "March", "May", "December", "this year", "Last year", "a year ago",
                  "two years ago", "4 years ago", "ten years ago")
# reference days around the ends of months and years, a leap day among them
REFERENCES = (date(2019, 1, 1), date(2019, 3, 31), date(2020, 2, 28), date(2020, 2, 29),
              date(2020, 12, 31), date(2021, 7, 15), date(2024, 1, 30))


@pytest.mark.parametrize("reference", REFERENCES)
def test_relative_dates_read_without_dateparser_are_what_dateparser_reads(
        reference: date) -> None:
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings={
        "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False,
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day)})
    for words in RELATIVE_FORMS:
        fast = relative_date(words.lower(), reference)
        if fast is None:
            continue  # a month without the reference day: dateparser's to read
        data = parser.get_date_data(words)
        shown = {"day": 10, "month": 7, "year": 4}[fast[1]]  # what resolve_date keeps
        assert data.date_obj is not None, words
        assert (fast[0].isoformat()[:shown], fast[1]) == (
            data.date_obj.date().isoformat()[:shown], data.period), words
        assert fast[0] <= reference, words  # never after it, as dateparser's


@pytest.mark.parametrize(("words", "reference", "expected"), [
    ("yesterday", date(2020, 3, 1), (date(2020, 2, 29), "day")),
    ("last month", date(2020, 1, 15), (date(2019, 12, 1), "month")),
    ("december", date(2020, 1, 15), (date(2019, 12, 1), "month")),  # the last December
    ("january", date(2020, 1, 15), (date(2020, 1, 1), "month")),
    ("five years ago", date(2020, 1, 15), (date(2015, 1, 1), "year")),
    ("february", date(2020, 1, 30), None),  # no 30 February: left to dateparser
    ("last friday", date(2020, 1, 15), None),
    ("today", None, None),
])
def test_relative_dates_read_without_dateparser(
        words: str, reference: date | None, expected: tuple[date, str] | None) -> None:
    assert relative_date(words, reference) == expected
