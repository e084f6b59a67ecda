"""Cross-article deduplication: the mentions of one event, in many articles, are one event.

The rule (GDELT's NumMentions / NumArticles / NumSources, made explicit):
two event mentions are the same event when
1. they have the same source and the same target (the country, else the actor code: "Pompeo"
   and "the United States" are both USA; both missing counts as the same), and the same CAMEO
   root; for the roots of mutual acts (04 consult, 06 cooperate) the pair is unordered: "X met Y"
   and "Y held talks with X" report one meeting;
2. their dates fit the window of their precisions: two days or published dates at most
   ``DAY_WINDOW`` days apart (a report is often a day after the act), a month-precise date and
   any date in that month, a year-precise date and any date in that year; an unknown date only
   fits an unknown date;
3. their locations are compatible: the same country, or one of them unknown.
A mention joins the event whose date is nearest among those it fits; none fits, it starts a
new event. Negated mentions belong to no event. The store keeps the event of each mention
(``events.cluster_id``) and counts mentions, articles and outlets when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DAY_WINDOW = 2
SYMMETRIC_ROOTS = frozenset({"04", "06"})


@dataclass(frozen=True)
class EventKey:
    """What a mention is matched on."""

    source: str
    target: str
    root: str
    date: str | None
    precision: str | None
    country: str | None


def key_of(source_code: str | None, source_country: str | None, target_code: str | None,
           target_country: str | None, cameo: str, event_date: str | None,
           precision: str | None, location_country: str | None) -> EventKey:
    """Return the matching key of a stored event mention."""
    source = source_country or source_code or ""
    target = target_country or target_code or ""
    if cameo[:2] in SYMMETRIC_ROOTS:
        source, target = sorted((source, target))
    return EventKey(source=source, target=target, root=cameo[:2], date=event_date,
                    precision=precision, country=location_country)


def _day(value: str) -> date | None:
    """Return the day of an ISO date string, or None when it is not day-precise."""
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def date_distance(first: EventKey, second: EventKey) -> int | None:
    """Return how many days apart two mentions' dates are when they fit each other's window
    (0 for a month or year that contains the other date), else None."""
    if first.date is None or second.date is None:
        return 0 if first.date is None and second.date is None else None
    coarse = [k for k in (first, second) if k.precision in ("month", "year")]
    if coarse:
        widest = min(coarse, key=lambda k: len(k.date or ""))
        other = second if widest is first else first
        return 0 if (other.date or "").startswith(widest.date or "") else None
    one, two = _day(first.date), _day(second.date)
    if one is None or two is None:
        return None
    days = abs((one - two).days)
    return days if days <= DAY_WINDOW else None


def same_event_distance(mention: EventKey, event: EventKey) -> int | None:
    """Return the date distance when ``mention`` is a mention of ``event``, else None."""
    if (mention.source, mention.target, mention.root) != (event.source, event.target,
                                                          event.root):
        return None
    if mention.country and event.country and mention.country != event.country:
        return None
    return date_distance(mention, event)
