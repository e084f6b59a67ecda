"""The actors of the events in the database: their ranking, one actor's page and the network.

Everything here is counted from ``query_events`` rows (with details), so the actors page, an
actor's page and the network see the events the table sees, filters and all. An actor is its
CAMEO code ("IRQGOV"); its name is the commonest name its events give it. The network is drawn
by the server as SVG: a small force layout (Fruchterman-Reingold, fixed start, so the same
events always give the same drawing), nodes sized by events, edges source -> target as wide as
their events and coloured by their mean Goldstein score.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from whodid.serve.pages import render, timeline

NAMES_SHOWN = 3  # names of an actor (code) shown, commonest first
NETWORK_NODES = 40  # the network shows the actors of most events, this many at most
LAYOUT_ROUNDS = 150
EDGE_SHIFT = 3.0  # pixels an edge is drawn beside the line between its actors' centres
GRAVITY = 1.0  # the pull to the middle that keeps the actors of a lone pair near the rest


@dataclass(frozen=True)
class RankedActor:
    """An actor of the events: its code, the commonest names its events give it (one code
    may stand for several people of one office), its events as source and as target."""

    code: str
    name: str
    as_source: int
    as_target: int

    @property
    def events(self) -> int:
        """Return how many events the actor is in (source or target)."""
        return self.as_source + self.as_target

    @property
    def link(self) -> str:
        """Return the path of the actor's page."""
        return f"/actor/{quote(self.code, safe='')}"


def rank_actors(events: Iterable[dict[str, Any]]) -> list[RankedActor]:
    """Return the actors of ``events`` (``query_events`` rows with details), most events
    first (ties by code)."""
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for event in events:
        for role in ("source", "target"):
            code = event.get(f"{role}_code")
            if code:
                roles[code][role] += 1
                names[code][event.get(f"{role}_name") or code] += 1
    ranked = [RankedActor(code, actor_name(code, names[code]), counts["source"],
                          counts["target"]) for code, counts in roles.items()]
    return sorted(ranked, key=lambda a: (-a.events, a.code))


def actor_name(code: str, names: Counter[str]) -> str:
    """Return the name shown for the actor ``code``: its NAMES_SHOWN commonest ``names``
    other than the bare code (the code when there is no other), joined by " · "."""
    shown = [name for name, _ in names.most_common() if name != code][:NAMES_SHOWN]
    return " · ".join(shown) or code


def render_ranking(actors: list[RankedActor], total: int) -> str:
    """Return the actors page: the ``actors`` of the database's ``total`` events, ranked."""
    return render("actors.html", title="Actors", actors=actors, total=total)


# -- one actor ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counterpart:
    """An actor that ``code``'s events have on their other side, and how often each way."""

    code: str
    name: str
    done_to: int  # events the page's actor did to it
    done_by: int  # events it did to the page's actor

    @property
    def link(self) -> str:
        """Return the path of the counterpart's page."""
        return f"/actor/{quote(self.code, safe='')}"


def counterparts(code: str, events: list[dict[str, Any]]) -> list[Counterpart]:
    """Return the counterparts of the actor ``code`` in ``events``, most events first."""
    done_to: Counter[str] = Counter()
    done_by: Counter[str] = Counter()
    names: dict[str, str] = {}
    for event in events:
        if event["source_code"] == code and event["target_code"]:
            done_to[event["target_code"]] += 1
            names.setdefault(event["target_code"], event.get("target_name") or event["target_code"])
        if event["target_code"] == code and event["source_code"]:
            done_by[event["source_code"]] += 1
            names.setdefault(event["source_code"], event.get("source_name") or event["source_code"])
    found = [Counterpart(other, names[other], done_to[other], done_by[other])
             for other in {*done_to, *done_by}]
    return sorted(found, key=lambda c: (-(c.done_to + c.done_by), c.code))


def render_actor(code: str, events: list[dict[str, Any]]) -> str:
    """Return the page of the actor ``code`` over ``events`` (``query_events`` rows with
    details, newest first, each with the actor on one side): its timeline, its counterparts,
    and its events as source and as target."""
    ranked = rank_actors(events)
    name = next((a.name for a in ranked if a.code == code), code)
    return render("actor.html", title=f"{code}: {name}", code=code, total=len(events),
                  chart=timeline(events), counterparts=counterparts(code, events),
                  as_source=[e for e in events if e["source_code"] == code],
                  as_target=[e for e in events if e["target_code"] == code])


# -- the network -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """An actor drawn in the network: where, how big, and its events."""

    actor: RankedActor
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class Edge:
    """Events from one actor to another: how many, their mean Goldstein, how drawn."""

    source: Node
    target: Node
    events: int
    goldstein: float
    width: float
    colour: str

    def _ends(self) -> tuple[float, float, float, float]:
        """Return the direction (unit x, y) and the sideways shift (x, y) of the edge: shifted
        to its right, so that A -> B and B -> A are two lines, not one."""
        dx, dy = self.target.x - self.source.x, self.target.y - self.source.y
        far = max(math.hypot(dx, dy), 1e-9)
        ux, uy = dx / far, dy / far
        return ux, uy, -uy * EDGE_SHIFT, ux * EDGE_SHIFT

    @property
    def start(self) -> tuple[float, float]:
        """Return where the line starts: beside the source's centre."""
        _, _, sx, sy = self._ends()
        return self.source.x + sx, self.source.y + sy

    @property
    def tip(self) -> tuple[float, float]:
        """Return where the arrow ends: on the edge of the target's circle, not under it."""
        ux, uy, sx, sy = self._ends()
        far = math.hypot(self.target.x - self.source.x, self.target.y - self.source.y)
        back = min(math.sqrt(max(self.target.r ** 2 - EDGE_SHIFT ** 2, 0.0)) + 2, far / 2)
        return self.target.x - ux * back + sx, self.target.y - uy * back + sy


def goldstein_colour(score: float) -> str:
    """Return the colour of a mean Goldstein score: red for conflict (-10), grey for 0, blue
    for cooperation (+10)."""
    share = max(-1.0, min(1.0, score / 10))
    grey, far = (150, 150, 150), ((192, 57, 43) if share < 0 else (36, 113, 163))
    mixed = [round(g + (f - g) * min(1.0, abs(share) * 2)) for g, f in zip(grey, far,
                                                                         strict=True)]
    return "#" + "".join(f"{value:02x}" for value in mixed)


def layout(names: list[str], links: dict[tuple[str, str], int], width: float,
           height: float) -> dict[str, tuple[float, float]]:
    """Return a position in ``width`` x ``height`` for each of ``names``, by a force layout:
    every pair repels, linked pairs attract, all are pulled to the middle; started on a spiral
    (the actors of most events in the middle), so it is deterministic."""
    count = len(names)
    if count == 0:
        return {}
    turn = math.pi * (3 - math.sqrt(5))  # the golden angle: a spiral fills the disc evenly
    spot = {n: [math.sqrt((i + 0.5) / count) * math.cos(i * turn),
                math.sqrt((i + 0.5) / count) * math.sin(i * turn)] for i, n in enumerate(names)}
    ideal = math.sqrt(4.0 / count)
    pull_in = GRAVITY * count * ideal * ideal  # balances the pairs' push at a radius near 1
    heat = 0.2
    for _ in range(LAYOUT_ROUNDS):
        move = {n: [0.0, 0.0] for n in names}
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dx, dy = spot[a][0] - spot[b][0], spot[a][1] - spot[b][1]
                far = max(math.hypot(dx, dy), 1e-3)
                push = ideal * ideal / far
                pull = far * far / ideal * min(links.get((a, b), 0) + links.get((b, a), 0), 3)
                force = (push - pull) / far
                move[a][0] += dx * force
                move[a][1] += dy * force
                move[b][0] -= dx * force
                move[b][1] -= dy * force
        for n in names:
            move[n][0] -= pull_in * spot[n][0]
            move[n][1] -= pull_in * spot[n][1]
            size = max(math.hypot(*move[n]), 1e-9)
            step = min(size, heat)
            spot[n][0] += move[n][0] / size * step
            spot[n][1] += move[n][1] / size * step
        heat *= 0.97
    return _fitted(spot, width, height)


def _fitted(spot: dict[str, list[float]], width: float, height: float
            ) -> dict[str, tuple[float, float]]:
    """Return the positions ``spot`` scaled into ``width`` x ``height`` with a margin."""
    xs, ys = [p[0] for p in spot.values()], [p[1] for p in spot.values()]
    margin = 60.0
    span_x, span_y = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    return {n: (margin + (p[0] - min(xs)) / span_x * (width - 2 * margin),
                margin + (p[1] - min(ys)) / span_y * (height - 2 * margin))
            for n, p in spot.items()}


def network(events: list[dict[str, Any]], width: int = 1000,
            height: int = 520) -> tuple[list[Node], list[Edge]]:
    """Return the nodes (the NETWORK_NODES actors of most ``events``) and the source ->
    target edges between them, laid out in ``width`` x ``height``."""
    actors = rank_actors(events)[:NETWORK_NODES]
    shown = {a.code: a for a in actors}
    counts: Counter[tuple[str, str]] = Counter()
    scores: dict[tuple[str, str], float] = defaultdict(float)
    for event in events:
        pair = (event["source_code"], event["target_code"])
        if pair[0] in shown and pair[1] in shown and pair[0] != pair[1]:
            counts[pair] += 1
            scores[pair] += float(event["goldstein"] or 0)
    spots = layout(list(shown), dict(counts), width, height)
    most = max((a.events for a in actors), default=1)
    nodes = {code: Node(a, *spots[code], 5 + 15 * math.sqrt(a.events / most))
             for code, a in shown.items()}
    heaviest = max(counts.values(), default=1)
    edges = [Edge(nodes[s], nodes[t], n, scores[(s, t)] / n, 1 + 5 * n / heaviest,
                  goldstein_colour(scores[(s, t)] / n))
             for (s, t), n in sorted(counts.items())]
    return list(nodes.values()), edges


def render_network(events: list[dict[str, Any]], query: str) -> str:
    """Return the network page of ``events`` (``query_events`` rows with details); ``query``
    is the filters' query string, which the events link keeps."""
    nodes, edges = network(events)
    return render("network.html", title="Network", total=len(events), nodes=nodes, edges=edges,
                  query=query, legend=[(label, goldstein_colour(score))
                                       for label, score in (("conflict −10", -10.0),
                                                            ("neutral 0", 0.0),
                                                            ("cooperation +10", 10.0))])
