"""Listing the actors whodid knows: the knowledge base with what the database adds (user-added,
imported, learned), for `whodid actors` and the web pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whodid.config import Options
from whodid.knowledge.kb import Entity
from whodid.store.store import Store


def known_actors(db: str, origin: str, options: Options | None = None) -> list[Entity]:
    """Return the known actors of ``origin`` (all, kb, user, petrarch, learned), sorted by
    origin, kind and name; the database's own actors count when ``db`` exists, and the
    knowledge-base layers are those ``options`` name (None: the packaged ones)."""
    from whodid.knowledge.kb import load_knowledge_base
    from whodid.run import stored_actors

    extra: list[Entity] = []
    if Path(db).exists():
        with Store(db, read_only=True) as store:
            extra = stored_actors(store, origins=("user", "petrarch", "learned"))
    kb = load_knowledge_base(extra, options.kb_folders if options else None,
                             options.kb_files if options else (),
                             options.phoenix_actors if options else False)
    return sorted((e for e in kb.entities.values() if origin in ("all", e.origin)),
                  key=lambda e: (e.origin, e.kind, e.name))


def actor_matches(entity: Entity, text: str) -> bool:
    """True when ``text`` is part of the actor's name or of one of its aliases."""
    needle = text.lower()
    return any(needle in name.lower() for name in (entity.name, *entity.aliases))


def actor_row(entity: Entity) -> dict[str, Any]:
    """Return the listing row of an actor: id, origin, kind, name, code, country, roles."""
    roles = "; ".join(f"{r.title} {r.code} {r.start or ''}..{r.end or ''}" for r in entity.roles)
    return {"id": entity.id, "origin": entity.origin, "kind": entity.kind, "name": entity.name,
            "code": entity.code, "country": entity.country, "roles": roles,
            "aliases": "|".join(entity.aliases)}


def actor_record(entity: Entity) -> dict[str, Any]:
    """Return the YAML record of an actor, in the format `whodid actors add` reads."""
    record: dict[str, Any] = {"id": entity.id, "name": entity.name, "kind": entity.kind}
    for key in ("code", "country", "sector", "ethnicity", "religion"):
        if getattr(entity, key):
            record[key] = getattr(entity, key)
    if entity.aliases:
        record["aliases"] = list(entity.aliases)
    if entity.roles:
        record["roles"] = [{"title": r.title, "code": r.code, "country": r.country,
                            "sector": r.sector,
                            "start": r.start.isoformat() if r.start else None,
                            "end": r.end.isoformat() if r.end else None} for r in entity.roles]
    return record
