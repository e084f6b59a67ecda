"""``whodid serve``: a JSON API and server-rendered pages over one event database.

Everything the pages need ships in the package (no CDN, no map tiles): HTML written here, a few
lines of CSS, SVG charts and a world outline (``data/world.json``, Natural Earth 1:110m via the
npm package world-atlas). Every text that comes from an article is escaped. The server is
read-only unless started with ``allow_write`` and a token; then ``POST /api/code?store=true``
with ``Authorization: Bearer TOKEN`` stores what it codes.
"""

from __future__ import annotations

import html
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from whodid.store import EventFilter, Store, aggregate
from whodid.store.queries import (
    article_json,
    cluster_mentions,
    list_articles,
    outlets_by_event,
    query_events,
)

if TYPE_CHECKING:
    from whodid.config import Options
    from whodid.model import Article

MAX_BODY_BYTES = 1_000_000
DRAIN_FACTOR = 16  # an oversized body up to this many times the limit is read before the 413
PAGE_LIMIT = 1000


@dataclass
class ServerSettings:
    """What one server serves and allows."""

    db: Path
    allow_write: bool = False
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES


API_SOURCE = "api"  # the source of a posted article, and the input of the run that stores it


class _Coder:
    """The pipeline, loaded on the first POST /api/code (spaCy takes seconds to load)."""

    def __init__(self) -> None:
        """Start with no pipeline loaded."""
        self._pipeline: Any = None
        self._lock = threading.Lock()

    @cached_property
    def options(self) -> Options:
        """The options the pipeline codes with (the defaults), loaded on first use."""
        from whodid.config import load_options

        return load_options()

    def code(self, record: dict[str, Any]) -> Article:
        """Return the coded Article of one validated article record; HTTP 422 when the
        pipeline could not code it."""
        from whodid import Article, load_pipeline
        from whodid.stages.read import article_from_record

        with self._lock:
            if self._pipeline is None:
                self._pipeline = load_pipeline(self.options)
            article = article_from_record(record, API_SOURCE,
                                          str(record.get("id") or API_SOURCE))
            (coded,) = self._pipeline([article])
        if not isinstance(coded, Article):
            raise HTTPException(422, str(coded))
        return coded


DAY = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def event_filter(
        actor: str | None = Query(None, max_length=100,
                                  description="Actor code prefix or name part"),
        cameo: str | None = Query(None, pattern=r"^\d{1,4}$", description="CAMEO code prefix"),
        plover: str | None = Query(None, pattern=r"^[A-Za-z]{3,12}$",
                                   description="PLOVER category"),
        country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$", description="ISO3 country"),
        since: str | None = Query(None, pattern=DAY),
        until: str | None = Query(None, pattern=DAY),
        min_confidence: float | None = Query(None, ge=0.0, le=1.0),
        search: str | None = Query(None, max_length=200,
                                   description="FTS5 query over the evidence"),
        include_incomplete: bool = Query(False, description="Also events missing a side their "
                                                            "category needs")) -> EventFilter:
    """The filters of `whodid events`, as query parameters (a FastAPI dependency)."""
    return EventFilter(actor=actor, cameo=cameo, plover=plover, country=country, since=since,
                       until=until, min_confidence=min_confidence, search=search,
                       include_incomplete=include_incomplete)


FILTERS = Depends(event_filter)


def create_app(settings: ServerSettings) -> FastAPI:
    """Return the web application over ``settings.db``: the JSON API (reading, and coding
    with ``POST /api/code``) and the pages, behind a limit on the request body size."""
    app = FastAPI(title="whodid", description="Political events coded from news: who did what "
                  "to whom, when and where.", version=_version())
    known = _KnownActors(settings.db)
    app.middleware("http")(body_limit(settings.max_body_bytes))
    app.include_router(api_routes(settings, known))
    app.include_router(coding_routes(settings))
    app.include_router(page_routes(settings, known))
    return app


NextHandler = Callable[[Request], Awaitable[Response]]


def body_limit(max_bytes: int) -> Callable[[Request, NextHandler], Awaitable[Response]]:
    """Return an HTTP middleware that answers 413 to a request whose declared body is over
    ``max_bytes``, and passes every other request on."""

    async def limit_body(request: Request, call_next: NextHandler) -> Response:
        """Return the 413 response for an oversized request, else the app's response."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_bytes:
            if int(length) <= DRAIN_FACTOR * max_bytes:
                async for _ in request.stream():  # read it away, so the client gets the answer
                    pass                          # instead of a reset connection
            return JSONResponse({"detail": f"request body over {max_bytes} bytes"},
                                status_code=413)
        return await call_next(request)

    return limit_body


def api_routes(settings: ServerSettings, known: _KnownActors) -> APIRouter:
    """Return the read-only JSON API over ``settings.db``: events, articles, actors, stats."""
    router = APIRouter()

    @router.get("/api/events")
    def api_events(where: EventFilter = FILTERS,
                   limit: int = Query(50, ge=1, le=PAGE_LIMIT),
                   offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Events across articles (one per event, with mention counts), filtered, paged."""
        with Store(settings.db) as db:
            rows = _page(query_events(db.connection, where), limit, offset)
        return {"items": rows, "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(rows) == limit else None}

    @router.get("/api/events/{event_id}")
    def api_event(event_id: str) -> dict[str, Any]:
        """One event across articles: its mentions, each with its evidence and article."""
        with Store(settings.db) as db:
            mentions = cluster_mentions(db.connection, event_id)
        if not mentions:
            raise HTTPException(404, f"no event {event_id!r}")
        return {"id": event_id, "mentions": mentions}

    @router.get("/api/articles")
    def api_articles(limit: int = Query(50, ge=1, le=PAGE_LIMIT),
                     offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Stored articles, newest first, paged."""
        with Store(settings.db) as db:
            return {"items": list_articles(db.connection, limit, offset), "limit": limit,
                    "offset": offset}

    @router.get("/api/articles/{article_id}")
    def api_article(article_id: str) -> dict[str, Any]:
        """One stored article as ``whodid code --out`` writes it."""
        with Store(settings.db) as db:
            article = article_json(db.connection, article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return article

    @router.get("/api/actors")
    def api_actors(search: str | None = Query(None, max_length=100),
                   origin: str = Query("all", pattern="^(all|kb|user|petrarch|learned)$"),
                   limit: int = Query(100, ge=1, le=PAGE_LIMIT),
                   offset: int = Query(0, ge=0)) -> dict[str, Any]:
        """Known actors (knowledge base, added, imported, learned) with codes and roles."""
        return {"items": _page(known.rows(origin, search), limit, offset),
                "limit": limit, "offset": offset}

    @router.get("/api/stats")
    def api_stats(by: str = Query("month", pattern="^(month|dyad|root|plover|goldstein)$"),
                  where: EventFilter = FILTERS) -> dict[str, Any]:
        """Counts by month, dyad, root or category, or the monthly mean Goldstein per dyad."""
        with Store(settings.db) as db:
            rows, columns = aggregate(query_events(db.connection, where), by)
        return {"by": by, "columns": list(columns), "rows": rows}

    return router


def coding_routes(settings: ServerSettings) -> APIRouter:
    """Return ``POST /api/code``, which codes a posted article and, on a server that allows
    writing, stores it through ``whodid.run.store_batch`` (as ``whodid code`` stores)."""
    router = APIRouter()
    coder = _Coder()

    @router.post("/api/code")
    async def api_code(request: Request, store_it: bool = Query(False, alias="store")
                       ) -> dict[str, Any]:
        """Code a text or an article record (JSON: ``text`` or ``html``, optional ``id``,
        ``title``, ``published``, ``outlet``, ``url``); returns the Article JSON. Nothing is
        stored unless ``store=true`` on a server started with --allow-write and the token;
        then it is stored as ``whodid code`` stores what it codes, as a run of its own."""
        record = _article_record(await request.body(), settings.max_body_bytes)
        if store_it:
            if not settings.allow_write:
                raise HTTPException(403, "this server is read-only (start it with "
                                         "--allow-write and a token)")
            if request.headers.get("authorization") != f"Bearer {settings.token}":
                raise HTTPException(401, "a valid 'Authorization: Bearer TOKEN' is required")
        article = coder.code(record)
        coded = dict(article.to_dict())
        if store_it:
            from whodid.run import store_batch

            store_batch(settings.db, [article], [API_SOURCE], coder.options)
        return coded

    return router


def _article_record(body: bytes, max_bytes: int) -> dict[str, Any]:
    """Return the article record a POST body holds; HTTP 413, 400 or 422 when the body is too
    long, not JSON, or not an object with a non-empty ``text`` or ``html``."""
    if len(body) > max_bytes:
        raise HTTPException(413, f"request body over {max_bytes} bytes")
    try:
        record = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HTTPException(400, f"body is not JSON: {e}") from e
    if not isinstance(record, dict) or not isinstance(record.get("text") or record.get(
            "html"), str) or not (record.get("text") or record.get("html")):
        raise HTTPException(422, "body must be an object with a non-empty 'text' or 'html'")
    return record


def page_routes(settings: ServerSettings, known: _KnownActors) -> APIRouter:
    """Return the HTML pages over ``settings.db``: events, one event, a dyad, the map, actors."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def events_page(where: EventFilter = FILTERS,
                    offset: int = Query(0, ge=0)) -> str:
        """The events that pass the filters, with facets, 100 from ``offset``."""
        values = asdict(where)
        with Store(settings.db) as db:
            everything = list(query_events(db.connection, where))
            outlets = outlets_by_event(db.connection, [e["id"] for e in everything])
        return render_events(everything, values, offset, outlets)

    @router.get("/event/{event_id}", response_class=HTMLResponse)
    def event_page(event_id: str) -> str:
        """One event: its first mention's article with the evidence marked, and the others."""
        with Store(settings.db) as db:
            mentions = cluster_mentions(db.connection, event_id)
            if not mentions:
                raise HTTPException(404, f"no event {event_id!r}")
            first = mentions[0]
            article = article_json(db.connection, first["article_id"]) or {}
        return render_event(event_id, mentions, article)

    @router.get("/dyad", response_class=HTMLResponse)
    def dyad_page(source: str = Query(..., pattern=r"^[A-Za-z]{3}$"),
                  target: str | None = Query(None, pattern=r"^[A-Za-z]{3}$")) -> str:
        """The timeline of the events of one source (and target) country code prefix."""
        with Store(settings.db) as db:
            events = [e for e in query_events(db.connection, EventFilter(actor=source))
                      if str(e["source_code"] or "").startswith(source.upper()) and (
                          target is None or str(e["target_code"] or "").startswith(
                              target.upper()))]
        return render_dyad(source.upper(), target.upper() if target else None, events)

    @router.get("/map", response_class=HTMLResponse)
    def map_page(where: EventFilter = FILTERS) -> str:
        """The located events that pass the filters, on a world map."""
        with Store(settings.db) as db:
            events = list(query_events(db.connection, where, details=True))
        return render_map(events)

    @router.get("/actors", response_class=HTMLResponse)
    def actors_page(search: str | None = Query(None, max_length=100),
                    origin: str = Query("all", pattern="^(all|kb|user|petrarch|learned)$"),
                    offset: int = Query(0, ge=0)) -> str:
        """Known actors of ``origin`` matching ``search``, 200 from ``offset``."""
        rows = _page(known.rows(origin, search), 200, offset)
        return render_actors(rows, search, origin, offset)

    return router


def _version() -> str:
    """Return whodid's version."""
    from whodid import __version__

    return __version__


def _page(rows: Any, limit: int, offset: int) -> list[dict[str, Any]]:
    """Return the ``limit`` rows of the iterable ``rows`` from ``offset`` (reading no further)."""
    page = []
    for position, row in enumerate(rows):
        if position >= offset + limit:
            break
        if position >= offset:
            page.append(row)
    return page


class _KnownActors:
    """The known actors, loaded again only when the database has changed since (coding adds
    learned actors); loading the knowledge base for every request would cost a fifth of a
    second each."""

    def __init__(self, db: Path) -> None:
        """Serve the known actors of the database at ``db``; nothing is loaded yet."""
        self.db = db
        self._state: tuple[int, ...] | None = None
        self._entities: list[Any] = []
        self._lock = threading.Lock()

    def rows(self, origin: str, search: str | None) -> Any:
        """Return the listing rows (``actor_row``) of the known actors of ``origin`` (or all)
        whose name or alias contains ``search``, lazily."""
        from whodid.store.actor_listing import actor_matches, actor_row, known_actors

        files = (self.db, self.db.with_name(self.db.name + "-wal"))
        state = tuple(f.stat().st_mtime_ns for f in files if f.exists())
        with self._lock:
            if state != self._state:
                self._entities, self._state = known_actors(str(self.db), "all"), state
            entities = self._entities
        return (actor_row(e) for e in entities if origin in ("all", e.origin)
                and (not search or actor_matches(e, search)))


# -- HTML ------------------------------------------------------------------------------------

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330}
header{background:#1d2330;color:#fff;padding:8px 16px}header a{color:#fff;margin-right:14px}
main{padding:12px 16px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e3e6ec;padding:4px 6px;text-align:left;vertical-align:top}
.facets{display:flex;gap:18px;flex-wrap:wrap;margin:8px 0}.facets div{min-width:140px}
.facets a{display:block}mark{background:#ffe58a}.actor{color:#0b5cad;font-weight:600}
.place{color:#137333;font-weight:600}.muted{color:#667}pre.text{white-space:pre-wrap;
font:15px/1.6 Georgia,serif;max-width:900px}svg{background:#f4f7fb}
.ocean{fill:#eaf1f8}.land{fill:#d9dde3;stroke:#fff;stroke-width:.3}.point{fill:#c0392b;
fill-opacity:.7}
"""


def _e(value: Any) -> str:
    """Return ``value`` as HTML-escaped text (quotes too; "" for None)."""
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str) -> str:
    """Return a whole HTML page."""
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(title)} · "
            f"whodid</title><style>{STYLE}</style></head><body><header><b>whodid</b> "
            "<a href='/'>Events</a><a href='/map'>Map</a><a href='/actors'>Actors</a>"
            f"<a href='/docs'>API</a></header><main>{body}</main></body></html>")


FACETS = (("root", "CAMEO root"), ("plover", "PLOVER"), ("source", "Source country"),
          ("target", "Target country"), ("outlet", "Outlet"), ("month", "Month"))


def render_events(events: list[dict[str, Any]], values: dict[str, Any], offset: int,
                  outlets: dict[str, set[str]]) -> str:
    """The events table with facets and filters."""
    facets: dict[str, Counter[str]] = {name: Counter() for name, _ in FACETS}
    for event in events:
        facets["root"][str(event["cameo"])[:2]] += 1
        facets["plover"][event["plover"] or "-"] += 1
        facets["source"][str(event["source_code"] or "-")[:3]] += 1
        facets["target"][str(event["target_code"] or "-")[:3]] += 1
        facets["month"][str(event["date"] or "unknown")[:7]] += 1
        for outlet in outlets.get(event["id"], ()):
            facets["outlet"][outlet] += 1
    active = {k: v for k, v in values.items() if v not in (None, "")}
    links = {"root": "cameo", "plover": "plover", "source": "country", "target": "country",
             "month": "since"}
    blocks = []
    for name, label in FACETS:
        items = []
        for value, count in facets[name].most_common(8):
            key = links.get(name)
            if key and value not in ("-", "unknown"):
                query = {**active, key: value}
                if name == "month":
                    query["until"] = value
                items.append(f"<a href='/?{_e(urlencode(query))}'>{_e(value)} ({count})</a>")
            else:
                items.append(f"<span>{_e(value)} ({count})</span>")
        blocks.append(f"<div><b>{_e(label)}</b>{''.join(items)}</div>")
    rows = []
    for event in events[offset:offset + 100]:
        link = f"/event/{_e(event['id'])}"
        source = str(event["source_code"] or "")
        dyad = (f"<a href='/dyad?{_e(urlencode({'source': source[:3]}))}'>{_e(source)}</a>"
                if len(source) >= 3 else "-")
        rows.append(
            f"<tr><td>{_e(event['date'])}</td><td>{dyad}</td><td>{_e(event['target_code'])}"
            f"</td><td><a class=event href='{link}'>{_e(event['cameo'])} "
            f"{_e(event['plover'])}</a></td><td>{_e(event['location_name'])}</td>"
            f"<td>{_e(event['mentions'])}/{_e(event['articles'])}</td>"
            f"<td>{_e(str(event['evidence'])[:160])}</td></tr>")
    form = "".join(f"<input name={_e(k)} placeholder={_e(k)} value='{_e(active.get(k, ''))}'>"
                   for k in ("actor", "cameo", "plover", "country", "since", "until", "search"))
    more = (f"<p><a href='/?{_e(urlencode({**active, 'offset': offset + 100}))}'>next</a></p>"
            if len(events) > offset + 100 else "")
    body = (f"<h1>{len(events)} events</h1><form method=get>{form}<button>Filter</button>"
            f"</form><div class=facets>{''.join(blocks)}</div><table><thead><tr><th>date</th>"
            "<th>source</th><th>target</th><th>event</th><th>where</th><th>mentions/articles"
            f"</th><th>evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}")
    return page("Events", body)


def marked_text(article: dict[str, Any], evidence: tuple[int, int] | None) -> str:
    """Return the article's clean text, escaped, with the evidence span in <mark> and actor and
    place mentions in spans."""
    text = article.get("text") or ""
    marks: list[tuple[int, int, str, str]] = []
    for mention in article.get("mentions") or []:
        code = (mention.get("actor") or {}).get("code") or ""
        marks.append((mention["start"], mention["end"], "actor", code))
    for place in article.get("places") or []:
        marks.append((place["start"], place["end"], "place", place.get("country") or ""))
    marks.sort()
    opening: dict[int, list[str]] = defaultdict(list)
    closing: dict[int, list[str]] = defaultdict(list)
    last_end = -1
    for start, end, kind, title in marks:
        if start < last_end:
            continue  # overlapping marks: the first wins
        opening[start].append(f"<span class={kind} title='{_e(title)}'>")
        closing[end].append("</span>")
        last_end = end
    if evidence is not None:
        opening[evidence[0]].insert(0, "<mark>")
        closing[evidence[1]].append("</mark>")
    out = []
    for position, char in enumerate(text):
        out.extend(closing.get(position, []))
        out.extend(opening.get(position, []))
        out.append(html.escape(char))
    out.extend(closing.get(len(text), []))
    return "".join(out)


def render_event(event_id: str, mentions: list[dict[str, Any]], article: dict[str, Any]) -> str:
    """One event: its first mention's article with the evidence marked, actors, date, place,
    and the other mentions."""
    first = mentions[0]
    facts = [("CAMEO", f"{first['cameo']} (Goldstein {first['goldstein']}, QuadClass "
                       f"{first['quad_class']})"),
             ("PLOVER", f"{first['plover']} {first['mode'] or ''}"),
             ("source", f"{first['source_text'] or '-'} = {first['source_name'] or ''} "
                        f"[{first['source_code'] or '-'}]"),
             ("target", f"{first['target_text'] or '-'} = {first['target_name'] or ''} "
                        f"[{first['target_code'] or '-'}]"),
             ("date", f"{first['date'] or 'unknown'} "
                      f"(precision {first['date_precision'] or '-'})"),
             ("location", f"{first['location_name'] or 'unknown'} "
                          f"{first['location_country'] or ''} {first['lat'] or ''} "
                          f"{first['lon'] or ''}"),
             ("confidence", first["confidence"]), ("negated", bool(first["negated"])),
             ("mentions", len(mentions))]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    others = "".join(
        f"<li>{_e(m['published'])} {_e(m['outlet'])} <a href='/event/{_e(event_id)}'>"
        f"{_e(m['article_id'])}</a>: {_e(m['evidence'])}</li>" for m in mentions[1:])
    text = marked_text(article, (first["span_start"], first["span_end"]))
    body = (f"<h1>{_e(article.get('title') or first['article_id'])}</h1><p class=muted>"
            f"{_e(first['article_id'])} · {_e(first['outlet'])} · {_e(first['published'])}</p>"
            f"<table>{table}</table><h2>Article</h2><pre class=text>{text}</pre>"
            + (f"<h2>Other mentions</h2><ul>{others}</ul>" if others else ""))
    return page(f"Event {first['cameo']}", body)


QUAD_COLOURS = {1: "#7fb3d5", 2: "#2e86c1", 3: "#f5b041", 4: "#c0392b"}


def render_dyad(source: str, target: str | None, events: list[dict[str, Any]]) -> str:
    """A timeline: monthly event counts stacked by quad class and the mean Goldstein line."""
    months = sorted({str(e["date"])[:7] for e in events
                     if e["date"] and len(str(e["date"])) >= 7})
    counts: dict[str, Counter[int]] = {m: Counter() for m in months}
    goldstein: dict[str, list[float]] = defaultdict(list)
    for event in events:
        month = str(event["date"] or "")[:7]
        if month in counts:
            counts[month][int(event["quad_class"] or 1)] += 1
            goldstein[month].append(float(event["goldstein"] or 0))
    width, height, pad = 760, 260, 30
    top = max((sum(c.values()) for c in counts.values()), default=1) or 1
    step = (width - 2 * pad) / max(len(months), 1)
    parts = [f"<svg id=timeline width={width} height={height} viewBox='0 0 {width} {height}'>",
             f"<line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} "
             "stroke='#445'/>", f"<line x1={pad} y1={height / 2} x2={width - pad} "
             f"y2={height / 2} stroke='#aab' stroke-dasharray='3 3'/>"]
    line = []
    for index, month in enumerate(months):
        x = pad + index * step
        y = float(height - pad)
        for quad in (1, 2, 3, 4):
            size = counts[month][quad] / top * (height - 2 * pad)
            if size:
                y -= size
                parts.append(f"<rect class='bar q{quad}' x={x + 2:.1f} y={y:.1f} "
                             f"width={max(step - 4, 2):.1f} height={size:.1f} "
                             f"fill='{QUAD_COLOURS[quad]}'><title>{_e(month)} quad {quad}: "
                             f"{counts[month][quad]}</title></rect>")
        mean = sum(goldstein[month]) / len(goldstein[month])
        line.append(f"{x + step / 2:.1f},{height / 2 - mean / 10 * (height / 2 - pad):.1f}")
        parts.append(f"<text x={x + 2:.1f} y={height - 10} font-size=10>{_e(month)}</text>")
    if line:
        parts.append(f"<polyline id=goldstein points='{' '.join(line)}' fill=none "
                     "stroke='#1d2330' stroke-width=2/>")
    parts.append("</svg>")
    title = f"{source} → {target}" if target else f"{source} as source"
    body = (f"<h1>{_e(title)}</h1><p>{len(events)} events; bars: events per month by quad "
            "class (verbal/material cooperation, verbal/material conflict); line: mean "
            f"Goldstein score (dashed: 0, top +10, bottom −10).</p>{''.join(parts)}")
    return page(title, body)


@cache
def world_paths() -> list[dict[str, str]]:
    """Return the shipped country outlines (SVG paths in longitude/-latitude degrees)."""
    data = json.loads(resources.files("whodid").joinpath("data/world.json").read_text("utf-8"))
    return list(data["countries"])


def render_map(events: list[dict[str, Any]]) -> str:
    """Event locations as points over the country outlines (equirectangular SVG)."""
    outlines = "".join(f"<path class=land d='{country['path']}'><title>{_e(country['name'])}"
                       "</title></path>" for country in world_paths())
    points = []
    for event in events:
        if event.get("lat") is None or event.get("lon") is None:
            continue
        points.append(f"<a href='/event/{_e(event['id'])}'><circle class=point "
                      f"cx={float(event['lon']):.3f} cy={-float(event['lat']):.3f} r=1.2>"
                      f"<title>{_e(event['date'])} {_e(event['cameo'])} "
                      f"{_e(event['location_name'])}</title></circle></a>")
    svg = ("<svg id=map width=1000 height=500 viewBox='-180 -90 360 180'>"
           "<rect class=ocean x=-180 y=-90 width=360 height=180/>"
           f"{outlines}{''.join(points)}</svg>")
    return page("Map", f"<h1>{len(points)} located events</h1>{svg}")


def render_actors(rows: list[dict[str, Any]], search: str | None, origin: str,
                  offset: int) -> str:
    """Known and learned actors, their codes and roles."""
    body_rows = "".join(
        f"<tr><td>{_e(r['origin'])}</td><td>{_e(r['kind'])}</td><td>{_e(r['name'])}</td>"
        f"<td>{_e(r['code'])}</td><td>{_e(r['country'])}</td><td>{_e(r['roles'])}</td></tr>"
        for r in rows)
    form = (f"<form method=get><input name=search value='{_e(search or '')}' "
            f"placeholder='name or alias'><select name=origin>"
            + "".join(f"<option{' selected' if o == origin else ''}>{o}</option>"
                      for o in ("all", "kb", "user", "petrarch", "learned"))
            + "</select><button>Search</button></form>")
    following = urlencode({"search": search or "", "origin": origin, "offset": offset + 200})
    more = f"<p><a href='/actors?{_e(following)}'>next</a></p>" if len(rows) == 200 else ""
    body = (f"<h1>Actors</h1>{form}<table><thead><tr><th>origin</th><th>kind</th><th>name</th>"
            f"<th>code</th><th>country</th><th>roles</th></tr></thead><tbody>{body_rows}"
            f"</tbody></table>{more}")
    return page("Actors", body)

