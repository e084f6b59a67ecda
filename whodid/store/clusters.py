"""Cross-article events in the database: each stored event mention is linked to the event it
reports (``events.cluster_id`` -> ``event_clusters``), by the rule of ``whodid.store.dedup``.

These functions run inside the transaction of ``Store.save_article``: the article's old
clusters are noted before its rows are replaced (``clusters_of_article``), each new non-negated
mention joins or starts an event (``link_event``), and the events only the old version of the
article reported are dropped (``drop_empty_clusters``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from whodid.model import Event
from whodid.store.dedup import EventKey, key_of, same_event_distance


def clusters_of_article(connection: sqlite3.Connection, article_id: str) -> set[str]:
    """Return the ids of the cross-article events that the stored mentions of ``article_id``
    belong to."""
    return {row[0] for row in connection.execute(
        "SELECT DISTINCT cluster_id FROM events WHERE article_id = ? AND cluster_id IS NOT NULL",
        (article_id,))}


def event_key(event: Event) -> EventKey:
    """Return the key that ``event`` is matched on (``dedup.key_of`` of its stored fields)."""
    source, target = event.source, event.target
    return key_of(source.code if source else None, source.country if source else None,
                  target.code if target else None, target.country if target else None,
                  event.cameo, event.date, event.date_precision,
                  event.location.country if event.location else None)


def nearest_cluster(connection: sqlite3.Connection, key: EventKey) -> str | None:
    """Return the id of the stored event that a mention of ``key`` reports, the one with the
    nearest date among those it fits (``dedup.same_event_distance``); None when none fits."""
    best: tuple[int, str] | None = None
    for row in connection.execute(
            "SELECT id, date, date_precision, location_country FROM event_clusters "
            "WHERE source_key = ? AND target_key = ? AND root = ?",
            (key.source, key.target, key.root)):
        cluster = EventKey(key.source, key.target, key.root, row["date"], row["date_precision"],
                           row["location_country"])
        distance = same_event_distance(key, cluster)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, row["id"])
    return None if best is None else best[1]


def link_event(connection: sqlite3.Connection, event: Event) -> str:
    """Set the ``cluster_id`` of the stored mention ``event`` to the event it reports, which a
    new cluster (of the mention's id, key, date and location) starts when no stored one fits;
    return that cluster id."""
    key = event_key(event)
    cluster_id = nearest_cluster(connection, key)
    if cluster_id is None:
        cluster_id = free_cluster_id(connection, event.id)
        connection.execute(
            "INSERT INTO event_clusters (id, source_key, target_key, root, date, date_precision,"
            " location_country) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (cluster_id, key.source, key.target, key.root, key.date, key.precision, key.country))
    connection.execute("UPDATE events SET cluster_id = ? WHERE id = ?", (cluster_id, event.id))
    return cluster_id


def free_cluster_id(connection: sqlite3.Connection, event_id: str) -> str:
    """Return ``event_id``, or when a cluster of that id lives on (other articles' mentions of
    an event that this mention, re-coded with another date or place, no longer fits) the first
    free id of the chain ``event_id-2``, ``event_id-3``..."""
    candidate, number = event_id, 1
    while connection.execute("SELECT 1 FROM event_clusters WHERE id = ?",
                             (candidate,)).fetchone():
        number += 1
        candidate = f"{event_id}-{number}"
    return candidate


def drop_empty_clusters(connection: sqlite3.Connection, cluster_ids: Iterable[str]) -> None:
    """Delete those of ``cluster_ids`` that no stored mention belongs to any more."""
    for cluster in cluster_ids:
        connection.execute("DELETE FROM event_clusters WHERE id = ? AND NOT EXISTS (SELECT 1 "
                           "FROM events WHERE cluster_id = ?)", (cluster, cluster))
