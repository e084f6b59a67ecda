"""Bad input: one clear error line naming the file (and line); the rest of the batch is coded."""

from __future__ import annotations

import hashlib
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


def test_same_named_files_of_two_folders_in_one_run_are_two_articles(tmp_path: Path) -> None:
    """Reproduced: b/story.txt was skipped as a duplicate of a/story.txt (both 'story')."""
    a, b = write_reports(tmp_path, "story.txt")
    status, errors, _ = code(str(tmp_path / "a"), str(tmp_path / "b"), "--db",
                             str(tmp_path / "w.db"))
    assert (status, errors) == (0, [])
    assert stored_sources(tmp_path / "w.db") == {"story": str(a),
                                                 f"story-{path_digest(b)}": str(b)}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


GOOD_LINE = json.dumps({"id": "after", "text": "Iraq and Iran met in Baghdad."})


POISON_LINES = [
    ('{"id": "s", "text": "Police met protesters. \\ud800 The army attacked rebels."}',
     "field 'text' holds a lone surrogate (U+D800) at character 23: not Unicode text"),
    ('{"id": "\\udfff", "text": "Iraq and Iran met."}',
     "field 'id' holds a lone surrogate (U+DFFF) at character 0: not Unicode text"),
    ('{"id": "n", "text": "x", "n": ' + "9" * 5000 + "}", "unreadable JSON: Exceeds the limit"),
    ("[" * 50_000 + "]" * 50_000, "JSON nested too deeply"),
]


def test_poison_jsonl_lines_are_their_errors_and_the_articles_after_them_are_coded(
        tmp_path: Path) -> None:
    """Reproduced: a lone surrogate raised UnicodeEncodeError and stopped the batch (and every
    re-run) at that line; a 5,000-digit number raised ValueError; deep nesting RecursionError."""
    path = write_jsonl(tmp_path / "poison.jsonl", [line for line, _ in POISON_LINES] + [GOOD_LINE])
    db = tmp_path / "w.db"
    for _ in range(2):  # the re-run gets past the lines too
        status, errors, _ = code(str(path), "--db", str(db))
        assert status == 0
        assert len(errors) == len(POISON_LINES)
        for number, (error, (_, message)) in enumerate(zip(errors, POISON_LINES, strict=True), 1):
            assert error.startswith(f"error: {path}:{number}: {message}")
    assert stored_ids(db) == ["after"]


def test_a_huge_number_in_an_article_is_no_toll_and_the_article_is_stored(
        tmp_path: Path) -> None:
    """Reproduced: "arrested 99999999999999999999 protesters" raised OverflowError in the store
    and stopped the batch."""
    huge = json.dumps({"id": "huge", "text": "Police arrested 99999999999999999999 protesters "
                       "in Baghdad on Monday. Police arrested 1e400 protesters."})
    path = write_jsonl(tmp_path / "huge.jsonl", [huge, GOOD_LINE])
    db = tmp_path / "w.db"
    status, errors, _ = code(str(path), "--db", str(db))
    assert (status, errors) == (0, [])
    assert stored_ids(db) == ["after", "huge"]


def test_a_value_the_store_cannot_hold_is_that_articles_error_and_keeps_its_old_version(
        tmp_path: Path) -> None:
    """Whatever value slips past the stages, storing it fails for that article alone."""
    from whodid import Article, Quantity, Store
    from whodid.store import ArticleNotStored

    text = "Police arrested 600 protesters."
    article = Article(id="q", source="q.txt", raw_text=text, text=text, content_hash="1",
                      quantities=[Quantity("600 protesters", 16, 30, 600, "protester")])
    with Store(tmp_path / "w.db") as store:
        store.save_article(article, None, "1")
        before = store.count_rows()
        article.quantities[0].value = 10**20
        with pytest.raises(ArticleNotStored, match="'q' cannot be stored: OverflowError"):
            store.save_article(article, None, "1")
        assert store.count_rows() == before
        values = store.connection.execute("SELECT value FROM quantities").fetchall()
        assert [tuple(r) for r in values] == [(600,)]


@pytest.mark.parametrize("bom", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".json"])
def test_utf16_files_with_a_byte_order_mark_are_decoded(tmp_path: Path, bom: str,
                                                        suffix: str) -> None:
    """Reproduced: UTF-16 files were rejected as "binary file, not text (it holds NUL bytes)"."""
    from whodid import Article, load_options, read_inputs

    text = "Erdoğan met Barzani in Ankara on Monday."
    body = {".txt": f"Headline\n\n{text}\n", ".jsonl": json.dumps({"text": text}) + "\n",
            ".json": json.dumps([{"text": text}])}[suffix]
    path = tmp_path / f"wide{suffix}"
    encoded = body.encode(bom)
    path.write_bytes(encoded if bom == "utf-16" else b"\xfe\xff" + encoded)
    (article,) = read_inputs([str(path)], load_options())
    assert isinstance(article, Article) and text in article.raw_text


def write_reports(tmp_path: Path, name: str = "report.txt") -> tuple[Path, Path]:
    """Write a/NAME and b/NAME under ``tmp_path``, two articles; return their paths."""
    paths = []
    for folder, text in (("a", "Iraq and Iran met."), ("b", "Turkey and Syria met.")):
        (tmp_path / folder).mkdir(parents=True)
        paths.append(tmp_path / folder / name)
        paths[-1].write_text(f"Headline\n\n{text}")
    return paths[0], paths[1]


def path_digest(path: Path) -> str:
    """Return the 8 hex digits an article id made from ``path``'s name takes when another
    source holds the name: of the SHA-256 of its absolute path."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]


def stored_sources(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT id, source FROM articles").fetchall())


def stored_text(db: Path, article_id: str) -> str:
    with sqlite3.connect(db) as connection:
        return str(connection.execute("SELECT text FROM articles WHERE id = ?",
                                      (article_id,)).fetchone()[0])


def test_same_named_files_from_two_folders_in_two_runs_do_not_replace_each_other(
        tmp_path: Path) -> None:
    """Reproduced: a/report.txt then b/report.txt in separate runs (two input roots): the second
    silently replaced the first (both had the id 'report'). Each is re-coded in place when it
    changes, and a run of both again stores nothing new."""
    a, b = write_reports(tmp_path)
    db = tmp_path / "w.db"
    assert code(str(tmp_path / "a"), "--db", str(db))[:2] == (0, [])
    assert code(str(tmp_path / "b"), "--db", str(db))[:2] == (0, [])
    b_id = f"report-{path_digest(b)}"
    assert stored_sources(db) == {"report": str(a), b_id: str(b)}
    a.write_text("Headline\n\nIraq and Iran met again.")
    b.write_text("Headline\n\nTurkey and Syria met again.")
    for path in (a, b):  # the same file edited is re-coded in place, not a collision
        assert code(str(path), "--db", str(db))[:2] == (0, [])
    assert stored_sources(db) == {"report": str(a), b_id: str(b)}
    assert "Iran met again" in stored_text(db, "report")
    assert "Syria met again" in stored_text(db, b_id)
    status, errors, summary = code(str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(db))
    assert (status, errors) == (0, []) and "0 articles coded, 2 unchanged" in summary


def test_a_corpus_coded_again_by_another_path_is_not_stored_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The id of a file stays its own whether the corpus is named by a relative or an absolute
    path: unchanged files are skipped and an edited one is re-coded in place."""
    _, b = write_reports(tmp_path / "corpus")
    db = tmp_path / "w.db"
    monkeypatch.chdir(tmp_path)
    assert code("corpus", "--db", str(db))[:2] == (0, [])
    assert set(stored_sources(db).values()) == {"corpus/a/report.txt", "corpus/b/report.txt"}
    status, errors, summary = code(str(tmp_path / "corpus"), "--db", str(db))
    assert (status, errors) == (0, []) and "2 unchanged" in summary
    b.write_text("Headline\n\nTurkey and Syria met again.")
    assert code(str(tmp_path / "corpus"), "--db", str(db))[:2] == (0, [])
    assert sorted(stored_sources(db)) == ["report", f"report-{path_digest(b)}"]
    assert "Syria met again" in stored_text(db, f"report-{path_digest(b)}")


def test_jsonl_files_of_one_name_without_ids_are_told_apart(tmp_path: Path) -> None:
    a, b = (tmp_path / "a" / "batch.jsonl", tmp_path / "b" / "batch.jsonl")
    for path, text in ((a, "Iraq and Iran met."), (b, "Turkey and Syria met.")):
        path.parent.mkdir()
        write_jsonl(path, [json.dumps({"text": text})])
    db = tmp_path / "w.db"
    for path in (a, b, a, b):
        assert code(str(path), "--db", str(db))[:2] == (0, [])
    assert stored_sources(db) == {"batch-1": f"{a}:1", f"batch-1-{path_digest(b)}": f"{b}:1"}


@pytest.mark.parametrize("second_run", [False, True])
def test_an_id_given_by_two_sources_is_a_collision_reported_and_skipped(
        tmp_path: Path, second_run: bool) -> None:
    """Ids an input gives are its own: two files giving one id to two texts collide (in one run
    or two), and the second is reported, the first kept."""
    first = write_jsonl(tmp_path / "first.jsonl", [json.dumps({"id": "x", "text": "Iraq met."})])
    second = write_jsonl(tmp_path / "second.jsonl", [
        json.dumps({"id": "x", "text": "Turkey met."})])
    db = tmp_path / "w.db"
    if second_run:
        assert code(str(first), "--db", str(db))[:2] == (0, [])
        status, errors, _ = code(str(second), "--db", str(db))
        holder = f"stored from {first}:1"
    else:
        status, errors, _ = code(str(first), str(second), "--db", str(db))
        holder = f"first read from {first}:1"
    assert status == (1 if second_run else 0)
    assert errors == [f"error: {second}:1: duplicate article id 'x' ({holder}); skipped (give "
                      "one of them another id)"]
    assert stored_sources(db) == {"x": f"{first}:1"}


def test_a_file_named_twice_in_one_run_is_coded_once(tmp_path: Path) -> None:
    a, _ = write_reports(tmp_path)
    db = tmp_path / "w.db"
    status, errors, _ = code(str(tmp_path / "a"), str(a), "--db", str(db))
    assert status == 0
    assert errors == [f"error: {a}: duplicate article id 'report' (first read from {a}); skipped "
                      "(give one of them another id)"]
    assert stored_sources(db) == {"report": str(a)}


def test_two_stdin_texts_in_two_runs_are_two_articles(tmp_path: Path) -> None:
    """Reproduced: every stdin text had the id 'stdin': the second run replaced the first."""
    db = tmp_path / "w.db"
    for text in ("Iraq and Iran met.", "Turkey and Syria met."):
        result = CliRunner().invoke(main, ["code", "-", "--db", str(db)], input=text)
        assert result.exit_code == 0, result.output
    ids = stored_ids(db)
    assert len(ids) == 2 and all(i.startswith("stdin-") for i in ids)


def test_an_article_over_the_sane_size_is_refused_saying_why(tmp_path: Path) -> None:
    """Reproduced: a 990 kB article (under the 1 MB limit) took 241 s and 3.4 GB: coding cost
    grew faster than length. It is linear now (1 MB: 35 CPU s, 810 MB; see
    test_big_articles.py), so the limit is 1 MB again, and says why."""
    text = (SEEDS / "001_498e05537b24f498.txt").read_text("utf-8")
    big = "\n\n".join([text] * (1_200_000 // len(text) + 1))
    path = write_jsonl(tmp_path / "big.json", [json.dumps([{"id": "big", "text": big}])])
    from whodid import load_options, read_inputs

    (error,) = read_inputs([str(path)], load_options())
    assert str(error).startswith(f"{path}: too large for one article (1.2 MB; the limit is 1.0 "
                                 "MB, option max_article_bytes: a news article is rarely over "
                                 "0.1 MB, and coding takes about 35 s and 0.8 GB a MB)")
