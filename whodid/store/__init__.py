"""SQLite storage. All of whodid's SQL lives in this package:

- ``schema``: the tables, built by numbered, named migrations (``MIGRATIONS``, ``migrate``);
- ``store``: ``Store``, one database opened for coding runs, articles and actors (the one writer);
- ``queries``: ``EventFilter`` and the listings of event mentions, cross-article events (with
  full-text search over the evidence) and articles, as functions of a connection;
- ``clusters``: linking each stored mention to the cross-article event it reports, by the pure
  rules of ``dedup``;
- ``stats``: the aggregates of ``whodid stats``; ``actor_listing``: the known actors.
"""

from whodid.store.queries import (
    DEDUP_COLUMNS,
    EVENT_LIST_COLUMNS,
    EventFilter,
    article_json,
    cluster_mentions,
    list_articles,
    outlets_by_event,
    query_events,
    query_mention_details,
    query_mentions,
)
from whodid.store.schema import MIGRATIONS, Migration, applied_migrations, migrate
from whodid.store.stats import aggregate
from whodid.store.store import EVENT_COLUMNS, ArticleNotStored, Store, StoreError, article_line

__all__ = [
    "DEDUP_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_LIST_COLUMNS",
    "MIGRATIONS",
    "ArticleNotStored",
    "EventFilter",
    "Migration",
    "Store",
    "StoreError",
    "aggregate",
    "applied_migrations",
    "article_json",
    "article_line",
    "cluster_mentions",
    "list_articles",
    "migrate",
    "outlets_by_event",
    "query_events",
    "query_mention_details",
    "query_mentions",
]
