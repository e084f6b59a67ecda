"""Reading the stored events: the filter of ``whodid events``, the listings of event mentions and
of cross-article events, full-text search over the evidence, and the article lookups of the API.

Every function takes an open ``sqlite3.Connection`` (``Store.connection``, rows as
``sqlite3.Row``) and only reads. Filters become parameterised WHERE clauses (``EventFilter.sql``);
the only values formatted into SQL text are the integer limits.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

EVENT_LIST_COLUMNS = (
    "id", "article_id", "date", "source_code", "target_code", "cameo", "plover", "goldstein",
    "quad_class", "location_name", "confidence", "negated", "evidence",
    "method",
)
DEDUP_COLUMNS = (
    "id", "date", "date_precision", "source_code", "target_code", "cameo", "plover", "goldstein",
    "quad_class", "location_name", "location_country", "confidence", "mentions", "articles",
    "outlets", "first_seen", "last_seen", "evidence",
    "method",
)
MENTION_ORDER = "e.date IS NULL, e.date, e.article_id, e.idx"
# The last day a date of any precision may mean: "2019" -> 2019-12-31, "2019-10" -> 2019-10-31.
LAST_DAY_SQL = ("CASE length({d}) WHEN 4 THEN {d} || '-12-31' WHEN 7 THEN "
                "date({d} || '-01', '+1 month', '-1 day') ELSE substr({d}, 1, 10) END")
BACKGROUND_DAYS = 365
# An event is background (history the article recalls) when even the last day its date may
# mean lies over BACKGROUND_DAYS before the day the article was published.
BACKGROUND_SQL = ("(julianday(" + LAST_DAY_SQL + ") < julianday(substr({published}, 1, 10)) - "
                  + str(BACKGROUND_DAYS) + ")")
# How ``query_events`` may order its events; "newest" is what a reader wants first.
EVENT_ORDERS = {
    "newest": "k.date IS NULL, k.date DESC, c.mentions DESC, c.cluster_id",
    "oldest": "k.date IS NULL, k.date, c.cluster_id",
    "mentions": "c.mentions DESC, c.articles DESC, k.date IS NULL, k.date DESC, c.cluster_id",
    "confidence": "c.confidence DESC, c.mentions DESC, k.date IS NULL, k.date DESC, "
                  "c.cluster_id",
}
IDS_PER_QUERY = 500  # values per IN (...) list, well under SQLite's parameter limit


@dataclass(frozen=True)
class EventFilter:
    """What ``whodid events`` and ``whodid stats`` select: an actor (code prefix or name, as
    source or target), a CAMEO code prefix, a PLOVER category, a country (of either actor or of
    the location), a date range (ISO, inclusive), a minimum confidence, words of the evidence
    (SQLite FTS5 query syntax), whether background mentions (dated over a year before their
    article, ``BACKGROUND_SQL``) are kept (by default they are left out), and whether incomplete
    events (a side their category needs is missing) are kept (by default they are left out)."""

    actor: str | None = None
    cameo: str | None = None
    plover: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None
    search: str | None = None
    background: bool = False
    include_incomplete: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        """Return the WHERE clause (over events ``e``) and its parameters."""
        parts: list[str] = ["1 = 1" if self.include_incomplete else "e.incomplete = 0"]
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
        if not self.background:
            parts.append("NOT COALESCE(" + background_sql("e.date", "a.published") + ", 0)")
        return " AND ".join(parts), values


def background_sql(day: str, published: str) -> str:
    """Return the SQL truth (NULL when a date is unknown) of "the date ``day`` lies over a
    year before ``published``", both SQL expressions of ISO dates."""
    return BACKGROUND_SQL.format(d=day, published=published)


def _limited(sql: str, limit: int | None) -> str:
    """Return ``sql`` with ``LIMIT limit`` appended when a limit is given."""
    return sql if limit is None else f"{sql} LIMIT {int(limit)}"


def query_mentions(connection: sqlite3.Connection, where: EventFilter,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield, by date, article and order, the event mentions that pass ``where``: dicts of
    EVENT_LIST_COLUMNS and the article's ``outlet``; at most ``limit`` of them."""
    clause, parameters = where.sql()
    columns = ", ".join(f"e.{c}" for c in EVENT_LIST_COLUMNS)
    sql = (f"SELECT {columns}, a.outlet FROM events e JOIN articles a ON a.id = e.article_id"
           f" WHERE {clause} ORDER BY {MENTION_ORDER}")
    for row in connection.execute(_limited(sql, limit), parameters):
        yield dict(row)


def query_mention_details(connection: sqlite3.Connection, where: EventFilter
                          ) -> Iterator[dict[str, Any]]:
    """Yield, by date, every column of the event mentions that pass ``where``, with their
    article's outlet, url, title, publication date and length (``doc_length``)."""
    clause, parameters = where.sql()
    sql = (f"SELECT e.*, a.outlet, a.url, a.title, a.published, length(a.text) AS doc_length"
           f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {clause}"
           f" ORDER BY {MENTION_ORDER}")
    for row in connection.execute(sql, parameters):
        yield dict(row)


# The first mention's fields that ``query_events(details=True)`` adds to DEDUP_COLUMNS.
EVENT_DETAILS_SQL = (", e.source_name, e.source_country, e.source_sector, e.source_text,"
                     " e.target_name, e.target_country, e.target_sector, e.target_text, e.lat,"
                     " e.lon, e.geonameid, e.article_id, a.url, a.coded_at")
# {where} is EventFilter.sql()'s clause, {extra} EVENT_DETAILS_SQL or nothing, {complete} what
# keeps incomplete mentions out of the counts (or nothing). A cross-article event's method is
# "rules" when a rule coded any of its mentions ("rules" sorts after "classifier").
EVENTS_SQL = """
    WITH chosen AS (SELECT DISTINCT e.cluster_id FROM events e
                    JOIN articles a ON a.id = e.article_id
                    WHERE e.cluster_id IS NOT NULL AND e.negated = 0 AND {where}),
    counted AS (
        SELECT e.cluster_id, MIN(e.rowid) AS first_row, COUNT(*) AS mentions,
               COUNT(DISTINCT e.article_id) AS articles,
               COUNT(DISTINCT a.outlet) AS outlets, MAX(e.confidence) AS confidence,
               MIN(COALESCE(a.published, substr(a.coded_at, 1, 10))) AS first_seen,
               MAX(COALESCE(a.published, substr(a.coded_at, 1, 10))) AS last_seen,
               MIN(a.published) AS first_published,
               MAX(e.method) AS method
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.cluster_id IN (SELECT cluster_id FROM chosen) AND e.negated = 0{complete}
        GROUP BY e.cluster_id)
    SELECT c.cluster_id AS id, k.date, k.date_precision, e.source_code, e.target_code,
           e.cameo, e.plover, e.goldstein, e.quad_class, e.location_name,
           e.location_country, c.confidence, c.mentions, c.articles, c.outlets,
           c.first_seen, c.last_seen, e.evidence, c.method,
           COALESCE({background}, 0) AS background{extra}
    FROM counted c JOIN events e ON e.rowid = c.first_row
    JOIN articles a ON a.id = e.article_id
    JOIN event_clusters k ON k.id = c.cluster_id
    ORDER BY {order}"""


def query_events(connection: sqlite3.Connection, where: EventFilter, limit: int | None = None,
                 details: bool = False, order: str = "oldest") -> Iterator[dict[str, Any]]:
    """Yield, in ``order`` (a key of EVENT_ORDERS: oldest or newest first, most mentions or
    most confident first), the cross-article events with at least one (non-negated) mention
    that passes ``where``: dicts of DEDUP_COLUMNS, ``background`` (1 when the event's date lies
    over a year before the first article that reports it), the first mention's fields and the
    counts of all its mentions; with ``details`` also the first mention's actor names,
    sectors, countries and texts, coordinates, article, url and coding time. At most
    ``limit`` of them."""
    if order not in EVENT_ORDERS:
        raise ValueError(f"unknown order {order!r}; choose one of {', '.join(EVENT_ORDERS)}")
    clause, parameters = where.sql()
    complete = "" if where.include_incomplete else " AND e.incomplete = 0"
    sql = EVENTS_SQL.format(where=clause, extra=EVENT_DETAILS_SQL if details else "",
                            background=background_sql("k.date", "c.first_published"),
                            order=EVENT_ORDERS[order], complete=complete)
    for row in connection.execute(_limited(sql, limit), parameters):
        yield dict(row)


def cluster_mentions(connection: sqlite3.Connection, cluster_id: str) -> list[dict[str, Any]]:
    """Return the mentions of the cross-article event ``cluster_id`` (every events column and
    the article's outlet, url, title, publication date), by publication date; [] if none."""
    rows = connection.execute(
        "SELECT e.*, a.outlet, a.url, a.title, a.published FROM events e JOIN articles a ON "
        "a.id = e.article_id WHERE e.cluster_id = ? ORDER BY a.published, e.article_id, "
        "e.idx", (cluster_id,))
    return [dict(row) for row in rows]


def outlets_by_event(connection: sqlite3.Connection, cluster_ids: Sequence[str]
                     ) -> dict[str, set[str]]:
    """Return the outlets that reported each of the cross-article events ``cluster_ids``
    (events without a known outlet are left out)."""
    outlets: dict[str, set[str]] = defaultdict(set)
    for chunk in range(0, len(cluster_ids), IDS_PER_QUERY):
        part = list(cluster_ids[chunk:chunk + IDS_PER_QUERY])
        marks = ", ".join("?" for _ in part)
        for row in connection.execute(
                f"SELECT e.cluster_id, a.outlet FROM events e JOIN articles a ON "
                f"a.id = e.article_id WHERE e.cluster_id IN ({marks})", part):
            if row[1]:
                outlets[row[0]].add(row[1])
    return outlets


def search_problem(search: str) -> str | None:
    """Return why ``search`` is not a valid FTS5 query over the evidence (unbalanced ``"``,
    ``NEAR(`` unclosed, an unknown column), or None when it is valid: checked against an empty
    in-memory index of the same columns, so a bad query is the caller's error before any
    database is read."""
    with sqlite3.connect(":memory:") as probe:
        probe.execute("CREATE VIRTUAL TABLE events_text USING fts5(event_id UNINDEXED, evidence)")
        try:
            probe.execute("SELECT 1 FROM events_text WHERE events_text MATCH ?", (search,))
        except sqlite3.OperationalError as e:
            return f"search {search!r} is not a valid full-text query: {e}"
    probe.close()
    return None


def list_articles(connection: sqlite3.Connection, limit: int, offset: int
                  ) -> list[dict[str, Any]]:
    """Return one page (``limit`` rows from ``offset``) of the stored articles, newest first:
    id, title, published, outlet, url, sentence and event counts, coding time."""
    rows = connection.execute(
        "SELECT id, title, published, outlet, url, sentence_count, event_count, coded_at "
        "FROM articles ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
        (limit, offset))
    return [dict(row) for row in rows]


def article_json(connection: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """Return the stored ``Article.to_dict()`` of ``article_id``, or None when not stored."""
    row = connection.execute("SELECT json FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))
