"""The store: migrations, WAL, idempotent re-coding, replacement of changed articles."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from whodid import Article, Event, Mention, Participant, RemovedSpan, Sentence, Store
from whodid.store import MIGRATIONS, StoreError

from .conftest import REPO


def article(text: str = "Iraq and Iran met.", events: int = 1) -> Article:
    return Article(
        id="a1", source="a1.txt", raw_text="Title\n" + text, title="Title", text=text,
        removed=[RemovedSpan(0, 6, "title", "Title\n")],
        sentences=[Sentence(0, len(text), text)],
        mentions=[Mention("Iraq", 0, 4, "GPE")],
        events=[Event(id=f"a1-{i}", sentence=0, span=(0, len(text)), evidence=text, cameo="040",
                      source=Participant("Iraq", code="IRQ"), target=Participant("Iran",
                      code="IRN"), confidence=0.7) for i in range(events)],
        content_hash=text,
    )


def test_a_new_database_is_migrated_in_wal_mode_and_records_its_migrations(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        assert [n for n, _ in store.applied_migrations()] == [m.number for m in MIGRATIONS]
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.migrate() == []  # nothing left to apply
    with Store(tmp_path / "w.db") as again:  # reopening applies nothing twice
        assert len(again.applied_migrations()) == len(MIGRATIONS)


def test_saving_an_article_twice_leaves_one_copy_of_every_row(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        store.save_article(article(), None, "1")
        first = store.count_rows()
        store.save_article(article(), None, "1")
        assert store.count_rows() == first
        assert first["articles"] == 1 and first["events"] == 1 and first["mentions"] == 1
        assert first["removed_spans"] == 1 and first["sentences"] == 1


def test_a_changed_article_replaces_its_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        store.save_article(article(events=2), None, "1")
        store.save_article(article("Iraq and Iran fought.", events=1), None, "1")
        assert store.count_rows()["events"] == 1
        stored = store.article_json("a1")
        assert stored is not None and stored["text"] == "Iraq and Iran fought."


def test_is_current_compares_hash_and_pipeline_version(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        store.save_article(article(), None, "1")
        assert store.is_current("a1", "Iraq and Iran met.", "1")
        assert not store.is_current("a1", "something else", "1")
        assert not store.is_current("a1", "Iraq and Iran met.", "2")
        assert not store.is_current("b2", "Iraq and Iran met.", "1")


def test_the_stored_json_is_the_article_to_dict(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        store.save_article(article(), None, "1")
        assert store.article_json("a1") == article().to_dict()
        assert store.article_json("missing") is None


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match=r"notes\.db: not a usable whodid database"):
        Store(path)


def test_values_are_parameterised_not_spliced(tmp_path: Path) -> None:
    hostile = article("Robert'); DROP TABLE articles;--")
    with Store(tmp_path / "w.db") as store:
        store.save_article(hostile, None, "1")
        assert store.count_rows()["articles"] == 1
        assert store.connection.execute("SELECT text FROM articles").fetchone()[0] == hostile.text
        with pytest.raises(sqlite3.IntegrityError):
            store.connection.execute("INSERT INTO sentences VALUES ('nope', 0, 0, 1, 'x')")


def test_recoding_an_article_with_a_new_date_replaces_it_and_its_cross_article_events(
        tmp_path: Path) -> None:
    """Reproduced: the same id and text with a new ``published`` (so new event dates) failed
    with "UNIQUE constraint failed: event_clusters.id" on every re-run; the old version stayed."""
    first, other = article(), article()
    other.id, other.source = "a2", "a2.txt"
    for event in other.events:
        event.id = "other-" + event.id
    with Store(tmp_path / "w.db") as store:
        store.save_article(first, None, "1")
        store.save_article(other, None, "1")  # joins a1's cross-article event: it lives on
        for published in ("2020-01-01", "2021-06-01"):
            changed = article()
            changed.published = published
            changed.content_hash = published
            for event in changed.events:
                event.date, event.date_precision = published, "day"
            store.save_article(changed, None, "1")
            rows = store.connection.execute("SELECT published FROM articles WHERE id = 'a1'")
            assert [r[0] for r in rows] == [published]
        clusters = store.connection.execute(
            "SELECT COUNT(*) FROM event_clusters c WHERE NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.cluster_id = c.id)").fetchone()[0]
        assert clusters == 0  # no cross-article event is left without a mention


def whodid_cli(*args: str) -> tuple[int, str]:
    """Run the whodid command line in-process; return its exit code and all its output."""
    from click.testing import CliRunner

    from whodid.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output + (f"\n{result.exception!r}" if
                                              result.exc_info and result.exit_code != 1 else "")


def stored_database(folder: Path) -> Path:
    """A database with one stored article, closed (its WAL checkpointed away)."""
    db = folder / "w.db"
    with Store(db) as store:
        store.save_article(article(), None, "1")
    return db


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file (0 bytes), not a whodid database"),
    (b"%PDF-1.4\n" + bytes(range(200)),
     "not a usable whodid database (not SQLite: its first bytes are b'%PDF-1.4')"),
])
@pytest.mark.parametrize("command", ["events", "stats"])
def test_reading_a_file_that_is_no_database_is_one_error_and_creates_nothing(
        tmp_path: Path, content: bytes, message: str, command: str) -> None:
    """Reproduced: `events` on a 0-byte file silently created a database; on a PDF it ended in
    a traceback."""
    db = tmp_path / "w.db"
    db.write_bytes(content)
    status, output = whodid_cli(command, "--db", str(db))
    assert status == 1
    assert output.strip() == f"Error: {db}: {message}"
    assert db.read_bytes() == content


def test_a_database_of_a_newer_whodid_is_refused_before_anything_is_coded(
        tmp_path: Path) -> None:
    """Reproduced: a database with a migration this whodid does not know was coded into (and
    crashed at save)."""
    db = stored_database(tmp_path)
    newer = len(MIGRATIONS) + 1
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO migrations VALUES (?, 'from the future', '2030')",
                           (newer,))
    expected = (f"{db}: made by a newer whodid (schema migration {newer}; this whodid knows up "
                f"to {len(MIGRATIONS)}): upgrade whodid to use it")
    for read_only in (False, True):
        with pytest.raises(StoreError) as error:
            Store(db, read_only=read_only)
        assert str(error.value) == expected
    status, output = whodid_cli("code", "-", "--db", str(db))
    assert status == 1 and output.strip() == f"Error: {expected}"


def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) as root of a new user and mount namespace, where it may mount a
    read-only bind or a tiny tmpfs; skip when this system has no unprivileged namespaces."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) for a user and mount namespace")
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unprivileged user namespaces are disabled here")
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           script], capture_output=True, text=True, env=environment)


def test_every_read_command_works_on_a_read_only_mount(tmp_path: Path) -> None:
    """Reproduced: on a read-only mount every read command failed ("not a usable whodid
    database ... unable to open database file")."""
    source, mounted = tmp_path / "source", tmp_path / "ro"
    source.mkdir()
    mounted.mkdir()
    stored_database(source)
    whodid = f"{sys.executable} -m whodid"
    db = mounted / "w.db"
    result = in_namespace(
        f"mount --bind -o ro {source} {mounted} && {whodid} events --db {db} --format jsonl && "
        f"{whodid} stats --db {db} --format json && {whodid} article a1 --db {db} && "
        f"{whodid} actors --db {db} --origin user")
    assert result.returncode == 0, result.stderr
    assert '"cameo": "040"' in result.stdout
    assert sorted(p.name for p in source.iterdir()) == ["w.db"]


def test_a_full_disk_ends_the_run_with_disk_is_full_and_keeps_what_was_stored(
        tmp_path: Path) -> None:
    """Reproduced: a full disk ended with "cannot rollback - no transaction is active" (and a
    traceback) instead of saying the disk is full."""
    disk = tmp_path / "disk"
    disk.mkdir()
    corpus = tmp_path / "corpus.jsonl"
    text = (REPO / "examples" / "seeds" / "001_498e05537b24f498.txt").read_text("utf-8")
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Report {i}.\n\n" + text})
                              + "\n" for i in range(30)), "utf-8")
    db = disk / "w.db"
    result = in_namespace(
        f"mount -t tmpfs -o size=700k tmpfs {disk} && "
        f"{sys.executable} -m whodid code {corpus} --db {db}; echo status=$?; "
        f"{sys.executable} -c \"import sqlite3; c = sqlite3.connect('{db}'); "
        f"print(c.execute('PRAGMA integrity_check').fetchone()[0], "
        f"c.execute('SELECT COUNT(*) FROM articles').fetchone()[0])\"")
    assert "status=1" in result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"Error: {db}: database or disk is full")
    integrity, count = result.stdout.split()[-2:]
    assert integrity == "ok" and 0 < int(count) < 30
