"""The actors of the stored events: ranking, counterparts, the network's layout and colours."""

from __future__ import annotations

from typing import Any

from whodid.serve.network import counterparts, goldstein_colour, layout, network, rank_actors


def event(source: str | None, target: str | None, goldstein: float = 0.0,
          source_name: str | None = None) -> dict[str, Any]:
    return {"source_code": source, "target_code": target, "goldstein": goldstein,
            "source_name": source_name or source, "target_name": target}


EVENTS = [event("IRQGOV", "USAGOV", 1.0, "Masrour Barzani"),
          event("IRQGOV", "USAGOV", 3.0, "Masoud Barzani"),
          event("USAGOV", "IRQGOV", 4.0), event("TURMIL", "SYRREB", -10.0),
          event("IRQGOV", None), event(None, "CVL", -10.0)]


def test_actors_are_ranked_by_their_events_as_source_and_target() -> None:
    ranked = rank_actors(EVENTS)
    assert [(a.code, a.as_source, a.as_target) for a in ranked[:2]] == [
        ("IRQGOV", 3, 1), ("USAGOV", 1, 2)]
    assert ranked[0].name == "Masrour Barzani · Masoud Barzani"  # not the bare code
    assert ranked[0].link == "/actor/IRQGOV"


def test_counterparts_count_both_directions() -> None:
    (usa,) = counterparts("IRQGOV", EVENTS)
    assert (usa.code, usa.done_to, usa.done_by) == ("USAGOV", 2, 1)


def test_edges_weigh_events_and_are_coloured_by_mean_goldstein() -> None:
    nodes, edges = network(EVENTS)
    assert {n.actor.code for n in nodes} == {"IRQGOV", "USAGOV", "TURMIL", "SYRREB", "CVL"}
    by_pair = {(e.source.actor.code, e.target.actor.code): e for e in edges}
    assert by_pair[("IRQGOV", "USAGOV")].events == 2
    assert by_pair[("IRQGOV", "USAGOV")].goldstein == 2.0
    assert by_pair[("TURMIL", "SYRREB")].colour == goldstein_colour(-10.0) == "#c0392b"
    assert goldstein_colour(10.0) == "#2471a3" and goldstein_colour(0.0) == "#969696"


def test_the_layout_is_the_same_every_time_and_inside_the_drawing() -> None:
    names = [f"A{i}" for i in range(30)]
    links = {(f"A{i}", f"A{i + 1}"): 1 for i in range(29)}
    first = layout(names, links, 1000, 520)
    assert first == layout(names, links, 1000, 520)
    assert all(0 <= x <= 1000 and 0 <= y <= 520 for x, y in first.values())
    assert len({(round(x), round(y)) for x, y in first.values()}) == 30
