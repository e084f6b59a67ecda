"""Aggregates of the stored events: the counts and series analysts plot.

Each cross-article event counts once (``queries.query_events``), however many articles report it.
- ``month``: events per month of their date (undated events under "unknown");
- ``dyad``: events per source country -> target country (the first three letters of the codes),
  most events first, the events without a source or a target ("-") after every real dyad;
- ``root`` / ``plover``: events per CAMEO root / PLOVER category;
- ``goldstein``: per month and dyad, the number of events and their mean Goldstein score (the
  classic conflict-cooperation series).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any


def _country(code: Any) -> str:
    """Return the country part (first three letters) of an actor code, or "-" for none."""
    return str(code)[:3] if code else "-"


def _month(value: Any) -> str:
    """Return the YYYY-MM of a date, or "unknown" when it has no month."""
    return str(value)[:7] if value and len(str(value)) >= 7 else "unknown"


def aggregate(events: Iterable[dict[str, Any]], by: str) -> tuple[list[dict[str, Any]],
                                                                  tuple[str, ...]]:
    """Return the rows and columns of one aggregate of ``events`` (rows of query_events)."""
    if by == "goldstein":
        sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0.0])
        for event in events:
            series = (_month(event["date"]), _country(event["source_code"]),
                      _country(event["target_code"]))
            sums[series][0] += 1
            sums[series][1] += float(event["goldstein"] or 0.0)
        rows = [{"month": m, "source": s, "target": t, "events": int(n),
                 "mean_goldstein": round(total / n, 2)}
                for (m, s, t), (n, total) in sorted(sums.items())]
        return rows, ("month", "source", "target", "events", "mean_goldstein")
    counts: dict[Any, int] = defaultdict(int)
    key: Any
    for event in events:
        if by == "month":
            key = _month(event["date"])
        elif by == "dyad":
            key = (_country(event["source_code"]), _country(event["target_code"]))
        elif by == "root":
            key = str(event["cameo"])[:2]
        elif by == "plover":
            key = event["plover"] or "-"
        else:
            raise ValueError(f"unknown aggregate {by!r}")
        counts[key] += 1
    if by == "dyad":
        rows = [{"source": s, "target": t, "events": n}
                for (s, t), n in sorted(counts.items(), key=lambda item: (
                    "-" in item[0], -item[1], item[0]))]
        return rows, ("source", "target", "events")
    ordered = sorted(counts.items()) if by in ("month", "root") else sorted(
        counts.items(), key=lambda item: (-item[1], item[0]))
    return [{by: k, "events": n} for k, n in ordered], (by, "events")
