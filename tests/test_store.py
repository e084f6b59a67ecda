"""The store: migrations, WAL, idempotent re-coding, replacement of changed articles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from whodid import Article, Event, Mention, Participant, RemovedSpan, Sentence, Store
from whodid.store import MIGRATIONS, StoreError


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
