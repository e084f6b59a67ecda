"""The HTML pages of ``whodid serve``, rendered through the Jinja2 templates in ``templates/``.

Everything a page needs ships in the package (no CDN, no map tiles): the templates, a few lines of
CSS in ``base.html``, SVG charts and a world outline (``data/world.json``, Natural Earth 1:110m via
the npm package world-atlas). Each ``render_*`` function takes rows as ``whodid.store`` returns
them and returns a whole page; the Python here only counts, lays out and formats, and the
templates write every tag. Autoescaping is on for ``.html`` templates, so every text that comes
from an article or a request is escaped by Jinja2 and by nothing else.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

FACETS = (("root", "CAMEO root"), ("plover", "PLOVER"), ("source", "Source country"),
          ("target", "Target country"), ("outlet", "Outlet"), ("month", "Month"))
FACET_FILTERS = {"root": "cameo", "plover": "plover", "source": "country", "target": "country",
                 "month": "since"}  # the filter a facet value links to (outlets link nowhere)
FILTER_FIELDS = ("actor", "cameo", "plover", "country", "since", "until", "search")
SORTS = (("newest", "newest first"), ("mentions", "most mentioned"),
         ("confidence", "most confident"), ("oldest", "oldest first"))
EVENTS_PER_PAGE = 100
ACTORS_PER_PAGE = 200
ORIGINS = ("all", "kb", "user", "petrarch", "learned")
QUAD_COLOURS = {1: "#7fb3d5", 2: "#2e86c1", 3: "#f5b041", 4: "#c0392b"}
QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
               4: "material conflict"}


def _blank_none(value: Any) -> Any:
    """Return ``value``, or "" for None (a missing field is an empty cell, not "None")."""
    return "" if value is None else value


@cache
def environment() -> Environment:
    """Return the Jinja2 environment of the page templates (loaded once; autoescaping on)."""
    return Environment(loader=PackageLoader("whodid.serve", "templates"),
                       autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                       finalize=_blank_none, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> str:
    """Return the page the template named ``template`` renders with ``context``."""
    return environment().get_template(template).render(**context)


# -- events ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many events have it, and the query string that filters on it
    (None when it is not a filter: outlets, "-" and "unknown")."""

    value: str
    count: int
    query: str | None


@dataclass(frozen=True)
class EventRow:
    """One row of the events table, as shown."""

    id: str
    date: str | None
    source: str
    dyad: str | None  # the query string of the source's dyad page, None without a country
    target: str | None
    cameo: str
    plover: str | None
    where: str | None
    mentions: int
    articles: int
    evidence: str
    background: bool


def facet_values(events: list[dict[str, Any]], outlets: dict[str, set[str]],
                 active: dict[str, Any]) -> list[tuple[str, list[FacetValue]]]:
    """Return, for each facet in ``FACETS``, its label and its 8 commonest values among
    ``events`` (``outlets``: event id -> outlets that told it), each linking to ``active``
    (the filters in use) narrowed to that value."""
    counts: dict[str, Counter[str]] = {name: Counter() for name, _ in FACETS}
    for event in events:
        counts["root"][str(event["cameo"])[:2]] += 1
        counts["plover"][event["plover"] or "-"] += 1
        counts["source"][str(event["source_code"] or "-")[:3]] += 1
        counts["target"][str(event["target_code"] or "-")[:3]] += 1
        counts["month"][str(event["date"] or "unknown")[:7]] += 1
        for outlet in outlets.get(event["id"], ()):
            counts["outlet"][outlet] += 1
    facets = []
    for name, label in FACETS:
        values = []
        for value, count in counts[name].most_common(8):
            key = FACET_FILTERS.get(name)
            query = None
            if key and value not in ("-", "unknown"):
                narrowed = {**active, key: value}
                if name == "month":
                    narrowed["until"] = value
                query = urlencode(narrowed)
            values.append(FacetValue(value, count, query))
        facets.append((label, values))
    return facets


def event_row(event: dict[str, Any]) -> EventRow:
    """Return the table row of one event of ``query_events``."""
    source = str(event["source_code"] or "")
    return EventRow(id=event["id"], date=event["date"], source=source,
                    dyad=urlencode({"source": source[:3]}) if len(source) >= 3 else None,
                    target=event["target_code"], cameo=event["cameo"], plover=event["plover"],
                    where=event["location_name"], mentions=event["mentions"],
                    articles=event["articles"], evidence=str(event["evidence"])[:160],
                    background=bool(event.get("background")))


def active_filters(values: dict[str, Any]) -> dict[str, Any]:
    """Return the filters in use among ``values`` (unset ones are None, "" or False), as a
    query string wants them."""
    return {k: ("true" if v is True else v) for k, v in values.items()
            if v not in (None, "", False)}


def sort_links(active: dict[str, Any], order: str) -> list[tuple[str, str | None]]:
    """Return each order's label and the query string that sorts by it (None: the one in
    use)."""
    return [(label, None if name == order else urlencode({**active, "sort": name}))
            for name, label in SORTS]


def render_events(events: list[dict[str, Any]], values: dict[str, Any], offset: int,
                  outlets: dict[str, set[str]], order: str = "newest") -> str:
    """Return the events page: a filter form filled with ``values`` (the filters in use, None
    when unset), facets over all ``events``, the orders to sort by, and a table of 100 of
    them from ``offset`` in ``order`` (``outlets``: event id -> outlets that told it);
    background events are marked."""
    active = active_filters(values)
    following = offset + EVENTS_PER_PAGE
    return render("events.html", title="Events", total=len(events),
                  inputs=[(name, active.get(name, "")) for name in FILTER_FIELDS],
                  background=bool(values.get("background")),
                  sorts=sort_links(active, order), network=urlencode(active),
                  facets=facet_values(events, outlets, active),
                  rows=[event_row(event) for event in events[offset:following]],
                  more=urlencode({**active, "sort": order, "offset": following})
                  if len(events) > following else None)


# -- one event ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One piece of a marked article text, in order: ``text``, or a tag the template writes:
    ``span`` (opens a span of class ``kind`` titled ``text``), ``/span``, ``mark``, ``/mark``."""

    tag: str
    text: str = ""
    kind: str = ""


def marked_pieces(article: dict[str, Any], evidence: tuple[int, int] | None) -> list[Piece]:
    """Return the article's clean text (``article_json``'s ``text``) as pieces: the evidence
    span (start, end) between ``mark`` and ``/mark``, each actor mention and place between a
    ``span`` (titled with its code or country) and a ``/span``; of overlapping mentions and
    places the first wins. Tags are placed as the text is read, so the evidence may cross a
    span's edge (browsers mend that)."""
    text = article.get("text") or ""
    marks: list[tuple[int, int, str, str]] = []
    for mention in article.get("mentions") or []:
        code = (mention.get("actor") or {}).get("code") or ""
        marks.append((mention["start"], mention["end"], "actor", code))
    for place in article.get("places") or []:
        marks.append((place["start"], place["end"], "place", place.get("country") or ""))
    marks.sort()
    opening: dict[int, list[Piece]] = defaultdict(list)
    closing: dict[int, list[Piece]] = defaultdict(list)
    last_end = -1
    for start, end, kind, title in marks:
        if start < last_end:
            continue  # overlapping marks: the first wins
        opening[start].append(Piece("span", title, kind))
        closing[end].append(Piece("/span"))
        last_end = end
    if evidence is not None:
        opening[evidence[0]].insert(0, Piece("mark"))
        closing[evidence[1]].append(Piece("/mark"))
    pieces: list[Piece] = []
    read = 0
    for position in sorted(p for p in {*opening, *closing} if 0 <= p < len(text)):
        if position > read:
            pieces.append(Piece("text", text[read:position]))
        pieces.extend(closing.get(position, []))
        pieces.extend(opening.get(position, []))
        read = position
    if read < len(text):
        pieces.append(Piece("text", text[read:]))
    pieces.extend(closing.get(len(text), []))
    return pieces


def event_facts(first: dict[str, Any], mentions: int) -> list[tuple[str, Any]]:
    """Return the (label, value) lines of an event's table, from its first mention as
    ``cluster_mentions`` returns it and its number of ``mentions``."""
    return [("CAMEO", f"{first['cameo']} (Goldstein {first['goldstein']}, QuadClass "
                      f"{first['quad_class']})"),
            ("PLOVER", f"{first['plover']} {first['mode'] or ''}"),
            ("source", f"{first['source_text'] or '-'} = {first['source_name'] or ''} "
                       f"[{first['source_code'] or '-'}]"),
            ("target", f"{first['target_text'] or '-'} = {first['target_name'] or ''} "
                       f"[{first['target_code'] or '-'}]"),
            ("date", f"{first['date'] or 'unknown'} (precision {first['date_precision'] or '-'})"),
            ("location", f"{first['location_name'] or 'unknown'} "
                         f"{first['location_country'] or ''} {first['lat'] or ''} "
                         f"{first['lon'] or ''}"),
            ("confidence", first["confidence"]), ("negated", bool(first["negated"])),
            ("mentions", mentions)]


def render_event(event_id: str, mentions: list[dict[str, Any]], article: dict[str, Any]) -> str:
    """Return the page of one event (``mentions``: ``cluster_mentions`` rows, first first):
    the first mention's ``article`` (``article_json``) with the evidence marked, actors, date,
    place, and the other mentions."""
    first = mentions[0]
    return render("event.html", title=f"Event {first['cameo']}", event_id=event_id,
                  first=first, heading=article.get("title") or first["article_id"],
                  facts=event_facts(first, len(mentions)), others=mentions[1:],
                  pieces=marked_pieces(article, (first["span_start"], first["span_end"])))


# -- dyad timeline -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """The bar of one quad class in one month: its box and how many events it stands for."""

    quad: int
    x: float
    y: float
    width: float
    height: float
    count: int
    colour: str


@dataclass(frozen=True)
class Month:
    """One month of the timeline: where its label goes and its stacked bars."""

    month: str
    x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Timeline:
    """The drawing of a dyad timeline: size, margin, months and the mean-Goldstein line
    (``points`` as SVG wants them, "" without months)."""

    width: int
    height: int
    pad: int
    months: list[Month]
    points: str

    @property
    def baseline(self) -> int:
        """Return the y of the zero-count axis."""
        return self.height - self.pad

    @property
    def right(self) -> int:
        """Return the x where the axes end."""
        return self.width - self.pad

    @property
    def middle(self) -> float:
        """Return the y of Goldstein 0."""
        return self.height / 2

    @property
    def label_y(self) -> int:
        """Return the y of the month labels."""
        return self.height - 10


def timeline(events: list[dict[str, Any]], width: int = 760, height: int = 260,
             pad: int = 30) -> Timeline:
    """Return the timeline of ``events`` (``query_events`` rows): per month of a known date,
    the event counts stacked by quad class, and a line through the mean Goldstein score
    (0 mid-height, +10 at the top margin, -10 at the bottom one)."""
    months = sorted({str(e["date"])[:7] for e in events
                     if e["date"] and len(str(e["date"])) >= 7})
    counts: dict[str, Counter[int]] = {m: Counter() for m in months}
    goldstein: dict[str, list[float]] = defaultdict(list)
    for event in events:
        month = str(event["date"] or "")[:7]
        if month in counts:
            counts[month][int(event["quad_class"] or 1)] += 1
            goldstein[month].append(float(event["goldstein"] or 0))
    top = max((sum(c.values()) for c in counts.values()), default=1) or 1
    step = (width - 2 * pad) / max(len(months), 1)
    columns, line = [], []
    for index, month in enumerate(months):
        x = pad + index * step
        y = float(height - pad)
        bars = []
        for quad in (1, 2, 3, 4):
            size = counts[month][quad] / top * (height - 2 * pad)
            if size:
                y -= size
                bars.append(Bar(quad, x + 2, y, max(step - 4, 2), size, counts[month][quad],
                                QUAD_COLOURS[quad]))
        columns.append(Month(month, x + 2, bars))
        mean = sum(goldstein[month]) / len(goldstein[month])
        line.append(f"{x + step / 2:.1f},{height / 2 - mean / 10 * (height / 2 - pad):.1f}")
    return Timeline(width, height, pad, columns, " ".join(line))


def render_dyad(source: str, target: str | None, events: list[dict[str, Any]]) -> str:
    """Return the timeline page of the ``events`` of ``source`` (and ``target``), country
    codes: monthly event counts stacked by quad class and the mean Goldstein line."""
    title = f"{source} → {target}" if target else f"{source} as source"
    return render("dyad.html", title=title, total=len(events), chart=timeline(events))


# -- map ---------------------------------------------------------------------------------------

@cache
def world_paths() -> list[dict[str, str]]:
    """Return the shipped country outlines (``name`` and SVG ``path`` in longitude/-latitude
    degrees), read from ``data/world.json`` once per process, each cut where it crosses the
    antimeridian (see ``cut_at_antimeridian``)."""
    data = json.loads(resources.files("whodid").joinpath("data/world.json").read_text("utf-8"))
    return [{**country, "path": cut_at_antimeridian(country["path"])}
            for country in data["countries"]]


def cut_at_antimeridian(path: str) -> str:
    """Return the SVG ``path`` (M, L, Z commands over x,y pairs) with a new subpath wherever a
    line would jump over half the world: Russia and Fiji cross longitude 180, and the jump
    from 179.9 to -180 would paint a band across the whole map."""
    parts: list[str] = []
    last_x: float | None = None
    for command, x, y in re.findall(r"([MLZ])(?:(-?[\d.]+),(-?[\d.]+))?", path):
        if command == "Z":
            parts.append("Z")
            last_x = None
            continue
        if command == "L" and last_x is not None and abs(float(x) - last_x) > 180:
            command = "M"
        parts.append(f"{command}{x},{y}")
        last_x = float(x)
    return "".join(parts)


@dataclass(frozen=True)
class Point:
    """A located event on the map: its id, where it is drawn (x longitude, y -latitude), its
    quad class and mentions (its colour and size) and what its tooltip says."""

    event_id: str
    x: float
    y: float
    date: str | None
    cameo: str
    where: str | None
    quad: int
    mentions: int

    @property
    def colour(self) -> str:
        """Return the colour of the point's quad class."""
        return QUAD_COLOURS.get(self.quad, "#667")

    @property
    def r(self) -> float:
        """Return the radius (in degrees): its area grows with the mentions."""
        return 1.6 + 0.9 * (math.sqrt(self.mentions) - 1.0)


def map_point(event: dict[str, Any]) -> Point:
    """Return the map point of a located ``query_events`` row (with details)."""
    return Point(event["id"], float(event["lon"]), -float(event["lat"]), event["date"],
                 event["cameo"], event["location_name"], int(event["quad_class"] or 0),
                 int(event["mentions"] or 1))


@dataclass(frozen=True)
class MapView:
    """The part of the world the map shows (SVG viewBox, in degrees), twice as wide as high."""

    x: float
    y: float
    width: float
    height: float

    @property
    def scale(self) -> float:
        """Return the share of the whole world's width shown (points shrink with it)."""
        return self.width / 360


def map_view(points: list[Point], margin: float = 8.0, least: float = 40.0) -> MapView:
    """Return the view that holds ``points`` with ``margin`` degrees around them, at least
    ``least`` degrees wide, twice as wide as high (the whole world without points)."""
    if not points:
        return MapView(-180, -90, 360, 180)
    left, right = min(p.x for p in points) - margin, max(p.x for p in points) + margin
    top, bottom = min(p.y for p in points) - margin, max(p.y for p in points) + margin
    width = min(max(right - left, 2 * (bottom - top), least), 360.0)
    height = width / 2
    x = min(max((left + right - width) / 2, -180.0), 180.0 - width)
    y = min(max((top + bottom - height) / 2, -90.0), 90.0 - height)
    return MapView(x, y, width, height)


def render_map(events: list[dict[str, Any]]) -> str:
    """Return the map page: the located ``events`` (``query_events`` rows with details) as
    points over the country outlines (equirectangular SVG, zoomed to the points), coloured by
    quad class, sized by mentions (the most mentioned drawn last, on top), each a link to its
    event; a legend."""
    points = sorted((map_point(e) for e in events
                     if e.get("lat") is not None and e.get("lon") is not None),
                    key=lambda p: p.mentions)
    legend = [(quad, label, QUAD_COLOURS[quad]) for quad, label in QUAD_LABELS.items()]
    return render("map.html", title="Map", countries=world_paths(), points=points,
                  legend=legend, view=map_view(points))


# -- actors ------------------------------------------------------------------------------------

def render_actors(rows: list[dict[str, Any]], search: str | None, origin: str,
                  offset: int) -> str:
    """Return the actors page: the search form (``search``, ``origin``) and the listing
    ``rows`` (``actor_row``), with a link to the next 200 from ``offset`` when this page
    is full."""
    following = urlencode({"search": search or "", "origin": origin,
                           "offset": offset + ACTORS_PER_PAGE})
    return render("known.html", title="Known actors", rows=rows, search=search or "",
                  origin=origin, origins=ORIGINS,
                  more=following if len(rows) == ACTORS_PER_PAGE else None)

