"""``whodid article``: an article's clean text with its events, evidence and actors marked.

On a terminal (rich) the evidence spans are underlined and the actor mentions coloured by their
role; piped, the same text and event list are printed plain.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text


def article_text(stored: dict[str, Any]) -> Text:
    """Return the clean text of a stored article (``Article.to_dict()``) with its marks."""
    text = Text(stored.get("text") or "")
    for event in stored.get("events") or []:
        start, end = event["span"]
        text.stylize("underline", start, end)
    for mention in stored.get("mentions") or []:
        coded = (mention.get("actor") or {}).get("code")
        text.stylize("bold cyan" if coded else "cyan", mention["start"], mention["end"])
    for place in stored.get("places") or []:
        text.stylize("green", place["start"], place["end"])
    return text


def event_lines(stored: dict[str, Any]) -> list[str]:
    """Return one line per event: date, dyad, code, category, trigger, location."""
    lines = []
    for event in stored.get("events") or []:
        source = (event.get("source") or {}).get("code") or "-"
        target = (event.get("target") or {}).get("code") or "-"
        where = (event.get("location") or {}).get("name") or "-"
        negated = " NEGATED" if event.get("negated") else ""
        lines.append(f"{event.get('date') or '-':<10} {source} -> {target}  {event['cameo']} "
                     f"{event.get('plover') or '-'}{negated}  [{event.get('trigger') or ''}] "
                     f"in {where}  (confidence {event.get('confidence')})")
    return lines


def render_article(stored: dict[str, Any], console: Console | None = None) -> None:
    """Print the article: title, metadata, marked text, then its events."""
    console = console or Console()
    console.print(Text(stored.get("title") or stored["id"], style="bold"))
    meta = [f"id {stored['id']}", f"published {stored.get('published') or 'unknown'}"]
    if stored.get("outlet"):
        meta.append(f"outlet {stored['outlet']}")
    console.print(Text(" | ".join(meta), style="dim"))
    console.print()
    console.print(article_text(stored))
    console.print()
    events = event_lines(stored)
    console.print(Text(f"{len(events)} events", style="bold"))
    for line in events:
        console.print(Text(line))


CUT_COLUMNS = ("evidence", "roles", "aliases")  # cut to the terminal's width in a table
HEADERS = {"source_code": "source", "target_code": "target", "background": "bg"}  # in a table


def rows_table(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], noun: str,
               width: int) -> str:
    """Return ``rows`` as a rich table ``width`` characters wide, then how many there were.
    Every cell is one line; the long texts (evidence, roles, aliases) are cut to the width the
    other columns leave them."""
    from rich.table import Table

    cells = [[" ".join(("" if row[c] is None else str(row[c])).split()) for c in columns]
             for row in rows]
    headers = [HEADERS.get(column, column) for column in columns]
    widths = [max([len(header), *(len(line[i]) for line in cells)])
              for i, header in enumerate(headers)]
    cut = [i for i, column in enumerate(columns) if column in CUT_COLUMNS]
    kept = sum(w for i, w in enumerate(widths) if i not in cut) + 3 * len(columns) + 1
    room = max(10, (width - kept) // max(len(cut), 1))
    table = Table(show_lines=False)
    for i, header in enumerate(headers):
        table.add_column(header, no_wrap=True, min_width=widths[i] if i not in cut else None,
                         max_width=room if i in cut else None, overflow="ellipsis")
    for line in cells:
        table.add_row(*(cut_text(text, room) if i in cut else text for i, text in enumerate(line)))
    buffer = io.StringIO()
    Console(width=width, file=buffer, force_terminal=False).print(table)
    return buffer.getvalue() + f"{len(cells)} {noun}\n"


def cut_text(text: str, width: int) -> str:
    """Return ``text``, cut to ``width`` characters with an ellipsis when longer."""
    return text if len(text) <= width else text[:width - 1] + "…"
