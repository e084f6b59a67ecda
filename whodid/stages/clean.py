"""The clean stage: cut what is not the article out of the raw text, recording every cut.

The cascade, in order (rules in ``data/boilerplate.yaml``):
1. Spans already marked by the read stage (title line, date line) stay removed.
2. The first line matching a ``cut_to_end`` rule (reader comments...) removes everything from it on.
3. Each line matching a ``lines`` rule (editing credits, bylines, photo captions and credits,
   share/subscribe furniture) is removed whole; the last sentence of a line that matches a
   ``last_sentences`` rule (a contributor credit run on after the story) is removed alone.
4. Runs of blank lines collapse to one blank line; leading and trailing whitespace goes.
5. The clean text is the raw text less the removed spans (merged where they overlap), so every
   offset in the clean text maps back to the raw text.
6. The dateline opening one of the first paragraphs gives ``dateline`` (and ``outlet`` if unknown).

Reads: raw_text, removed, outlet. Sets: removed, text, dateline, outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from whodid.knowledge.rules import packaged, yaml_mapping
from whodid.model import Article, Dateline, RemovedSpan
from whodid.stages.read import metadata_rules

BLANK_RUN = re.compile(r"\n(?:[ \t\u00a0\u200b]*\n){2,}")
SENTENCE_BREAK = re.compile(r"[.!?][”\"’')]*\s+(?=[A-Z])")
LINE = re.compile(r"[^\n]*")


@dataclass(frozen=True)
class LineRule:
    """A boilerplate rule: the reason recorded and the pattern a whole stripped line must match."""

    reason: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class BoilerplateRules:
    """The rules of ``data/boilerplate.yaml``, compiled."""

    cut_to_end: tuple[LineRule, ...]
    lines: tuple[LineRule, ...]
    last_sentences: tuple[LineRule, ...] = ()


@cache
def boilerplate_rules() -> BoilerplateRules:
    """Return the boilerplate rules shipped in ``data/boilerplate.yaml``, compiled once."""
    data = yaml_mapping(packaged("boilerplate.yaml"))

    def compile_rules(key: str) -> tuple[LineRule, ...]:
        return tuple(LineRule(rule["reason"], re.compile(rule["pattern"])) for rule in data[key])

    return BoilerplateRules(compile_rules("cut_to_end"), compile_rules("lines"),
                            compile_rules("last_sentences"))


def clean(article: Article) -> Article:
    """Set the article's clean text, removed spans and dateline (see the module docstring)."""
    raw = article.raw_text
    spans = list(article.removed) + list(boilerplate_spans(raw, boilerplate_rules()))
    spans += whitespace_spans(raw, spans)
    article.removed = merge_spans(spans, raw)
    article.text = cut_spans(raw, article.removed)
    article.dateline = find_dateline(article.text)
    if article.outlet is None and article.dateline is not None:
        article.outlet = article.dateline.outlet
    return article


def boilerplate_spans(raw: str, rules: BoilerplateRules) -> Iterator[RemovedSpan]:
    """Yield the spans of ``raw`` that the boilerplate rules remove."""
    for match in LINE.finditer(raw):
        line = match.group().strip()
        if not line:
            continue
        for rule in rules.cut_to_end:
            if rule.pattern.fullmatch(line):
                yield RemovedSpan(match.start(), len(raw), rule.reason, raw[match.start():])
                return
        whole = next((r for r in rules.lines if r.pattern.fullmatch(line)), None)
        if whole is not None:
            yield RemovedSpan(match.start(), match.end(), whole.reason, match.group())
            continue
        tail = _last_sentence(match.group())
        credit = next((r for r in rules.last_sentences if tail and r.pattern.fullmatch(
            match.group()[tail:].strip())), None)
        if credit is not None:
            text = match.group()[tail:].rstrip()
            yield RemovedSpan(match.start() + tail, match.start() + tail + len(text),
                              credit.reason, text)


def _last_sentence(line: str) -> int:
    """Return where the last sentence of a line of several starts (0 for a line of one)."""
    breaks = list(SENTENCE_BREAK.finditer(line.rstrip()))
    return breaks[-1].end() if breaks else 0


def whitespace_spans(raw: str, removed: list[RemovedSpan]) -> list[RemovedSpan]:
    """Return the spans that collapse blank-line runs and trim the text, once ``removed`` is out.

    Works on the text that remains after ``removed`` so that a removed line between two blank
    lines leaves one blank line, not two.
    """
    merged = merge_spans(removed, raw)
    kept = cut_spans(raw, merged)
    to_raw = offset_map(raw, merged)
    spans: list[RemovedSpan] = []

    def add(start: int, end: int, reason: str) -> None:
        # The kept range [start, end) may straddle removed spans: add one span per raw run.
        positions = to_raw[start:end]
        run_start = positions[0]
        for before, after in zip(positions, [*positions[1:], -1], strict=True):
            if after != before + 1:
                spans.append(RemovedSpan(run_start, before + 1, reason, raw[run_start:before + 1]))
                run_start = after

    for match in BLANK_RUN.finditer(kept):
        last_newline = match.end() - 1
        add(match.start() + 1, last_newline, "blank lines")
    leading = len(kept) - len(kept.lstrip())
    trailing = len(kept) - len(kept.rstrip())
    if leading:
        add(0, leading, "whitespace")
    if trailing and trailing < len(kept):
        add(len(kept) - trailing, len(kept), "whitespace")
    return spans


def merge_spans(spans: list[RemovedSpan], raw: str) -> list[RemovedSpan]:
    """Return ``spans`` sorted, with overlapping spans merged (the first reason wins).

    Spans that only touch stay apart, so each keeps its own reason.
    """
    merged: list[RemovedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = RemovedSpan(last.start, span.end, last.reason,
                                         raw[last.start:span.end])
            continue
        merged.append(RemovedSpan(span.start, span.end, span.reason, raw[span.start:span.end]))
    return merged


def cut_spans(raw: str, spans: list[RemovedSpan]) -> str:
    """Return ``raw`` without the (sorted, disjoint) ``spans``."""
    pieces, position = [], 0
    for span in spans:
        pieces.append(raw[position:span.start])
        position = span.end
    pieces.append(raw[position:])
    return "".join(pieces)


def offset_map(raw: str, spans: list[RemovedSpan]) -> list[int]:
    """Return, for each character of the clean text, its offset in ``raw``."""
    mapping: list[int] = []
    position = 0
    for span in spans:
        mapping.extend(range(position, span.start))
        position = span.end
    mapping.extend(range(position, len(raw)))
    return mapping


def find_dateline(text: str) -> Dateline | None:
    """Return the dateline opening one of the first paragraphs of the clean ``text``, if any."""
    rules = metadata_rules()
    paragraphs = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for paragraph in paragraphs[: rules.dateline_window]:
        line = paragraph.group()
        offset = paragraph.start() + (len(line) - len(line.lstrip()))
        line = line.strip()
        for pattern in rules.standalone_datelines:
            match = pattern.fullmatch(line)
            if match and not line.endswith("."):
                return _dateline(match, offset)
        for start in _sentence_starts(line, rules.dateline_reach):
            for pattern in rules.datelines:
                match = pattern.match(line, start)
                if match and len(line) > match.end() and (
                        start == 0 or len(match.group("place")) >= MIN_INNER_PLACE):
                    return _dateline(match, offset)
    return None


# The shortest place a dateline inside a paragraph may name ("US – China talks" is none).
MIN_INNER_PLACE = 4


def _sentence_starts(line: str, reach: int) -> list[int]:
    """Return where a paragraph's sentences start within its first ``reach`` characters: its
    start, then after each full stop, question or exclamation mark and a space."""
    return [0] + [m.end() for m in re.finditer(r"[.!?]\s+", line[:reach])]


def _dateline(match: re.Match[str], offset: int) -> Dateline:
    """Return the Dateline of a dateline pattern ``match`` found at ``offset`` of the clean text."""
    groups = match.groupdict()
    place = groups.get("place")
    if place and place.isupper():
        place = place.title()
    outlet = (groups.get("outlet") or "").strip() or None
    return Dateline(
        text=match.group("text"),
        place=place,
        outlet=outlet,
        start=offset + match.start("text"),
        end=offset + match.end("text"),
    )
