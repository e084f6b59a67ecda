"""The repeats stage: an article often tells one event twice ("Turkish forces attacked Afrin on
Monday ... the attack on Afrin"). The second telling points to the first with ``repeat_of``.

Two events are one when they have the same source and target codes, the same CAMEO root, the
same date and compatible locations (the same country, or one of them unknown). The date and
location are set by the dates and places stages, so this stage runs after both: two attacks by
the same forces on 3 March and on 9 April are two events.

Reads: events (with their date and location). Sets: events.repeat_of.
"""

from __future__ import annotations

from whodid.model import Article, Event

RepeatKey = tuple[str, str, str, str]


def repeat_key(event: Event) -> RepeatKey:
    """Return what must be equal for two events of one article to be the same event."""
    return (event.source.code or "" if event.source else "",
            event.target.code or "" if event.target else "",
            event.cameo[:2],
            event.date or "")


def location_country(event: Event) -> str | None:
    """Return the country of the event's location, or None when it is not known."""
    return event.location.country if event.location else None


def same_place(first: Event, second: Event) -> bool:
    """True when the two events' locations may be the same: same country, or one unknown."""
    one, other = location_country(first), location_country(second)
    return one is None or other is None or one == other


def mark_repeats(article: Article) -> Article:
    """Point each non-negated event that repeats an earlier one of ``article`` to that first
    event (``repeat_of``); return the article."""
    firsts: dict[RepeatKey, list[Event]] = {}
    for event in article.events:
        event.repeat_of = None
        if event.negated:
            continue
        earlier = firsts.setdefault(repeat_key(event), [])
        match = next((first for first in earlier if same_place(first, event)), None)
        if match is not None:
            event.repeat_of = match.id
        else:
            earlier.append(event)
    return article
