"""``whodid serve``: the web application over one event database, a JSON API and HTML pages.

``create_app`` builds it from ``ServerSettings``: a limit on the request body size, the read-only
JSON API, ``POST /api/code``, and the pages. The handlers here only parse parameters, call
``whodid.store`` and hand the rows to ``whodid.serve.pages``, which renders them through Jinja2
templates. The server is read-only unless started with ``allow_write`` and a token; then
``POST /api/code?store=true`` with ``Authorization: Bearer TOKEN`` stores what it codes.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as Path_
from fastapi.responses import HTMLResponse, JSONResponse

from whodid.serve.network import rank_actors, render_actor, render_network, render_ranking
from whodid.serve.pages import (
    ACTORS_PER_PAGE,
    active_filters,
    render_actors,
    render_dyad,
    render_event,
    render_events,
    render_map,
)
from whodid.store import EventFilter, Store, StoreError, aggregate
from whodid.store.queries import (
    article_json,
    cluster_mentions,
    list_articles,
    outlets_by_event,
    query_events,
    search_problem,
)

if TYPE_CHECKING:
    from whodid.config import Options
    from whodid.model import Article

ENVELOPE_FACTOR = 2  # a POST body may be this many times the article limit (option
# max_article_bytes): the text inside JSON, its quotes, newlines and non-ASCII letters escaped
DRAIN_FACTOR = 16  # an oversized body up to this many times the limit is read before the 413
PAGE_LIMIT = 1000


@dataclass
class ServerSettings:
    """What one server serves and allows."""

    db: Path
    allow_write: bool = False
    token: str | None = None
    max_body_bytes: int | None = None  # None: ENVELOPE_FACTOR times option max_article_bytes
    coding_slots: int = 1  # articles coded at once by POST /api/code (each takes a core)
    coding_timeout: float = 120.0  # seconds a POST waits for a slot, then for its coding


API_SOURCE = "api"  # the source of a posted article, and the input of the run that stores it


class _Coder:
    """The pipeline, loaded on the first POST /api/code (spaCy takes seconds to load), run in a
    worker thread so that coding never blocks the event loop (GETs stay fast): at most
    ``slots`` articles at a time; a request that waits longer than ``timeout`` seconds for a
    slot gets 503, one whose coding takes longer gets 504 (the coding finishes unseen)."""

    def __init__(self, slots: int, timeout: float) -> None:
        """Start with no pipeline loaded and ``slots`` free coding slots."""
        self._pipeline: Any = None
        self._lock = threading.Lock()
        self._slots = asyncio.Semaphore(slots)
        self.timeout = timeout

    @cached_property
    def options(self) -> Options:
        """The options the pipeline codes with (the defaults), loaded on first use."""
        from whodid.config import load_options

        return load_options()

    async def run(self, work: Callable[[], Any]) -> Any:
        """Return what ``work`` (coding, storing) returns, run in a worker thread in a slot."""
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except TimeoutError as e:
            raise HTTPException(503, "busy coding other articles; try again later",
                                headers={"Retry-After": "10"}) from e
        task = asyncio.ensure_future(asyncio.to_thread(work))
        task.add_done_callback(lambda _: self._slots.release())  # when done, even unseen
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.timeout)
        except TimeoutError as e:
            raise HTTPException(504, f"coding took longer than {self.timeout:.0f} s") from e

    def code(self, record: dict[str, Any]) -> Article:
        """Return the coded Article of one validated article record; HTTP 422 when the
        record is no article or the pipeline could not code it."""
        from whodid import Article, load_pipeline
        from whodid.stages.read import BadInput, article_from_record, text_digest

        with self._lock:
            if self._pipeline is None:
                self._pipeline = load_pipeline(self.options)
            pipeline = self._pipeline
        try:
            nameless = f"{API_SOURCE}-{text_digest(str(record.get('text') or record['html']))}"
            article = article_from_record(record, API_SOURCE, str(record.get("id") or nameless),
                                          self.options.max_article_bytes)
        except BadInput as e:
            raise HTTPException(413 if "too large" in str(e) else 422, str(e)) from e
        (coded,) = pipeline([article])
        if not isinstance(coded, Article):
            raise HTTPException(422, str(coded))
        return coded


DAY = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# Beyond any database's rows, and inside SQLite's 64-bit integers (a larger OFFSET was a 500).
MAX_OFFSET = 10**12
OFFSET = Query(0, ge=0, le=MAX_OFFSET)


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
        background: bool = Query(False, description="Keep background events (dated over a "
                                 "year before their article), left out by default"),
        include_incomplete: bool = Query(False, description="Also events missing a side their "
                                                            "category needs")) -> EventFilter:
    """The filters of `whodid events`, as query parameters (a FastAPI dependency); HTTP 400
    when ``search`` is not valid FTS5."""
    problem = search_problem(search) if search else None
    if problem:
        raise HTTPException(400, problem)
    return EventFilter(actor=actor, cameo=cameo, plover=plover, country=country, since=since,
                       until=until, min_confidence=min_confidence, search=search,
                       background=background, include_incomplete=include_incomplete)


FILTERS = Depends(event_filter)
SORT = Query("newest", pattern="^(newest|oldest|mentions|confidence)$",
             description="Newest or oldest first, most mentioned or most confident first")


def create_app(settings: ServerSettings) -> FastAPI:
    """Return the web application over ``settings.db``: the JSON API (reading, and coding
    with ``POST /api/code``) and the pages, behind a limit on the request body size."""
    app = FastAPI(title="whodid", description="Political events coded from news: who did what "
                  "to whom, when and where.", version=_version(),
                  docs_url=None, redoc_url=None)  # their pages load scripts from a CDN: offline
                                                  # means offline; the schema is /openapi.json
    if settings.max_body_bytes is None:
        settings = replace(settings, max_body_bytes=body_bytes(_default_options()))
    known = _KnownActors(settings.db)
    app.middleware("http")(body_limit(_limit(settings)))
    app.exception_handler(StoreError)(_database_unusable)
    app.include_router(api_routes(settings, known))
    app.include_router(coding_routes(settings))
    app.include_router(page_routes(settings, known))
    return app


def _default_options() -> Options:
    """Return the options the server codes with (the defaults)."""
    from whodid.config import load_options

    return load_options()


def body_bytes(options: Options) -> int:
    """Return the largest POST body taken: an article at the limit of ``options``
    (``max_article_bytes``) wrapped in its JSON envelope (``ENVELOPE_FACTOR``); an article
    over that limit inside a smaller body is refused by the reading, with the reason."""
    return ENVELOPE_FACTOR * options.max_article_bytes


def _limit(settings: ServerSettings) -> int:
    """Return the body limit of ``settings`` (``create_app`` sets one that is None)."""
    if settings.max_body_bytes is None:
        return body_bytes(_default_options())
    return settings.max_body_bytes


NextHandler = Callable[[Request], Awaitable[Response]]


async def _database_unusable(request: Request, error: Exception) -> Response:
    """Answer 503 with the reason when the database cannot be read (replaced, not SQLite)."""
    return JSONResponse({"detail": str(error)}, status_code=503)


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
                   offset: int = OFFSET, sort: str = SORT) -> dict[str, Any]:
        """Events across articles (one per event, with mention counts), filtered, sorted
        (newest first by default), paged."""
        with Store(settings.db, read_only=True) as db:
            rows = _page(query_events(db.connection, where, order=sort), limit, offset)
        return {"items": rows, "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(rows) == limit else None}

    @router.get("/api/events/{event_id}")
    def api_event(event_id: str) -> dict[str, Any]:
        """One event across articles: its mentions, each with its evidence and article."""
        with Store(settings.db, read_only=True) as db:
            mentions = cluster_mentions(db.connection, event_id)
        if not mentions:
            raise HTTPException(404, f"no event {event_id!r}")
        return {"id": event_id, "mentions": mentions}

    @router.get("/api/articles")
    def api_articles(limit: int = Query(50, ge=1, le=PAGE_LIMIT),
                     offset: int = OFFSET) -> dict[str, Any]:
        """Stored articles, newest first, paged."""
        with Store(settings.db, read_only=True) as db:
            return {"items": list_articles(db.connection, limit, offset), "limit": limit,
                    "offset": offset}

    @router.get("/api/articles/{article_id}")
    def api_article(article_id: str) -> dict[str, Any]:
        """One stored article as ``whodid code --out`` writes it."""
        with Store(settings.db, read_only=True) as db:
            article = article_json(db.connection, article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return article

    @router.get("/api/actors")
    def api_actors(search: str | None = Query(None, max_length=100),
                   origin: str = Query("all", pattern="^(all|kb|user|petrarch|learned)$"),
                   limit: int = Query(100, ge=1, le=PAGE_LIMIT),
                   offset: int = OFFSET) -> dict[str, Any]:
        """Known actors (knowledge base, added, imported, learned) with codes and roles."""
        return {"items": _page(known.rows(origin, search), limit, offset),
                "limit": limit, "offset": offset}

    @router.get("/api/stats")
    def api_stats(by: str = Query("month", pattern="^(month|dyad|root|plover|goldstein)$"),
                  where: EventFilter = FILTERS) -> dict[str, Any]:
        """Counts by month, dyad, root or category, or the monthly mean Goldstein per dyad."""
        with Store(settings.db, read_only=True) as db:
            rows, columns = aggregate(query_events(db.connection, where), by)
        return {"by": by, "columns": list(columns), "rows": rows}

    return router


def coding_routes(settings: ServerSettings) -> APIRouter:
    """Return ``POST /api/code``, which codes a posted article and, on a server that allows
    writing, stores it through ``whodid.run.store_batch`` (as ``whodid code`` stores)."""
    router = APIRouter()
    coder = _Coder(settings.coding_slots, settings.coding_timeout)

    @router.post("/api/code")
    async def api_code(request: Request, store_it: bool = Query(False, alias="store")
                       ) -> dict[str, Any]:
        """Code a text or an article record (JSON: ``text`` or ``html``, optional ``id``,
        ``title``, ``published``, ``outlet``, ``url``); returns the Article JSON. Nothing is
        stored unless ``store=true`` on a server started with --allow-write and the token;
        then it is stored as ``whodid code`` stores what it codes, as a run of its own.
        Coding runs beside the server (GETs are answered meanwhile), a few at a time."""
        if store_it:
            if not settings.allow_write:
                raise HTTPException(403, "this server is read-only (start it with "
                                         "--allow-write and a token)")
            if request.headers.get("authorization") != f"Bearer {settings.token}":
                raise HTTPException(401, "a valid 'Authorization: Bearer TOKEN' is required")
        record = _article_record(await _body(request, _limit(settings)), _limit(settings))

        def code_and_store() -> dict[str, Any]:
            """Code the record (and store it when asked); return the Article JSON."""
            article = coder.code(record)
            coded = dict(article.to_dict())
            if store_it:
                from whodid.run import store_batch

                errors: list[str] = []
                store_batch(settings.db, [article], [API_SOURCE], coder.options,
                            lambda error: errors.append(error.message))
                if errors:
                    raise HTTPException(409 if "duplicate article id" in errors[0] else 422,
                                        errors[0])
            return coded

        result: dict[str, Any] = await coder.run(code_and_store)
        return result

    return router


async def _body(request: Request, max_bytes: int) -> bytes:
    """Return the request body, reading no more than ``max_bytes`` of it: HTTP 413 as soon as
    a body without a Content-Length (chunked) goes over."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HTTPException(413, f"request body over {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _article_record(body: bytes, max_bytes: int) -> dict[str, Any]:
    """Return the article record a POST body holds; HTTP 413, 400 or 422 when the body is too
    long, not JSON (or nested too deep), or not an object with a ``text`` or ``html`` that
    holds more than whitespace."""
    if len(body) > max_bytes:
        raise HTTPException(413, f"request body over {max_bytes} bytes")
    try:
        record = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HTTPException(400, f"body is not JSON: {e}") from e
    except RecursionError as e:
        raise HTTPException(400, "body is JSON nested too deeply") from e
    except ValueError as e:  # a number of thousands of digits
        raise HTTPException(400, f"body is not readable JSON: {e}") from e
    if not isinstance(record, dict):
        raise HTTPException(422, "body must be an object with a non-empty 'text' or 'html'")
    content = record.get("text") or record.get("html")
    if not isinstance(content, str) or not content.strip():
        raise HTTPException(422, "body must be an object with a non-empty 'text' or 'html'")
    return dict(record)


def page_routes(settings: ServerSettings, known: _KnownActors) -> APIRouter:
    """Return the HTML pages over ``settings.db``: events, one event, a dyad, the map, actors.
    The events page and the map are rendered once per database change (``PageCache``)."""
    router = APIRouter()
    pages = PageCache(settings.db)

    @router.get("/", response_class=HTMLResponse)
    def events_page(where: EventFilter = FILTERS,
                    offset: int = OFFSET, sort: str = SORT) -> str:
        """The events that pass the filters, with facets, 100 from ``offset`` in ``sort``
        order (newest first by default)."""
        values = asdict(where)

        def render() -> str:
            """Render the page from the database (facets over every matching event)."""
            with Store(settings.db, read_only=True) as db:
                everything = list(query_events(db.connection, where, order=sort))
                outlets = outlets_by_event(db.connection, [e["id"] for e in everything])
            return render_events(everything, values, offset, outlets, sort)

        return pages.get(("/", tuple(values.items()), offset, sort), render)

    @router.get("/event/{event_id}", response_class=HTMLResponse)
    def event_page(event_id: str) -> str:
        """One event: its first mention's article with the evidence marked, and the others."""
        with Store(settings.db, read_only=True) as db:
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
        with Store(settings.db, read_only=True) as db:
            events = [e for e in query_events(db.connection, EventFilter(actor=source))
                      if str(e["source_code"] or "").startswith(source.upper()) and (
                          target is None or str(e["target_code"] or "").startswith(
                              target.upper()))]
        return render_dyad(source.upper(), target.upper() if target else None, events)

    @router.get("/map", response_class=HTMLResponse)
    def map_page(where: EventFilter = FILTERS) -> str:
        """The located events that pass the filters, on a world map."""
        def render() -> str:
            """Render the map from the database (the outlines and every located event)."""
            with Store(settings.db, read_only=True) as db:
                events = list(query_events(db.connection, where, details=True))
            return render_map(events)

        return pages.get(("/map", tuple(asdict(where).items())), render)

    @router.get("/actors/known", response_class=HTMLResponse)
    def known_actors_page(search: str | None = Query(None, max_length=100),
                          origin: str = Query("all", pattern="^(all|kb|user|petrarch|learned)$"),
                          offset: int = OFFSET) -> str:
        """Known actors of ``origin`` matching ``search``, 200 from ``offset``."""
        rows = _page(known.rows(origin, search), ACTORS_PER_PAGE, offset)
        return render_actors(rows, search, origin, offset)

    router.include_router(actor_routes(settings))
    return router


def actor_routes(settings: ServerSettings) -> APIRouter:
    """Return the pages of the actors of the stored events: their ranking, one actor's page,
    and the network of who did what to whom."""
    router = APIRouter()

    @router.get("/actors", response_class=HTMLResponse)
    def actors_page(where: EventFilter = FILTERS) -> str:
        """The actors of the events that pass the filters, most events first."""
        with Store(settings.db, read_only=True) as db:
            events = list(query_events(db.connection, where, details=True))
        return render_ranking(rank_actors(events), len(events))

    @router.get("/actor/{code}", response_class=HTMLResponse)
    def actor_page(code: str = Path_(..., pattern=r"^[A-Za-z0-9]{3,30}$"),
                   background: bool = Query(False)) -> str:
        """One actor (CAMEO code): its timeline, counterparts, events as source and target."""
        where = EventFilter(actor=code, background=background)
        with Store(settings.db, read_only=True) as db:
            events = [e for e in query_events(db.connection, where, details=True,
                                              order="newest")
                      if code.upper() in (e["source_code"], e["target_code"])]
        if not events:
            raise HTTPException(404, f"no events of actor {code!r}")
        return render_actor(code.upper(), events)

    @router.get("/network", response_class=HTMLResponse)
    def network_page(where: EventFilter = FILTERS) -> str:
        """The actors of the events that pass the filters and the events between them."""
        with Store(settings.db, read_only=True) as db:
            events = list(query_events(db.connection, where, details=True))
        return render_network(events, urlencode(active_filters(asdict(where))))

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
        self._state: tuple[tuple[int, int], ...] | None = None
        self._entities: list[Any] = []
        self._lock = threading.Lock()

    def rows(self, origin: str, search: str | None) -> Any:
        """Return the listing rows (``actor_row``) of the known actors of ``origin`` (or all)
        whose name or alias contains ``search``, lazily."""
        from whodid.store.actor_listing import actor_matches, actor_row, known_actors

        state = database_state(self.db)
        with self._lock:
            if state != self._state:
                self._entities, self._state = known_actors(str(self.db), "all"), state
            entities = self._entities
        return (actor_row(e) for e in entities if origin in ("all", e.origin)
                and (not search or actor_matches(e, search)))




def database_state(db: Path) -> tuple[tuple[int, int], ...]:
    """Return what changes when the database at ``db`` changes: modification time and size of
    the file and of its write-ahead log (an empty log, which readers create and drop, changes
    nothing)."""
    states = []
    for file in (db, db.with_name(db.name + "-wal")):
        try:
            stat = file.stat()
        except FileNotFoundError:
            continue
        if stat.st_size:
            states.append((stat.st_mtime_ns, stat.st_size))
    return tuple(states)


class PageCache:
    """Rendered pages kept until the database changes: under load, 200 requests for ``/``
    render it once, not 200 times (each render reads every matching event for the facets).
    A page being rendered is awaited by the other requests for it, not rendered again."""

    def __init__(self, db: Path, size: int = 128) -> None:
        """Keep at most ``size`` pages of the database at ``db``."""
        self.db = db
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[Any, str]] = OrderedDict()
        self._rendering: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        """Return the page of ``key``, from the cache when the database has not changed since
        it was rendered, else from ``render()``."""
        with self._lock:
            page_lock = self._rendering.setdefault(key, threading.Lock())
        with page_lock:
            state = database_state(self.db)
            with self._lock:
                cached = self._pages.get(key)
                if cached is not None and cached[0] == state:
                    self._pages.move_to_end(key)
                    return cached[1]
            page = render()
            with self._lock:
                self._pages[key] = (state, page)
                self._pages.move_to_end(key)
                while len(self._pages) > self.size:
                    oldest, _ = self._pages.popitem(last=False)
                    self._rendering.pop(oldest, None)
            return page
