"""Using the data: cross-article events, filters, full-text search, aggregates, one article."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from whodid.cli import main
from whodid.store.dedup import EventKey, date_distance

from .conftest import SEEDS

ONE_MEETING = [
    {"id": "wire-1", "outlet": "Wire One", "published": "2021-03-06",
     "text": "Iraqi Prime Minister Mustafa al-Kadhimi met US Secretary of State Antony Blinken "
             "in Washington on Friday, officials said."},
    {"id": "wire-2", "outlet": "Wire Two", "published": "2021-03-06",
     "text": "US Secretary of State Antony Blinken held talks with Iraqi Prime Minister Mustafa "
             "al-Kadhimi in Washington on Friday."},
    {"id": "wire-3", "outlet": "Wire Three", "published": "2021-03-07",
     "text": "Mustafa al-Kadhimi, the Iraqi prime minister, and Antony Blinken met in Washington "
             "on Friday to discuss the withdrawal of US troops."},
    {"id": "wire-5", "outlet": "Wire Two", "published": "2021-03-22",
     "text": "US forces invaded Iraq in March 2003, the statement recalled. Iraqi police "
             "arrested three ISIS militants in Mosul on Sunday."},
    {"id": "wire-4", "outlet": "Wire One", "published": "2021-03-20",
     "text": "Iraqi Prime Minister Mustafa al-Kadhimi met US Secretary of State Antony Blinken "
             "in Baghdad on Monday. The pair met again in Erbil on Thursday."},
]


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def events_of(db: Path, *filters: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in run("events", "--db", str(db), "--format", "jsonl",
                                             *filters).splitlines()]


@pytest.fixture(scope="module")
def wires(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wires")
    corpus = folder / "wires.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in ONE_MEETING), "utf-8")
    db = folder / "wires.db"
    run("code", str(corpus), "--db", str(db))
    return db


def test_dates_fit_the_window_of_their_precision() -> None:
    def key(day: str | None, precision: str | None) -> EventKey:
        return EventKey("IRQ", "USA", "04", day, precision, None)

    assert date_distance(key("2021-03-05", "day"), key("2021-03-06", "published")) == 1
    assert date_distance(key("2021-03-05", "day"), key("2021-03-09", "day")) is None
    assert date_distance(key("2021-03", "month"), key("2021-03-28", "day")) == 0
    assert date_distance(key("2021", "year"), key("2020-12-31", "day")) is None
    assert date_distance(key(None, None), key(None, None)) == 0
    assert date_distance(key(None, None), key("2021-03-05", "day")) is None


def test_three_reports_of_one_meeting_are_one_event_and_two_meetings_are_two(
        wires: Path) -> None:
    consult = [e for e in events_of(wires, "--cameo", "04", "--actor", "IRQ")
               if str(e["source_code"]).startswith("IRQ")]
    washington = [e for e in consult if e["date"] == "2021-03-05"]
    assert len(washington) == 1
    assert (washington[0]["articles"], washington[0]["outlets"]) == (3, 3)
    assert int(str(washington[0]["mentions"])) >= 3
    later = sorted(str(e["date"]) for e in consult if e["date"] != "2021-03-05")
    assert later == ["2021-03-15", "2021-03-18"]  # Monday in Baghdad, Thursday in Erbil


def test_filters_and_full_text_search_select_events(wires: Path) -> None:
    assert all(str(e["cameo"]).startswith("04") for e in events_of(wires, "--cameo", "04"))
    assert all(e["plover"] == "CONSULT" for e in events_of(wires, "--plover", "consult"))
    erbil = events_of(wires, "--search", "Erbil")
    assert erbil and all("Erbil" in str(e["evidence"]) for e in erbil)
    assert all(str(e["date"]) >= "2021-03-10" for e in events_of(wires, "--since", "2021-03-10"))
    assert events_of(wires, "--until", "2021-02") == []
    assert events_of(wires, "--min-confidence", "1.0") == []
    bad = CliRunner().invoke(main, ["events", "--db", str(wires), "--search", 'bad"query'])
    assert bad.exit_code == 1 and "cannot select events" in bad.output


def test_coding_the_seeds_twice_under_other_ids_doubles_no_event(tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    run("code", str(SEEDS), "--db", str(db))
    first = events_of(db)
    copies = tmp_path / "copies"
    copies.mkdir()
    for path in SEEDS.glob("*.txt"):
        (copies / f"copy-{path.name}").write_text(path.read_text("utf-8"), "utf-8")
    run("code", str(copies), "--db", str(db))
    second = events_of(db)
    assert len(second) == len(first)
    assert sum(int(str(e["articles"])) for e in second) == 2 * sum(
        int(str(e["articles"])) for e in first)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 6


def test_background_events_are_kept_marked_and_left_out_unless_asked(wires: Path) -> None:
    default = events_of(wires)
    everything = events_of(wires, "--background")
    history = [e for e in everything if e["background"] == 1]
    assert history and all(str(e["date"]) < "2020" for e in history)  # the 2003 invasion
    assert {e["id"] for e in default} == {e["id"] for e in everything} - {
        e["id"] for e in history}
    assert all(e["background"] == 0 for e in default)
    assert events_of(wires, "--background", "--until", "2003")
    exported = wires.parent / "events.csv"
    run("export", "--db", str(wires), "--format", "csv", str(exported))
    assert len(exported.read_text("utf-8").splitlines()) == len(default) + 1


@pytest.mark.parametrize(("order", "key"), [
    ("newest", lambda e: str(e["date"])), ("mentions", lambda e: int(e["mentions"])),
    ("confidence", lambda e: float(e["confidence"]))])
def test_events_come_in_the_order_asked_newest_first_by_default(
        wires: Path, order: str, key: Any) -> None:
    rows = events_of(wires, "--sort", order)
    assert [key(e) for e in rows] == sorted((key(e) for e in rows), reverse=True)
    if order == "newest":
        assert rows == events_of(wires)
    oldest = events_of(wires, "--sort", "oldest")
    assert [e["id"] for e in oldest] != [e["id"] for e in rows] or len(rows) < 2


def test_dyads_with_a_source_and_a_target_come_before_those_without(wires: Path) -> None:
    by_dyad = json.loads(run("stats", "--db", str(wires), "--by", "dyad", "--format", "json",
                             "--background"))
    missing = [("-" in (r["source"], r["target"])) for r in by_dyad]
    assert missing == sorted(missing) and not missing[0]


def test_stats_count_each_event_once(wires: Path) -> None:
    by_dyad = json.loads(run("stats", "--db", str(wires), "--by", "dyad", "--format", "json"))
    events = events_of(wires)
    assert sum(int(r["events"]) for r in by_dyad) == len(events)
    series = json.loads(run("stats", "--db", str(wires), "--by", "goldstein", "--format",
                            "json"))
    assert {"month", "source", "target", "events", "mean_goldstein"} <= set(series[0])
    months = json.loads(run("stats", "--db", str(wires), "--by", "month", "--format", "json"))
    assert {r["month"] for r in months} <= {"2021-03", "unknown"}


def test_article_shows_the_text_and_its_events(wires: Path) -> None:
    output = run("article", "wire-4", "--db", str(wires))
    assert "Baghdad on Monday" in " ".join(output.split())
    assert "040 CONSULT" in output and "in Erbil" in output
    missing = CliRunner().invoke(main, ["article", "nope", "--db", str(wires)])
    assert missing.exit_code == 1 and "nope: no such article" in missing.output


TOLL = {"id": "toll-1", "outlet": "Wire One", "published": "2021-03-06",
        "text": "At least 29 people were killed in eastern Ghouta on Friday. Iraqi Prime Minister "
                "Mustafa al-Kadhimi met US Secretary of State Antony Blinken in Washington."}


def test_incomplete_events_are_stored_but_listed_only_on_request(tmp_path: Path) -> None:
    corpus = tmp_path / "toll.jsonl"
    corpus.write_text(json.dumps(TOLL) + "\n", "utf-8")
    db = tmp_path / "toll.db"
    run("code", str(corpus), "--db", str(db))
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT plover, incomplete FROM events").fetchall()
    assert ("ASSAULT", 1) in stored and ("CONSULT", 0) in stored  # killed, by whom?
    assert {e["plover"] for e in events_of(db)} == {"CONSULT"}
    assert {e["plover"] for e in events_of(db, "--include-incomplete")} == {"CONSULT", "ASSAULT"}
    assert {e["plover"] for e in events_of(db, "--mentions")} == {"CONSULT"}
    by_root = json.loads(run("stats", "--db", str(db), "--by", "plover", "--format", "json"))
    assert {r["plover"] for r in by_root} == {"CONSULT"}
    out = tmp_path / "events.jsonl"
    run("export", "--format", "jsonl", "--db", str(db), str(out))
    assert {json.loads(line)["plover"] for line in out.read_text("utf-8").splitlines()} == {
        "CONSULT"}
