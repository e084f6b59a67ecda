"""Actors through the command line: learned people, `actors add`, `actors import`, export."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from whodid.cli import main

INTRODUCTION = ("Nigerian Minister of Petroleum Resources Ibrahim Okonkwo met oil company "
                "executives in Abuja on Monday to discuss the pipeline attacks.")
LATER = "Okonkwo said the pipeline would reopen within a month."


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def write_articles(path: Path, *texts: tuple[str, str, str]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t, "published": d}) + "\n"
                            for i, t, d in texts))
    return path


def codes_of(out: Path, article_id: str, text: str) -> list[str | None]:
    for line in out.read_text("utf-8").splitlines():
        article = json.loads(line)
        if article["id"] == article_id:
            return [m["actor"]["code"] if m["actor"] else None for m in article["mentions"]
                    if m["text"] == text]
    raise AssertionError(f"no article {article_id}")


def test_a_person_first_met_with_a_title_is_stored_for_review(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    first = write_articles(tmp_path / "first.jsonl", ("a1", INTRODUCTION, "2021-03-01"))
    run("code", str(first), "--db", str(db))
    listed = run("actors", "--db", str(db), "--origin", "learned", "--format", "jsonl").output
    (row,) = [json.loads(line) for line in listed.splitlines()]
    assert (row["name"], row["code"], row["origin"]) == ("Ibrahim Okonkwo", "NGAGOV", "learned")


def test_what_one_article_teaches_does_not_change_another(tmp_path: Path) -> None:
    """Same input, same output: a later run, or a later article of the same run, codes the
    bare surname as it would alone, whatever was coded before it."""
    db = tmp_path / "w.db"
    run("code", str(write_articles(tmp_path / "first.jsonl", ("a1", INTRODUCTION, "2021-03-01"))),
        "--db", str(db))
    later = write_articles(tmp_path / "later.jsonl", ("a2", LATER, "2021-04-01"))
    out = tmp_path / "later-out.jsonl"
    run("code", str(later), "--db", str(db), "--out", str(out))
    assert codes_of(out, "a2", "Okonkwo") in ([None], [])

    corpus = write_articles(tmp_path / "both.jsonl", ("a1", INTRODUCTION, "2021-03-01"),
                            ("a2", LATER, "2021-04-01"))
    out = tmp_path / "both-out.jsonl"
    run("code", str(corpus), "--db", str(tmp_path / "fresh.db"), "--out", str(out))
    assert codes_of(out, "a2", "Okonkwo") in ([None], [])


def test_a_learned_person_promoted_by_the_user_resolves_later(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    run("code", str(write_articles(tmp_path / "first.jsonl", ("a1", INTRODUCTION, "2021-03-01"))),
        "--db", str(db))
    reviewed = tmp_path / "learned.yaml"
    run("actors", "export", "--db", str(db), "--origin", "learned", "--out", str(reviewed))
    run("actors", "add", str(reviewed), "--db", str(db))
    later = write_articles(tmp_path / "later.jsonl", ("a2", LATER, "2021-04-01"))
    out = tmp_path / "later-out.jsonl"
    run("code", str(later), "--db", str(db), "--out", str(out))
    assert codes_of(out, "a2", "Okonkwo") == ["NGAGOV"]


def test_without_the_introduction_the_surname_stays_unresolved(tmp_path: Path) -> None:
    later = write_articles(tmp_path / "later.jsonl", ("a2", LATER, "2021-04-01"))
    out = tmp_path / "out.jsonl"
    run("code", str(later), "--db", str(tmp_path / "w.db"), "--out", str(out))
    assert codes_of(out, "a2", "Okonkwo") in ([None], [])


PETRARCH_DICTIONARY = """\
# a user's own actors dictionary, TABARI/PETRARCH format
<!-- people -->
ZORAN_VUKOVIC_ [SRBELI]   ; Serbian politician (made up for this test)
+Z._VUKOVIC_
\t[SRBGOV 020101-051231]
MARKO_PETRIC_
\t[MNEGOV >150301]
\t[MNEELI <150301]
BLUE_RIVER_BRIGADE_ [SRBREB]
+BRB
BROKEN_LINE_WITHOUT_CODE_
"""


def test_a_petrarch_dictionary_is_imported_with_its_dated_codes(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    dictionary = tmp_path / "mine.actors"
    dictionary.write_text(PETRARCH_DICTIONARY)
    result = CliRunner().invoke(main, ["actors", "import", str(dictionary), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 actors imported")
    assert "Broken Line Without Code" in result.stderr
    corpus = write_articles(
        tmp_path / "c.jsonl",
        ("in-office", "Zoran Vukovic met the ambassador in Belgrade.", "2003-05-01"),
        ("out-of-office", "Zoran Vukovic met the ambassador in Belgrade.", "2010-05-01"),
        ("before", "Marko Petric met the ambassador in Podgorica.", "2014-01-01"),
        ("after", "Marko Petric met the ambassador in Podgorica.", "2016-01-01"),
        ("group", "BRB fighters attacked a checkpoint near Nis.", "2016-01-01"))
    out = tmp_path / "out.jsonl"
    run("code", str(corpus), "--db", str(db), "--out", str(out))
    assert codes_of(out, "in-office", "Zoran Vukovic") == ["SRBGOV"]
    assert codes_of(out, "out-of-office", "Zoran Vukovic") == ["SRBELI"]
    assert codes_of(out, "before", "Marko Petric") == ["MNEELI"]
    assert codes_of(out, "after", "Marko Petric") == ["MNEGOV"]
    assert codes_of(out, "group", "BRB fighters") == ["SRBREB"]
    listed = run("actors", "--db", str(db), "--origin", "petrarch", "--format", "jsonl").output
    assert sorted(json.loads(line)["name"] for line in listed.splitlines()) == [
        "Blue River Brigade", "Marko Petric", "Zoran Vukovic"]


def test_actors_added_from_yaml_are_used_and_exported(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    additions = tmp_path / "mine.yaml"
    additions.write_text(yaml.safe_dump([
        {"id": "amina-yusuf", "name": "Amina Yusuf", "aliases": ["Amina Yusuf Ali"],
         "roles": [{"title": "Governor of Kano", "code": "NGAGOV", "country": "NGA",
                    "sector": "GOV", "start": "2019-05-29", "end": None}]},
        {"id": "kano-vigilance-group", "name": "Kano Vigilance Group", "kind": "armed_group",
         "code": "NGAUAF", "country": "NGA", "aliases": ["KVG"]},
    ]))
    assert run("actors", "add", str(additions), "--db", str(db)).output == (
        f"2 actors added to {db}\n")
    corpus = write_articles(tmp_path / "c.jsonl", (
        "k1", "Amina Yusuf accused the Kano Vigilance Group of abducting traders.", "2020-06-01"))
    out = tmp_path / "out.jsonl"
    run("code", str(corpus), "--db", str(db), "--out", str(out))
    assert codes_of(out, "k1", "Amina Yusuf") == ["NGAGOV"]
    assert codes_of(out, "k1", "Kano Vigilance Group") == ["NGAUAF"]
    exported = yaml.safe_load(run("actors", "export", "--db", str(db), "--origin", "user").output)
    assert sorted(record["id"] for record in exported) == ["amina-yusuf", "kano-vigilance-group"]
    again = tmp_path / "again.db"
    (tmp_path / "exported.yaml").write_text(yaml.safe_dump(exported))
    assert run("actors", "add", str(tmp_path / "exported.yaml"), "--db", str(again)).output == (
        f"2 actors added to {again}\n")


def test_bad_actor_files_are_refused_with_the_record_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump([{"id": "x", "name": "X", "code": "not a code"}]))
    result = CliRunner().invoke(main, ["actors", "add", str(bad), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 1
    assert f"{bad}: record 1: x: code 'not a code' is not a CAMEO actor code" in result.output


def test_the_knowledge_base_lists_and_searches(tmp_path: Path) -> None:
    listed = run("actors", "--db", str(tmp_path / "none.db"), "--search", "Barzani",
                 "--format", "jsonl").output
    names = {json.loads(line)["name"] for line in listed.splitlines()}
    assert {"Masoud Barzani", "Masrour Barzani", "Nechirvan Barzani"} <= names
