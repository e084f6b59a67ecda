"""The store: one whodid SQLite database, opened for coding runs, articles and actors.

Opening a ``Store`` migrates the database to the current schema (``whodid.store.schema``). The
database runs in WAL mode; one process writes. Each article is written in one transaction that
first deletes the article's old rows (child tables cascade), so a run killed at any point leaves
every article either fully stored or not at all, and re-coding replaces rows. Reading the events
is ``whodid.store.queries``; the few query methods here delegate to it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from whodid.model import Article, Event, InputError, Mention, Participant
from whodid.store import queries
from whodid.store.clusters import clusters_of_article, drop_empty_clusters, link_event
from whodid.store.queries import EventFilter
from whodid.store.schema import SchemaError, applied_migrations, check_schema, migrate, now

# The events columns that save_article writes, in the order of _event_row.
EVENT_COLUMNS = (
    "id", "article_id", "idx", "sentence", "span_start", "span_end", "evidence", "cameo", "plover",
    "mode", "goldstein", "quad_class",
    "source_text", "source_name", "source_code", "source_country", "source_sector", "source_kb_id",
    "target_text", "target_name", "target_code", "target_country", "target_sector", "target_kb_id",
    "date", "date_precision", "location_name", "location_country", "lat", "lon", "geonameid",
    "negated", "confidence", "trigger", "trigger_start", "trigger_end", "repeat_of", "quantities",
    "incomplete", "method",
)
DATA_TABLES = ("articles", "sentences", "removed_spans", "mentions", "dates", "places",
               "quantities", "events", "runs")


class StoreError(Exception):
    """The database cannot be opened or used."""


class ArticleNotStored(Exception):
    """One article's rows could not be stored (a value SQLite cannot hold); nothing of it was
    written and the database is usable: the article's error, not the run's end."""


# What a bad value in one article raises while its rows are inserted; a full disk or a broken
# database (sqlite3.OperationalError, DatabaseError) is the run's end, not the article's.
ARTICLE_VALUE_ERRORS = (OverflowError, ValueError, TypeError, sqlite3.IntegrityError,
                        sqlite3.InterfaceError, sqlite3.DataError)


class Store:
    """A whodid SQLite database, migrated to the current schema when opened."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        """Open the database at ``path``: for writing, creating and migrating it as needed;
        ``read_only``, never writing (a read-only mount, an immutable copy). Raise StoreError
        when it is not a usable whodid database (missing or empty when read-only, not SQLite,
        from a newer whodid, unreadable). A database on a read-only mount opens read-only."""
        self.path = Path(path)
        _check_database_file(self.path, read_only)
        try:
            if read_only:
                self.connection = _open_read_only(self.path)
            else:
                self.connection = _open_for_writing(self.path)
            check_schema(self.connection, writable=not read_only)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable whodid database ({e})") from e
        except SchemaError as e:
            raise StoreError(f"{self.path}: {e}") from e

    def __enter__(self) -> Store:
        """Return the store itself; leaving the ``with`` block closes it."""
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Close the connection, whether or not the block raised."""
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; return their numbers."""
        return migrate(self.connection)

    def applied_migrations(self) -> list[tuple[int, str]]:
        """Return (number, name) of every applied migration, in order."""
        return applied_migrations(self.connection)

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str], options: dict[str, Any], version: str,
                  process: tuple[int, str] | None = None) -> int:
        """Record the start of a coding run of ``inputs`` with ``options`` by whodid
        ``version`` in ``process`` (pid, host) if given; return its id."""
        pid, host = process if process else (None, None)
        cursor = self.connection.execute(
            "INSERT INTO runs (started_at, status, whodid_version, inputs, options, pid, host) "
            "VALUES (?, 'running', ?, ?, ?, ?, ?)",
            (now(), version, json.dumps(list(inputs)), json.dumps(options), pid, host),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def running_runs(self) -> list[tuple[int, int | None, str | None]]:
        """Return (id, pid, host) of every run recorded as running."""
        rows = self.connection.execute("SELECT id, pid, host FROM runs WHERE status = 'running'")
        return [(row[0], row[1], row[2]) for row in rows]

    def mark_interrupted(self, run_ids: Iterable[int]) -> None:
        """Record the runs ``run_ids`` (whose process is gone) as interrupted."""
        self.connection.executemany(
            "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'",
            [(run_id,) for run_id in run_ids])

    def record_run_error(self, run_id: int, error: InputError) -> None:
        """Append ``error`` to the run's error log (committed at once: a killed run keeps it)."""
        self.connection.execute(
            "UPDATE runs SET errors = errors + 1, error_log = json_insert(error_log, '$[#]', ?) "
            "WHERE id = ?",
            (str(error), run_id),
        )

    def finish_run(self, run_id: int, counts: dict[str, int], seconds: float) -> None:
        """Record the end of a run with its counts (articles, unchanged, sentences, events)."""
        self.connection.execute(
            "UPDATE runs SET finished_at = ?, status = 'finished', articles = ?, unchanged = ?, "
            "sentences = ?, events = ?, seconds = ? WHERE id = ?",
            (now(), counts["articles"], counts["unchanged"], counts["sentences"],
             counts["events"], seconds, run_id),
        )

    def runs(self) -> list[dict[str, Any]]:
        """Return every run as a dict, newest first, with its inputs and error log as lists."""
        rows = self.connection.execute("SELECT * FROM runs ORDER BY id DESC")
        result = []
        for row in rows:
            run = dict(row)
            run["error_log"] = json.loads(run["error_log"])
            run["inputs"] = json.loads(run["inputs"])
            result.append(run)
        return result

    # -- articles -----------------------------------------------------------------------------

    def is_current(self, article_id: str, content_hash: str, version: str) -> bool:
        """Return True when the article is stored with this content hash and pipeline version."""
        row = self.connection.execute(
            "SELECT 1 FROM articles WHERE id = ? AND content_hash = ? AND pipeline_version = ?",
            (article_id, content_hash, version),
        ).fetchone()
        return row is not None

    def article_source(self, article_id: str) -> str | None:
        """Return the source (file, ``<stdin>``) the stored article ``article_id`` was read
        from, or None when no such article is stored."""
        row = self.connection.execute("SELECT source FROM articles WHERE id = ?",
                                      (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def save_article(self, article: Article, run_id: int | None, version: str,
                     line: str | None = None) -> None:
        """Store ``article`` (coded by ``version``, in run ``run_id`` if any) and everything
        found in it, replacing any earlier rows of its id, in one transaction; link its
        non-negated events to the cross-article events they report. ``line``: the JSON of
        ``article.to_dict()`` when the caller has made it (made here otherwise). Raise
        ArticleNotStored (nothing of it written, its old version kept) when a value cannot be
        stored."""
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            touched = clusters_of_article(db, article.id)
            db.execute("DELETE FROM events_text WHERE event_id IN (SELECT id FROM events "
                       "WHERE article_id = ?)", (article.id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            drop_empty_clusters(db, touched)  # events the old version of the article alone had
            _insert_article(db, article, run_id, version, line)
            _insert_article_parts(db, article)
            _insert_events(db, article)
            for event in article.events:
                if not event.negated:
                    link_event(db, event)
            db.execute("COMMIT")
        except BaseException as e:
            if db.in_transaction:  # SQLite may have rolled back itself (disk full)
                db.execute("ROLLBACK")
            if isinstance(e, ARTICLE_VALUE_ERRORS):
                raise ArticleNotStored(f"article {article.id!r} cannot be stored: "
                                       f"{type(e).__name__}: {e}") from e
            raise

    def article_json(self, article_id: str) -> dict[str, Any] | None:
        """Return the stored ``Article.to_dict()`` of ``article_id``, or None."""
        return queries.article_json(self.connection, article_id)

    def count_rows(self) -> dict[str, int]:
        """Return the number of rows of each data table (DATA_TABLES)."""
        return {t: self.connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in DATA_TABLES}

    def article_ids(self) -> list[str]:
        """Return the ids of all stored articles, sorted."""
        return [row[0] for row in self.connection.execute("SELECT id FROM articles ORDER BY id")]

    # -- actors -------------------------------------------------------------------------------

    def add_actor_records(self, records: Iterable[dict[str, Any]], origin: str) -> int:
        """Store user-added or imported actor records (``origin`` user or petrarch), replacing
        those of the same id; return how many were stored."""
        rows = [(str(r["id"]), origin, str(r["name"]), r.get("code") or _last_role_code(r),
                 json.dumps(r, ensure_ascii=False, default=str), now()) for r in records]
        self.connection.executemany(
            "INSERT OR REPLACE INTO actors (id, origin, name, code, record, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def remember_actors(self, records: Iterable[dict[str, Any]], article_id: str,
                        seen: str | None) -> None:
        """Store actors learned from ``article_id`` (dated ``seen``); the first article that
        taught one is kept."""
        self.connection.executemany(
            "INSERT OR IGNORE INTO actors (id, origin, name, code, record, first_article, "
            "first_seen, added_at) VALUES (?, 'learned', ?, ?, ?, ?, ?, ?)",
            [(str(r["id"]), str(r["name"]), _last_role_code(r),
              json.dumps(r, ensure_ascii=False, default=str), article_id, seen, now())
             for r in records])

    def actor_records(self, origins: Sequence[str] = ("user", "petrarch", "learned")
                      ) -> list[dict[str, Any]]:
        """Return the stored actor records of ``origins`` with their origin, first article and
        first date, by origin and name."""
        marks = ", ".join("?" for _ in origins)
        rows = self.connection.execute(
            f"SELECT origin, record, first_article, first_seen FROM actors WHERE origin IN "
            f"({marks}) ORDER BY origin, name", tuple(origins))
        result = []
        for row in rows:
            record = dict(json.loads(row["record"]))
            record["origin"] = row["origin"]
            if row["first_article"]:
                record["first_article"] = row["first_article"]
                record["first_seen"] = row["first_seen"]
            result.append(record)
        return result

    # -- events (see whodid.store.queries) ------------------------------------------------------

    def query_mentions(self, where: EventFilter, limit: int | None = None
                       ) -> Iterator[dict[str, Any]]:
        """Yield the event mentions that pass ``where`` (``queries.query_mentions``)."""
        return queries.query_mentions(self.connection, where, limit)

    def query_mention_details(self, where: EventFilter) -> Iterator[dict[str, Any]]:
        """Yield every column of the event mentions that pass ``where`` with their article's
        fields (``queries.query_mention_details``)."""
        return queries.query_mention_details(self.connection, where)

    def query_events(self, where: EventFilter, limit: int | None = None,
                     details: bool = False, order: str = "oldest") -> Iterator[dict[str, Any]]:
        """Yield the cross-article events with a mention that passes ``where``, in ``order``
        (``queries.query_events``)."""
        return queries.query_events(self.connection, where, limit, details, order)


SQLITE_HEADER = b"SQLite format 3\x00"


def _check_database_file(path: Path, read_only: bool) -> None:
    """Raise StoreError when ``path`` cannot be a whodid database: missing or empty when only
    read (reading must not create one), or a file that is not SQLite."""
    if not path.exists():
        if read_only:
            raise StoreError(f"{path}: no such database; run 'whodid code' first")
        return
    if path.is_dir():
        raise StoreError(f"{path}: a folder, not a database file")
    with path.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if not header:
        if read_only:
            raise StoreError(f"{path}: empty file (0 bytes), not a whodid database")
        return
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: not a usable whodid database (not SQLite: its first "
                         f"bytes are {header[:8]!r})")


def _open_for_writing(path: Path) -> sqlite3.Connection:
    """Return a connection to ``path`` in WAL mode, migrated; read-only when the file cannot
    be written (a read-only mount)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as e:
        connection.close()
        if path.exists() and ("readonly" in str(e) or "unable to open" in str(e)):
            return _open_read_only(path)
        raise
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    migrate(connection)
    return connection


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Return a read-only connection to ``path``: WAL-aware when its ``-shm`` can be used,
    else (a read-only mount without one) as an immutable file."""
    uri = path.resolve().as_uri()
    for mode in ("?mode=ro", "?mode=ro&immutable=1"):
        connection = sqlite3.connect(uri + mode, uri=True, isolation_level=None, timeout=30)
        try:
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            connection.close()
            if mode.endswith("immutable=1"):
                raise
            continue
        connection.row_factory = sqlite3.Row
        return connection
    raise AssertionError("unreachable")


def article_line(article: Article) -> str:
    """Return the JSON of ``article.to_dict()`` on one line: what the store keeps and
    ``whodid code --out`` writes."""
    return json.dumps(article.to_dict(), ensure_ascii=False)


def _insert_article(db: sqlite3.Connection, article: Article, run_id: int | None,
                    version: str, line: str | None = None) -> None:
    """Insert the ``articles`` row of ``article`` with its whole JSON (``line`` when given)."""
    db.execute(
        "INSERT INTO articles (id, source, title, published, outlet, url, dateline_place,"
        " text, content_hash, pipeline_version, sentence_count, event_count, run_id,"
        " coded_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article.id, article.source, article.title, article.published, article.outlet,
         article.url, article.dateline.place if article.dateline else None, article.text,
         article.content_hash, version, len(article.sentences), len(article.events),
         run_id, now(), line if line is not None else article_line(article)),
    )


def _insert_article_parts(db: sqlite3.Connection, article: Article) -> None:
    """Insert the rows of the article's sentences, removed spans, mentions, dates, quantities
    and places."""
    db.executemany(
        'INSERT INTO sentences (article_id, idx, start, "end", text) VALUES (?, ?, ?, ?, ?)',
        [(article.id, i, s.start, s.end, s.text) for i, s in enumerate(article.sentences)],
    )
    db.executemany(
        'INSERT INTO removed_spans (article_id, start, "end", reason, text) '
        "VALUES (?, ?, ?, ?, ?)",
        [(article.id, r.start, r.end, r.reason, r.text) for r in article.removed],
    )
    db.executemany(
        'INSERT INTO mentions (article_id, idx, start, "end", text, label, name, code, '
        "country, sector, ethnicity, religion, kb_id, resolved_by, members) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_mention_row(article.id, i, m) for i, m in enumerate(article.mentions)],
    )
    db.executemany(
        'INSERT INTO dates (article_id, idx, start, "end", text, date, precision) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(article.id, i, d.start, d.end, d.text, d.date, d.precision)
         for i, d in enumerate(article.dates)],
    )
    db.executemany(
        'INSERT INTO quantities (article_id, idx, start, "end", text, value, unit, '
        "qualifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(article.id, i, q.start, q.end, q.text, q.value, q.unit, q.qualifier)
         for i, q in enumerate(article.quantities)],
    )
    db.executemany(
        'INSERT INTO places (article_id, idx, start, "end", text, name, country, admin1, '
        "lat, lon, geonameid, feature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article.id, i, p.start, p.end, p.text, p.name, p.country, p.admin1, p.lat,
          p.lon, p.geonameid, p.feature) for i, p in enumerate(article.places)],
    )


def _insert_events(db: sqlite3.Connection, article: Article) -> None:
    """Insert the article's events and their evidence into the full-text index."""
    placeholders = ", ".join("?" for _ in EVENT_COLUMNS)
    db.executemany(
        f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({placeholders})",
        [_event_row(article.id, i, e) for i, e in enumerate(article.events)],
    )
    db.executemany("INSERT INTO events_text (event_id, evidence) VALUES (?, ?)",
                   [(e.id, e.evidence) for e in article.events])


def _last_role_code(record: dict[str, Any]) -> str | None:
    """Return the actor code of the record's last role, or None when it has no roles."""
    roles = record.get("roles") or []
    return str(roles[-1]["code"]) if roles else None


def _mention_row(article_id: str, index: int, mention: Mention) -> tuple[Any, ...]:
    """Return the ``mentions`` row of the ``index``-th mention of ``article_id``."""
    actor = mention.actor
    members = json.dumps([m.to_dict() for m in mention.members]) if mention.members else None
    return (article_id, index, mention.start, mention.end, mention.text, mention.label,
            *(getattr(actor, key) if actor else None
              for key in ("name", "code", "country", "sector", "ethnicity", "religion", "kb_id")),
            mention.resolved_by, members)


def _participant_values(participant: Participant | None) -> tuple[Any, ...]:
    """Return the text, name, code, country, sector and kb_id of an event's source or target
    (all None when it has none)."""
    keys = ("text", "name", "code", "country", "sector", "kb_id")
    return tuple(getattr(participant, key) if participant else None for key in keys)


def _event_row(article_id: str, index: int, event: Event) -> tuple[Any, ...]:
    """Return the ``events`` row (EVENT_COLUMNS) of the ``index``-th event of ``article_id``."""
    location = event.location
    return (
        event.id, article_id, index, event.sentence, event.span[0], event.span[1], event.evidence,
        event.cameo, event.plover, event.mode, event.goldstein, event.quad_class,
        *_participant_values(event.source), *_participant_values(event.target),
        event.date, event.date_precision,
        location.name if location else None, location.country if location else None,
        location.lat if location else None, location.lon if location else None,
        location.geonameid if location else None,
        int(event.negated), event.confidence, event.trigger,
        event.trigger_span[0] if event.trigger_span else None,
        event.trigger_span[1] if event.trigger_span else None, event.repeat_of,
        json.dumps([q.to_dict() for q in event.quantities]) if event.quantities else None,
        int(event.incomplete), event.method,
    )
