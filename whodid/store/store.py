"""The store: whodid's SQLite database. All SQL of the project lives in this module.

The schema is built by numbered migrations, each recorded in the ``migrations`` table when
applied. The database runs in WAL mode; one process writes. Each article is written in one
transaction that first deletes the article's old rows (child tables cascade), so a run killed at
any point leaves every article either fully stored or not at all, and re-coding replaces rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from whodid.model import Article, Event, InputError, Participant
from whodid.store.dedup import EventKey, key_of, same_event_distance

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


@dataclass(frozen=True)
class Migration:
    """A numbered, named schema change."""

    number: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def apply(connection: sqlite3.Connection) -> None:
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
)

EVENT_COLUMNS = (
    "id", "article_id", "idx", "sentence", "span_start", "span_end", "evidence", "cameo", "plover",
    "mode", "goldstein", "quad_class",
    "source_text", "source_name", "source_code", "source_country", "source_sector", "source_kb_id",
    "target_text", "target_name", "target_code", "target_country", "target_sector", "target_kb_id",
    "date", "date_precision", "location_name", "location_country", "lat", "lon", "geonameid",
    "negated", "confidence", "trigger", "trigger_start", "trigger_end", "repeat_of", "quantities",
)
EVENT_LIST_COLUMNS = (
    "id", "article_id", "date", "source_code", "target_code", "cameo", "plover", "goldstein",
    "quad_class", "location_name", "confidence", "negated", "evidence",
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A whodid SQLite database, migrated to the current schema when opened."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable whodid database ({e})") from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; return their numbers."""
        db = self.connection
        db.execute("CREATE TABLE IF NOT EXISTS migrations "
                   "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {row[0] for row in db.execute("SELECT number FROM migrations")}
        applied = []
        for migration in MIGRATIONS:
            if migration.number in done:
                continue
            db.execute("BEGIN IMMEDIATE")
            try:
                migration.apply(db)
                db.execute("INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                           (migration.number, migration.name, _now()))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            applied.append(migration.number)
        return applied

    def applied_migrations(self) -> list[tuple[int, str]]:
        """Return (number, name) of every applied migration, in order."""
        rows = self.connection.execute("SELECT number, name FROM migrations ORDER BY number")
        return [(row[0], row[1]) for row in rows]

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str], options: dict[str, Any], version: str) -> int:
        """Record the start of a coding run; return its id."""
        cursor = self.connection.execute(
            "INSERT INTO runs (started_at, status, whodid_version, inputs, options) "
            "VALUES (?, 'running', ?, ?, ?)",
            (_now(), version, json.dumps(list(inputs)), json.dumps(options)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

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
            (_now(), counts["articles"], counts["unchanged"], counts["sentences"],
             counts["events"], seconds, run_id),
        )

    def runs(self) -> list[dict[str, Any]]:
        """Return every run as a dict, newest first, with its error log as a list."""
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

    def save_article(self, article: Article, run_id: int | None, version: str) -> None:
        """Store ``article`` and everything found in it, replacing any earlier rows of its id."""
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            touched = {row[0] for row in db.execute(
                "SELECT DISTINCT cluster_id FROM events WHERE article_id = ? AND cluster_id "
                "IS NOT NULL", (article.id,))}
            db.execute("DELETE FROM events_text WHERE event_id IN (SELECT id FROM events "
                       "WHERE article_id = ?)", (article.id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            db.execute(
                "INSERT INTO articles (id, source, title, published, outlet, url, dateline_place,"
                " text, content_hash, pipeline_version, sentence_count, event_count, run_id,"
                " coded_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, article.source, article.title, article.published, article.outlet,
                 article.url, article.dateline.place if article.dateline else None, article.text,
                 article.content_hash, version, len(article.sentences), len(article.events),
                 run_id, _now(), json.dumps(article.to_dict(), ensure_ascii=False)),
            )
            db.executemany(
                'INSERT INTO sentences (article_id, idx, start, "end", text) '
                "VALUES (?, ?, ?, ?, ?)",
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
            placeholders = ", ".join("?" for _ in EVENT_COLUMNS)
            db.executemany(
                f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({placeholders})",
                [_event_row(article.id, i, e) for i, e in enumerate(article.events)],
            )
            db.executemany("INSERT INTO events_text (event_id, evidence) VALUES (?, ?)",
                           [(e.id, e.evidence) for e in article.events])
            for event in article.events:
                if not event.negated:
                    self._assign_cluster(event)
            for cluster in touched:  # events the old version of the article alone reported
                db.execute("DELETE FROM event_clusters WHERE id = ? AND NOT EXISTS (SELECT 1 "
                           "FROM events WHERE cluster_id = ?)", (cluster, cluster))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def article_json(self, article_id: str) -> dict[str, Any] | None:
        """Return the stored ``Article.to_dict()`` of ``article_id``, or None."""
        row = self.connection.execute("SELECT json FROM articles WHERE id = ?",
                                      (article_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def count_rows(self) -> dict[str, int]:
        """Return the number of rows of each data table."""
        tables = ("articles", "sentences", "removed_spans", "mentions", "dates", "places",
                  "quantities", "events", "runs")
        return {t: self.connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in tables}

    def article_ids(self) -> list[str]:
        """Return the ids of all stored articles, sorted."""
        return [row[0] for row in self.connection.execute("SELECT id FROM articles ORDER BY id")]

    # -- actors -------------------------------------------------------------------------------

    def add_actor_records(self, records: Iterable[dict[str, Any]], origin: str) -> int:
        """Store user-added or imported actor records (replacing those of the same id)."""
        rows = [(str(r["id"]), origin, str(r["name"]), r.get("code") or _last_role_code(r),
                 json.dumps(r, ensure_ascii=False, default=str), _now()) for r in records]
        self.connection.executemany(
            "INSERT OR REPLACE INTO actors (id, origin, name, code, record, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def remember_actors(self, records: Iterable[dict[str, Any]], article_id: str,
                        seen: str | None) -> None:
        """Store actors learned from an article; the first article that taught one is kept."""
        self.connection.executemany(
            "INSERT OR IGNORE INTO actors (id, origin, name, code, record, first_article, "
            "first_seen, added_at) VALUES (?, 'learned', ?, ?, ?, ?, ?, ?)",
            [(str(r["id"]), str(r["name"]), _last_role_code(r),
              json.dumps(r, ensure_ascii=False, default=str), article_id, seen, _now())
             for r in records])

    def actor_records(self, origins: Sequence[str] = ("user", "petrarch", "learned")
                      ) -> list[dict[str, Any]]:
        """Return the stored actor records with their origin, first article and first date."""
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

    # -- events -------------------------------------------------------------------------------

    def _assign_cluster(self, event: Event) -> None:
        """Link a stored mention to the cross-article event it reports (rule in dedup.py)."""
        location = event.location.country if event.location else None
        source, target = event.source, event.target
        key = key_of(source.code if source else None, source.country if source else None,
                     target.code if target else None, target.country if target else None,
                     event.cameo, event.date, event.date_precision, location)
        best: tuple[int, str] | None = None
        for row in self.connection.execute(
                "SELECT id, date, date_precision, location_country FROM event_clusters "
                "WHERE source_key = ? AND target_key = ? AND root = ?",
                (key.source, key.target, key.root)):
            cluster = EventKey(key.source, key.target, key.root, row["date"],
                               row["date_precision"], row["location_country"])
            distance = same_event_distance(key, cluster)
            if distance is not None and (best is None or distance < best[0]):
                best = (distance, row["id"])
        if best is None:
            self.connection.execute(
                "INSERT INTO event_clusters (id, source_key, target_key, root, date, "
                "date_precision, location_country) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event.id, key.source, key.target, key.root, key.date, key.precision,
                 key.country))
            cluster_id = event.id
        else:
            cluster_id = best[1]
        self.connection.execute("UPDATE events SET cluster_id = ? WHERE id = ?",
                                (cluster_id, event.id))

    def iter_events(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield stored event mentions (EVENT_LIST_COLUMNS) by date, article and order."""
        yield from self.query_mentions(EventFilter(), limit)

    def query_mentions(self, where: EventFilter, limit: int | None = None
                       ) -> Iterator[dict[str, Any]]:
        """Yield the event mentions that pass ``where`` (EVENT_LIST_COLUMNS and outlet)."""
        clause, parameters = where.sql()
        columns = ", ".join(f"e.{c}" for c in EVENT_LIST_COLUMNS)
        sql = (f"SELECT {columns}, a.outlet FROM events e JOIN articles a ON a.id = e.article_id"
               f" WHERE {clause} ORDER BY e.date IS NULL, e.date, e.article_id, e.idx")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for row in self.connection.execute(sql, parameters):
            yield dict(row)

    def cluster_mentions(self, cluster_id: str) -> list[dict[str, Any]]:
        """Return the mentions of one cross-article event, with their article's fields."""
        rows = self.connection.execute(
            "SELECT e.*, a.outlet, a.url, a.title, a.published FROM events e JOIN articles a ON "
            "a.id = e.article_id WHERE e.cluster_id = ? ORDER BY a.published, e.article_id, "
            "e.idx", (cluster_id,))
        return [dict(row) for row in rows]

    def list_articles(self, limit: int, offset: int) -> list[dict[str, Any]]:
        """Return a page of stored articles: id, title, publication date, outlet, counts."""
        rows = self.connection.execute(
            "SELECT id, title, published, outlet, url, sentence_count, event_count, coded_at "
            "FROM articles ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
            (limit, offset))
        return [dict(row) for row in rows]

    def query_mention_details(self, where: EventFilter) -> Iterator[dict[str, Any]]:
        """Yield every column of the event mentions that pass ``where``, with their article's
        outlet, url, title, publication date and length, by date."""
        clause, parameters = where.sql()
        sql = (f"SELECT e.*, a.outlet, a.url, a.title, a.published, length(a.text) AS doc_length"
               f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {clause}"
               " ORDER BY e.date IS NULL, e.date, e.article_id, e.idx")
        for row in self.connection.execute(sql, parameters):
            yield dict(row)

    def query_events(self, where: EventFilter, limit: int | None = None,
                     details: bool = False) -> Iterator[dict[str, Any]]:
        """Yield the cross-article events (DEDUP_COLUMNS; with ``details`` also the first
        mention's actor names, sectors and countries, coordinates, article, url and coding
        time) with at least one mention that passes ``where``, by date: the first mention's
        fields and the counts of all its mentions."""
        clause, parameters = where.sql()
        extra = ("" if not details else
                 ", e.source_name, e.source_country, e.source_sector, e.source_text,"
                 " e.target_name, e.target_country, e.target_sector, e.target_text, e.lat,"
                 " e.lon, e.geonameid, e.article_id, a.url, a.coded_at")
        sql = f"""
            WITH chosen AS (SELECT DISTINCT e.cluster_id FROM events e
                            JOIN articles a ON a.id = e.article_id
                            WHERE e.cluster_id IS NOT NULL AND e.negated = 0 AND {clause}),
            counted AS (
                SELECT e.cluster_id, MIN(e.rowid) AS first_row, COUNT(*) AS mentions,
                       COUNT(DISTINCT e.article_id) AS articles,
                       COUNT(DISTINCT a.outlet) AS outlets, MAX(e.confidence) AS confidence,
                       MIN(COALESCE(a.published, substr(a.coded_at, 1, 10))) AS first_seen,
                       MAX(COALESCE(a.published, substr(a.coded_at, 1, 10))) AS last_seen
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.cluster_id IN (SELECT cluster_id FROM chosen) AND e.negated = 0
                GROUP BY e.cluster_id)
            SELECT c.cluster_id AS id, k.date, k.date_precision, e.source_code, e.target_code,
                   e.cameo, e.plover, e.goldstein, e.quad_class, e.location_name,
                   e.location_country, c.confidence, c.mentions, c.articles, c.outlets,
                   c.first_seen, c.last_seen, e.evidence{extra}
            FROM counted c JOIN events e ON e.rowid = c.first_row
            JOIN articles a ON a.id = e.article_id
            JOIN event_clusters k ON k.id = c.cluster_id
            ORDER BY k.date IS NULL, k.date, c.cluster_id"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for row in self.connection.execute(sql, parameters):
            yield dict(row)


@dataclass(frozen=True)
class EventFilter:
    """What ``whodid events`` and ``whodid stats`` select: an actor (code prefix or name, as
    source or target), a CAMEO code prefix, a PLOVER category, a country (of either actor or of
    the location), a date range (ISO, inclusive), a minimum confidence and words of the evidence
    (SQLite FTS5 query syntax)."""

    actor: str | None = None
    cameo: str | None = None
    plover: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None
    search: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """Return the WHERE clause (over events ``e``) and its parameters."""
        parts: list[str] = ["1 = 1"]
        values: list[Any] = []
        if self.actor:
            parts.append("(e.source_code LIKE ? OR e.target_code LIKE ? OR e.source_name LIKE ?"
                         " OR e.target_name LIKE ?)")
            values += [f"{self.actor.upper()}%"] * 2 + [f"%{self.actor}%"] * 2
        if self.cameo:
            parts.append("e.cameo LIKE ?")
            values.append(f"{self.cameo}%")
        if self.plover:
            parts.append("e.plover = ?")
            values.append(self.plover.upper())
        if self.country:
            parts.append("(e.source_country = ? OR e.target_country = ? OR "
                         "e.location_country = ?)")
            values += [self.country.upper()] * 3
        if self.since:
            parts.append("e.date >= ?")
            values.append(self.since)
        if self.until:
            parts.append("substr(e.date, 1, ?) <= ?")
            values += [len(self.until), self.until]
        if self.min_confidence is not None:
            parts.append("e.confidence >= ?")
            values.append(self.min_confidence)
        if self.search:
            parts.append("e.id IN (SELECT event_id FROM events_text WHERE events_text MATCH ?)")
            values.append(self.search)
        return " AND ".join(parts), values


DEDUP_COLUMNS = (
    "id", "date", "date_precision", "source_code", "target_code", "cameo", "plover", "goldstein",
    "quad_class", "location_name", "location_country", "confidence", "mentions", "articles",
    "outlets", "first_seen", "last_seen", "evidence",
)


def _last_role_code(record: dict[str, Any]) -> str | None:
    roles = record.get("roles") or []
    return str(roles[-1]["code"]) if roles else None


class StoreError(Exception):
    """The database cannot be opened or used."""


def _mention_row(article_id: str, index: int, mention: Any) -> tuple[Any, ...]:
    actor = mention.actor
    members = json.dumps([m.to_dict() for m in mention.members]) if mention.members else None
    return (article_id, index, mention.start, mention.end, mention.text, mention.label,
            *(getattr(actor, key) if actor else None
              for key in ("name", "code", "country", "sector", "ethnicity", "religion", "kb_id")),
            mention.resolved_by, members)


def _participant_values(participant: Participant | None) -> tuple[Any, ...]:
    keys = ("text", "name", "code", "country", "sector", "kb_id")
    return tuple(getattr(participant, key) if participant else None for key in keys)


def _event_row(article_id: str, index: int, event: Event) -> tuple[Any, ...]:
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
    )
