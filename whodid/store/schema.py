"""The schema of a whodid database: its tables, built by numbered, named migrations.

Each migration is applied in its own transaction and recorded in the ``migrations`` table
(number, name, time), so opening a database of any earlier version brings it up to date and
opening a current one changes nothing. A schema change is a new migration at the end of
``MIGRATIONS``; an applied one is never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

ARTICLE_TABLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    outlet TEXT,
    url TEXT,
    dateline_place TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    sentence_count INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    coded_at TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE removed_spans (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    reason TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX removed_spans_article ON removed_spans(article_id);
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    name TEXT,
    code TEXT,
    country TEXT,
    sector TEXT,
    ethnicity TEXT,
    religion TEXT,
    kb_id TEXT,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX mentions_code ON mentions(code);
CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    name TEXT,
    country TEXT,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    geonameid INTEGER,
    feature TEXT,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    cameo TEXT NOT NULL,
    plover TEXT,
    mode TEXT,
    goldstein REAL,
    quad_class INTEGER,
    source_text TEXT, source_name TEXT, source_code TEXT, source_country TEXT,
    source_sector TEXT, source_kb_id TEXT,
    target_text TEXT, target_name TEXT, target_code TEXT, target_country TEXT,
    target_sector TEXT, target_kb_id TEXT,
    date TEXT,
    date_precision TEXT,
    location_name TEXT, location_country TEXT, lat REAL, lon REAL, geonameid INTEGER,
    negated INTEGER NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_cameo ON events(cameo);
"""

RUN_TABLE = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    whodid_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    options TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    sentences INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    error_log TEXT NOT NULL DEFAULT '[]',
    seconds REAL
);
"""

ACTOR_TABLE = """
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    record TEXT NOT NULL,
    first_article TEXT,
    first_seen TEXT,
    added_at TEXT NOT NULL
);
ALTER TABLE mentions ADD COLUMN resolved_by TEXT;
ALTER TABLE mentions ADD COLUMN members TEXT
"""


EVENT_TRIGGERS = """
ALTER TABLE events ADD COLUMN trigger TEXT;
ALTER TABLE events ADD COLUMN trigger_start INTEGER;
ALTER TABLE events ADD COLUMN trigger_end INTEGER;
ALTER TABLE events ADD COLUMN repeat_of TEXT
"""


DATE_TABLE = """
CREATE TABLE dates (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    date TEXT NOT NULL,
    precision TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX dates_date ON dates(date)
"""


QUANTITY_TABLE = """
CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value INTEGER NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT,
    PRIMARY KEY (article_id, idx)
);
ALTER TABLE events ADD COLUMN quantities TEXT
"""


CLUSTER_TABLES = """
CREATE TABLE event_clusters (
    id TEXT PRIMARY KEY,
    source_key TEXT NOT NULL,
    target_key TEXT NOT NULL,
    root TEXT NOT NULL,
    date TEXT,
    date_precision TEXT,
    location_country TEXT
);
CREATE INDEX event_clusters_key ON event_clusters(source_key, target_key, root);
ALTER TABLE events ADD COLUMN cluster_id TEXT;
CREATE INDEX events_cluster ON events(cluster_id);
CREATE VIRTUAL TABLE events_text USING fts5(event_id UNINDEXED, evidence)
"""


RUN_PROCESS = """
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT
"""


# Existing rows were coded before the policy: they count as complete.
EVENT_INCOMPLETE = """
ALTER TABLE events ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0
"""


# Existing rows were coded by the rules alone.
EVENT_METHOD = """
ALTER TABLE events ADD COLUMN method TEXT NOT NULL DEFAULT 'rules'
"""


@dataclass(frozen=True)
class Migration:
    """A numbered, named schema change."""

    number: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """Return a migration body that runs the ``;``-separated statements of ``sql`` in order."""

    def apply(connection: sqlite3.Connection) -> None:
        """Run the statements on ``connection``."""
        for statement in sql.split(";"):
            if statement.strip():
                connection.execute(statement)

    return apply


# runs first: articles reference it.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create runs", _script(RUN_TABLE)),
    Migration(2, "create articles, sentences, removed spans, mentions, places, events",
              _script(ARTICLE_TABLES)),
    Migration(3, "create actors (user-added, imported, learned); mentions say how resolved",
              _script(ACTOR_TABLE)),
    Migration(4, "events: trigger word and span; repeat_of for repeated mentions of one event",
              _script(EVENT_TRIGGERS)),
    Migration(5, "create dates: the resolved date mentions of each article", _script(DATE_TABLE)),
    Migration(6, "create quantities; events keep the tolls they count (JSON)",
              _script(QUANTITY_TABLE)),
    Migration(7, "cross-article events (clusters of mentions); full-text index of evidence",
              _script(CLUSTER_TABLES)),
    Migration(8, "runs: the process and host that run them, to tell a killed run",
              _script(RUN_PROCESS)),
    Migration(9, "events: incomplete (a side the category needs is missing)",
              _script(EVENT_INCOMPLETE)),
    Migration(10, "events: method (rules, or the classifier's rescue of an uncoded sentence)",
              _script(EVENT_METHOD)),
)


class SchemaError(Exception):
    """The database's schema is not one this whodid can use."""


def check_schema(connection: sqlite3.Connection, writable: bool) -> None:
    """Raise SchemaError when the database holds migrations this whodid does not know (a newer
    whodid made it: coding into it would break it), or, read-only, lacks some (it cannot be
    migrated here)."""
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    done = ({row[0] for row in connection.execute("SELECT number FROM migrations")}
            if "migrations" in tables else set())
    known = {m.number for m in MIGRATIONS}
    newer = done - known
    if newer:
        raise SchemaError(f"made by a newer whodid (schema migration {max(newer)}; this whodid "
                          f"knows up to {max(known)}): upgrade whodid to use it")
    if not writable and known - done:
        raise SchemaError(f"schema {max(done, default=0)} is older than this whodid's "
                          f"({max(known)}) and the database is read-only; open it once "
                          "writable (any whodid command) to migrate it")


def now() -> str:
    """Return the current UTC time as every ``*_at`` column stores it (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(connection: sqlite3.Connection) -> list[int]:
    """Apply to ``connection`` (autocommit) the migrations not yet recorded in its
    ``migrations`` table, each in its own transaction; return the numbers applied."""
    connection.execute("CREATE TABLE IF NOT EXISTS migrations "
                       "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    done = {row[0] for row in connection.execute("SELECT number FROM migrations")}
    if done - {m.number for m in MIGRATIONS}:
        return []  # a newer whodid's database: check_schema refuses it
    applied = []
    for migration in MIGRATIONS:
        if migration.number in done:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(connection)
            connection.execute("INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                               (migration.number, migration.name, now()))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # SQLite may have rolled back itself (disk full)
                connection.execute("ROLLBACK")
            raise
        applied.append(migration.number)
    return applied


def applied_migrations(connection: sqlite3.Connection) -> list[tuple[int, str]]:
    """Return (number, name) of every migration applied to ``connection``, in order."""
    rows = connection.execute("SELECT number, name FROM migrations ORDER BY number")
    return [(row[0], row[1]) for row in rows]
