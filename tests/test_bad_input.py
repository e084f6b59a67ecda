"""Bad input: one clear error line naming the file (and line); the rest of the batch is coded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from whodid.cli import main

from .conftest import SEEDS

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def good_article(folder: Path) -> Path:
    path = folder / "good.txt"
    path.write_text((SEEDS / "001_498e05537b24f498.txt").read_text("utf-8"), "utf-8")
    return path


def code(*args: str) -> tuple[int, list[str], str]:
    """Run ``whodid code``; return exit code, the error lines (stderr) and stdout."""
    result = CliRunner().invoke(main, ["code", *args])
    return result.exit_code, result.stderr.splitlines(), result.stdout


def stored_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return sorted(r[0] for r in connection.execute("SELECT id FROM articles"))


def run_errors(db: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(db) as connection:
        count, log = connection.execute(
            "SELECT errors, error_log FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    return count, json.loads(log)


def write_bad(folder: Path, kind: str) -> tuple[Path, str]:
    """Write one kind of bad input; return its path and the error text expected for it."""
    if kind == "empty file":
        path = folder / "empty.txt"
        path.write_text("  \n\n")
        return path, f"{path}: empty: no text to code"
    if kind == "binary file":
        path = folder / "photo.txt"
        path.write_bytes(PNG_HEADER + bytes(range(256)) * 4)
        return path, f"{path}: binary file, not text (looks like a PNG image)"
    if kind == "invalid utf-8":
        path = folder / "latin1.txt"
        path.write_bytes("Headline\n\nErdoğan met Barzani in Ankara.".encode("latin-1",
                                                                             "replace")
                         + "Café façade".encode("latin-1"))
        return path, f"{path}: invalid UTF-8 at byte"
    if kind == "malformed jsonl line":
        path = folder / "batch.jsonl"
        path.write_text(json.dumps({"id": "j1", "text": "Iraq and Iran met."}) + "\n"
                        + '{"id": "j2", "text": "unterminated\n'
                        + json.dumps({"id": "j3", "text": "Turkey and Syria met."}) + "\n")
        return path, f"{path}:2: malformed JSON: Invalid control character at column 35"
    if kind == "missing path":
        path = folder / "no-such-file.txt"
        return path, f"{path}: no such file or directory"
    if kind == "50 MB text file":
        path = folder / "huge.txt"
        with path.open("w") as stream:
            line = "Iraq and Iran met again to discuss the border. " * 20 + "\n"
            while stream.tell() < 50_000_000:
                stream.write(line)
        return path, f"{path}: too large for one article (50.0 MB; the limit is 1.0 MB"
    raise AssertionError(kind)


BAD_KINDS = ["empty file", "binary file", "invalid utf-8", "malformed jsonl line",
             "missing path", "50 MB text file"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_gets_one_error_line_and_the_rest_is_coded(tmp_path: Path, kind: str) -> None:
    good = good_article(tmp_path)
    bad, expected = write_bad(tmp_path, kind)
    db = tmp_path / "w.db"
    status, errors, summary = code(str(bad), str(good), "--db", str(db))
    assert status == 0
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {expected}")
    assert "1 errors" in summary
    ids = stored_ids(db)
    assert "good" in ids
    if kind == "malformed jsonl line":
        assert ids == ["good", "j1", "j3"]
    count, log = run_errors(db)
    assert count == 1 and log[0].startswith(expected)


def test_all_bad_inputs_in_one_batch(tmp_path: Path) -> None:
    bad = [write_bad(tmp_path, kind) for kind in BAD_KINDS]
    good = good_article(tmp_path)
    db = tmp_path / "w.db"
    status, errors, _summary = code(*(str(path) for path, _ in bad), str(good), "--db", str(db))
    assert status == 0
    assert len(errors) == len(BAD_KINDS)
    for line, (_, expected) in zip(errors, bad, strict=True):
        assert line.startswith(f"error: {expected}")
    assert stored_ids(db) == ["good", "j1", "j3"]
    assert run_errors(db)[0] == len(BAD_KINDS)


def test_nothing_stored_is_lost_or_duplicated_by_a_bad_batch(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    good = good_article(tmp_path)
    assert code(str(good), "--db", str(db))[0] == 0
    with sqlite3.connect(db) as connection:
        before = connection.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
    bad, _ = write_bad(tmp_path, "binary file")
    status, errors, summary = code(str(bad), str(good), "--db", str(db))
    assert status == 0 and len(errors) == 1 and "1 unchanged" in summary
    assert stored_ids(db) == ["good"]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == before


def test_exit_status_is_1_when_nothing_could_be_coded(tmp_path: Path) -> None:
    bad, expected = write_bad(tmp_path, "empty file")
    status, errors, _ = code(str(bad), "--db", str(tmp_path / "w.db"))
    assert status == 1
    assert errors == [f"error: {expected}"]


def test_a_jsonl_record_without_text_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"id": "a", "text": "Iraq and Iran met."}\n{"id": "b", "title": "x"}\n[1]\n')
    status, errors, _ = code(str(path), "--db", str(tmp_path / "w.db"))
    assert status == 0
    assert errors == [f"error: {path}:2: no 'text' or 'html' field with a string",
                      f"error: {path}:3: expected a JSON object, got list"]


def test_a_duplicate_article_id_in_one_run_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("Headline\n\nIraq and Iran met.")
    (tmp_path / "b" / "story.txt").write_text("Headline\n\nTurkey and Syria met.")
    status, errors, _ = code(str(tmp_path / "a"), str(tmp_path / "b"), "--db",
                             str(tmp_path / "w.db"))
    assert status == 0
    assert errors == [f"error: {tmp_path / 'b' / 'story.txt'}: duplicate article id 'story' "
                      f"(first read from {tmp_path / 'a' / 'story.txt'}); skipped"]
