"""The vocabulary of whodid: typed dataclasses for an article and what is found in it.

Every class has ``to_dict()`` (plain JSON-ready values) and ``from_dict()`` (its inverse). The JSON
line that ``whodid code --out`` writes for an article is exactly ``Article.to_dict()``.

Offsets: ``Article.removed`` spans index ``raw_text``; every other offset (sentences, mentions,
places, events, dateline) indexes the clean ``text``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, Self


class Record:
    """Mixin giving a dataclass ``to_dict``/``from_dict`` that recurse into nested records."""

    _transient: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """Return the record as plain JSON-ready values (nested records become dicts)."""
        names = _stored_fields(typing.cast(type, type(self)))
        return {name: _plain(getattr(self, name)) for name in names}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the record from ``to_dict`` output; unknown keys are ignored."""
        assert dataclasses.is_dataclass(cls)
        hints = typing.get_type_hints(cls)
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in data and f.name not in cls._transient:
                values[f.name] = _typed(hints[f.name], data[f.name])
        return cls(**values)


@cache
def _stored_fields(cls: type) -> tuple[str, ...]:
    """Return the names of the fields of a record class that ``to_dict`` writes, in order."""
    assert dataclasses.is_dataclass(cls)
    transient: frozenset[str] = getattr(cls, "_transient", frozenset())
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in transient)


# values that are their own JSON-ready form (checked first: most values are)
SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Return ``value`` with records, tuples and lists turned into JSON-ready values."""
    if type(value) in SCALARS:
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _typed(hint: Any, value: Any) -> Any:
    """Return JSON ``value`` converted to the type ``hint`` describes (records, lists, tuples)."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(options[0], value) if len(options) == 1 else value
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return [_typed(item_hint, item) for item in value]
    if origin is tuple:
        item_hints = typing.get_args(hint)
        return tuple(_typed(h, item) for h, item in zip(item_hints, value, strict=True))
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    return value


@dataclass
class RemovedSpan(Record):
    """A span of the raw text that cleaning removed, and why ("reader comments", "title"...)."""

    start: int
    end: int
    reason: str
    text: str = ""


@dataclass
class Dateline(Record):
    """The dateline that opens an article: ``ERBIL, Kurdistan Region (Kurdistan24) –``."""

    text: str
    place: str | None
    outlet: str | None
    start: int
    end: int


@dataclass
class Sentence(Record):
    """One sentence of the clean text, as spaCy's parser split it."""

    start: int
    end: int
    text: str


@dataclass
class Actor(Record):
    """The entity a mention resolves to; ``code`` is a CAMEO actor code or None when unknown."""

    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    kb_id: str | None = None


@dataclass
class Mention(Record):
    """A span of the clean text naming an actor (person, organisation, group, country...).

    ``label``: PERSON, ORG, COUNTRY, NORP, AGENT (a generic agent such as "Iraqi soldiers") or
    GROUP ("the pair", "both sides": ``members`` holds the actors it stands for).
    ``resolved_by`` says how the actor was found: ``kb`` (a knowledge-base name valid on the
    article's date), ``title`` (title and nationality or affiliation around the name),
    ``coreference`` (a short or misspelt form of an earlier full mention), ``agent`` (a generic
    agent), ``group``, or None when the mention could not be resolved (``actor.code`` is None).
    """

    text: str
    start: int
    end: int
    label: str
    actor: Actor | None = None
    resolved_by: str | None = None
    members: list[Actor] = field(default_factory=list)


@dataclass
class Place(Record):
    """A toponym in the clean text resolved to a gazetteer entry."""

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None


@dataclass
class Quantity(Record):
    """A count of people or units: "around 600 troops" -> value 600, unit "troop", qualifier
    "around"; on an event, ``kind`` says what it counts (dead, injured, arrested...)."""

    text: str
    start: int
    end: int
    value: int
    unit: str
    qualifier: str | None = None
    kind: str | None = None


@dataclass
class DateMention(Record):
    """A date the text gives, resolved: ``date`` is ISO cut to its ``precision`` (day: 2016-07-12,
    month: 2019-10, year: 2015)."""

    text: str
    start: int
    end: int
    date: str
    precision: str


@dataclass
class Participant(Record):
    """The source or target of an event: the mention's text and the actor it resolved to."""

    text: str
    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None


@dataclass
class Location(Record):
    """Where an event happened."""

    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass
class Event(Record):
    """One coded event: who did what to whom, when and where, and the evidence for it."""

    id: str
    sentence: int
    span: tuple[int, int]
    evidence: str
    cameo: str
    plover: str | None = None
    mode: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    source: Participant | None = None
    target: Participant | None = None
    date: str | None = None
    date_precision: str | None = None
    location: Location | None = None
    negated: bool = False
    incomplete: bool = False
    confidence: float = 0.0
    trigger: str | None = None
    trigger_span: tuple[int, int] | None = None
    repeat_of: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    # "rules" (a verb pattern coded it) or "classifier" (the event classifier rescued a sentence
    # no rule coded: whodid.stages.events.second_opinion)
    method: str = "rules"


@dataclass
class InputError(Record):
    """Input that could not be read or coded: the file, the line (when known) and what was wrong."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class Article(Record):
    """A news article and everything the pipeline found in it.

    ``doc`` holds the spaCy ``Doc`` between the parse stage and the stages that read it; it never
    leaves the process (not in ``to_dict``, dropped before an article crosses to another process).
    """

    _transient: ClassVar[frozenset[str]] = frozenset({"doc"})

    id: str
    source: str
    raw_text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    dateline: Dateline | None = None
    text: str = ""
    removed: list[RemovedSpan] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    content_hash: str = ""
    doc: Any = field(default=None, repr=False, compare=False)
