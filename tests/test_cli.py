"""The command line: coding the seeds end to end, listing events, help and version."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from whodid import __version__
from whodid.cli import main

from .conftest import REPO, SEEDS

DESIGN_KEYS = {"id", "source", "title", "published", "outlet", "text", "removed", "mentions",
               "places", "events"}


def run(*args: str, input: str | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def row_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        tables = ["articles", "sentences", "removed_spans", "mentions", "places", "events"]
        return {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def coded_seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("seeds")
    db, out = folder / "x.db", folder / "x.jsonl"
    result = run("code", str(SEEDS), "--db", str(db), "--out", str(out))
    assert result.exit_code == 0, result.output
    return db, out, result.output


def test_coding_the_seeds_stores_three_articles_and_their_events(
        coded_seeds: tuple[Path, Path, str]) -> None:
    db, _, output = coded_seeds
    counts = row_counts(db)
    assert counts["articles"] == 3
    summary = re.fullmatch(r"3 articles coded, 0 unchanged, \d+ sentences, (\d+) events, 0 errors "
                           r"in \d+\.\d s \(run 1\)\n", output)
    assert summary is not None, output
    assert int(summary.group(1)) == counts["events"] > 0


def test_out_holds_one_design_shaped_line_per_article(coded_seeds: tuple[Path, Path, str]) -> None:
    _, out, _ = coded_seeds
    articles = {a["id"]: a for a in map(json.loads, out.read_text("utf-8").splitlines())}
    assert len(articles) == 3
    for article in articles.values():
        assert set(article) >= DESIGN_KEYS
        assert len(article["sentences"]) >= 5
    assert articles["001_498e05537b24f498"]["published"] == "2020-02-15"
    seed_000 = articles["000_912e81fc23c2b31a"]["text"]
    assert "MartinArcher" not in seed_000 and "You must be logged in" not in seed_000
    assert "meaningless" not in seed_000


def test_coding_again_changes_no_row_count(coded_seeds: tuple[Path, Path, str],
                                           tmp_path: Path) -> None:
    db, _, _ = coded_seeds
    before = row_counts(db)
    again = tmp_path / "again.jsonl"
    result = run("code", str(SEEDS), "--db", str(db), "--out", str(again))
    assert result.exit_code == 0
    assert result.output.startswith("0 articles coded, 3 unchanged")
    assert row_counts(db) == before
    # --out still gets every article, from the store
    assert len(again.read_text("utf-8").splitlines()) == 3


def test_a_changed_article_is_recoded_and_replaces_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\nIraq and Iran met in Baghdad. They talked for hours.")
    assert run("code", str(path), "--db", str(db)).exit_code == 0
    path.write_text("Headline\n\nIraq and Iran met in Baghdad.")
    result = run("code", str(path), "--db", str(db))
    assert result.output.startswith("1 articles coded, 0 unchanged, 1 sentences")
    counts = row_counts(db)
    assert counts["articles"] == 1 and counts["sentences"] == 1


def test_out_dash_writes_json_lines_to_stdout_and_the_summary_to_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["code", str(SEEDS / "001_498e05537b24f498.txt"),
                                       "--db", str(tmp_path / "s.db"), "--out", "-"])
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["published"] == "2020-02-15"
    assert "1 articles coded" in result.stderr


def test_stdin_is_read_as_text_or_json_lines(tmp_path: Path) -> None:
    db = tmp_path / "in.db"
    text = run("code", "-", "--db", str(db), input="A headline\n\nIraq and Iran met.\n")
    assert text.exit_code == 0 and text.output.startswith("1 articles coded")
    lines = "\n".join(json.dumps({"id": f"s{i}", "text": "Turkey and Syria met."})
                      for i in range(2))
    jsonl = run("code", "-", "--db", str(db), input=lines)
    assert jsonl.exit_code == 0 and jsonl.output.startswith("2 articles coded")
    with sqlite3.connect(db) as connection:
        ids = sorted(r[0] for r in connection.execute("SELECT id FROM articles"))
    assert ids[:2] == ["s0", "s1"] and ids[2].startswith("stdin-")  # one id per stdin text


def test_events_lists_the_stored_events_in_every_format(
        coded_seeds: tuple[Path, Path, str]) -> None:
    db, _, _ = coded_seeds
    with sqlite3.connect(db) as connection:  # incomplete events are listed only when asked
        stored = connection.execute("SELECT COUNT(*) FROM events WHERE incomplete = 0"
                                    ).fetchone()[0]
        clustered = connection.execute("SELECT COUNT(DISTINCT cluster_id) FROM events "
                                       "WHERE negated = 0 AND incomplete = 0").fetchone()[0]
    assert 0 < clustered <= stored
    table = run("events", "--db", str(db), "--background")
    assert table.exit_code == 0 and table.output.rstrip().endswith(f"{clustered} events")
    as_csv = list(csv.reader(io.StringIO(run("events", "--db", str(db), "--format", "csv",
                                             "--background").output)))
    assert as_csv[0][:3] == ["id", "date", "date_precision"] and len(as_csv) == clustered + 1
    lines = run("events", "--db", str(db), "--mentions", "--format", "jsonl",
                "--background").output.splitlines()
    assert len(lines) == stored
    assert all(json.loads(line)["cameo"] and json.loads(line)["evidence"] for line in lines)


def test_the_events_table_fits_an_80_column_terminal(
        coded_seeds: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    db, _, _ = coded_seeds
    monkeypatch.setenv("COLUMNS", "80")
    output = run("events", "--db", str(db)).output
    lines = output.rstrip().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert [h for h in ("date", "source", "target", "cameo", "plover", "evidence")
            if h in lines[1]] == ["date", "source", "target", "cameo", "plover", "evidence"]
    rows = [line for line in lines if line.startswith("│")]
    assert rows and lines[-1].endswith(" events") and len(rows) == int(lines[-1].split()[0])
    assert any(line.rstrip(" │").endswith("…") for line in rows)  # the evidence is cut
    chosen = run("events", "--db", str(db), "--columns", "date,cameo,mentions").output
    assert "mentions" in chosen.splitlines()[1] and "evidence" not in chosen
    as_jsonl = run("events", "--db", str(db), "--format", "jsonl", "--columns", "id,cameo")
    assert all(set(json.loads(line)) == {"id", "cameo"} for line in as_jsonl.output.splitlines())
    bad = CliRunner().invoke(main, ["events", "--db", str(db), "--columns", "nope"])
    assert bad.exit_code == 2 and "unknown column(s) nope" in bad.output


def test_events_on_a_missing_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["events", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "none.db: no such database" in result.output


def test_version() -> None:
    assert run("--version").output == f"whodid, version {__version__}\n"


def all_commands() -> list[tuple[str, click.Command]]:
    """Return (name, command) of the group and every command and subcommand."""
    found: list[tuple[str, click.Command]] = [("", main)]

    def walk(prefix: str, group: click.Group) -> None:
        for name, command in group.commands.items():
            found.append((f"{prefix}{name}", command))
            if isinstance(command, click.Group):
                walk(f"{prefix}{name} ", command)

    assert isinstance(main, click.Group)
    walk("", main)
    return found


@pytest.mark.parametrize(("name", "command"), all_commands())
def test_every_command_has_help(name: str, command: click.Command) -> None:
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    assert command.help
    assert " ".join(command.help.split("\n")[0].split()) in " ".join(result.output.split())


@pytest.mark.parametrize(("name", "command"), all_commands()[1:])
def test_the_readme_documents_every_command_and_option(name: str, command: click.Command) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert f"whodid {name}" in readme
    for parameter in command.params:
        for flag in getattr(parameter, "opts", []):
            if flag.startswith("--") and flag != "--help":
                assert flag in readme, f"README does not mention {name} {flag}"
