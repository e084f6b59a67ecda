"""The dates stage: when each event happened, from the dates the text gives.

1. The reference day: the publication date; failing that, the date of the earliest dated reader
   comment (the article existed that day); failing that, none, and relative dates stay null.
2. Every DATE entity (or TIME entity naming a weekday: "Wednesday night") that names a point
   in time (rules in ``data/dates.yaml``; durations such as "three months" are not) is resolved
   with dateparser on its own words, against the reference day: "on Wednesday" -> the last
   Wednesday up to that day, "October last year" -> 2019-10 with month precision, "five years
   ago" -> year precision, "last week" -> the middle of that week
   with week precision. A date without a year ("February 14") or a relative one needs the
   reference day; an absolute one ("July 12, 2016") does not. A weekday in a clause about what
   is to come ("will meet on Tuesday", "is expected to hold talks on Friday") is the next one.
3. Each event takes the date of its own clause (a date attached to its trigger), else the date
   of its sentence -- one of a clause that holds the trigger or of a time clause of one, never
   one of a clause below it or of a noun ("accused the EU of breaking a deal struck in March
   2016" is not dated March 2016) -- else the publication date (precision ``published``),
   else null.

Reads: doc, events, published, removed. Sets: dates, and the events' date and date_precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from whodid.knowledge.rules import packaged, yaml_mapping
from whodid.model import Article, DateMention, Event

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PERIOD_PRECISION = {"day": "day", "time": "day", "month": "month", "year": "year"}
# month words of the plain dates read without dateparser: names and their short forms
MONTH_NUMBERS = {**{m: i + 1 for i, m in enumerate(MONTHS)},
                 **{m[:3]: i + 1 for i, m in enumerate(MONTHS)}, "sept": 9}
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
PLAIN_DATES = (
    (re.compile(rf"{_DAY} (?P<month>[a-z]+),? {_YEAR}"), "day"),  # 12 March 2024
    (re.compile(rf"(?P<month>[a-z]+) {_DAY},? {_YEAR}"), "day"),  # March 12, 2024
    (re.compile(rf"(?P<month>[a-z]+),? {_YEAR}"), "month"),  # March 2024
    (re.compile(_YEAR), "year"),  # 2024
)


@dataclass(frozen=True)
class DateRules:
    """The rules of ``data/dates.yaml``."""

    point_in_time: re.Pattern[str]
    leading_words: frozenset[str]
    relative_month: re.Pattern[str]
    relative_week: re.Pattern[str]
    future_auxiliaries: frozenset[str]
    future_heads: frozenset[str]
    comment_reasons: frozenset[str]
    comment_date: re.Pattern[str]


@cache
def date_rules() -> DateRules:
    """Return the rules shipped in ``data/dates.yaml``."""
    data = yaml_mapping(packaged("dates.yaml"))
    words = data["leading_words"]
    if not all(isinstance(w, str) for w in words):
        raise ValueError("dates.yaml leading_words: quote words YAML reads as booleans")
    return DateRules(
        point_in_time=re.compile(re.sub(r"\s+", "", data["point_in_time"]), re.IGNORECASE),
        leading_words=frozenset(words),
        relative_month=re.compile(data["relative_month"]),
        relative_week=re.compile(data["relative_week"]),
        future_auxiliaries=frozenset(data["future_auxiliaries"]),
        future_heads=frozenset(data["future_heads"]),
        comment_reasons=frozenset(data["comment_reasons"]),
        comment_date=re.compile(data["comment_date"]))


@cache
def _parser(reference: date | None) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    return DateDataParser(languages=["en"], settings=settings)


def published_day(article: Article) -> date | None:
    """Return the article's publication day, if it has a valid one."""
    if article.published:
        try:
            return date.fromisoformat(article.published[:10])
        except ValueError:
            return None
    return None


def reference_day(article: Article, rules: DateRules | None = None) -> date | None:
    """Return the day the article speaks from, which relative dates count from and which
    dated roles are read at: the publication date, else the earliest date of a reader comment
    that cleaning removed (the article existed that day), else None.

    This is the one reference day of whodid: the actors stage (who held an office) and the dates
    stage (what "on Wednesday" means) both use it.
    """
    rules = rules or date_rules()
    published = published_day(article)
    if published is not None:
        return published
    days = []
    for removed in article.removed:
        if removed.reason not in rules.comment_reasons:
            continue
        for match in rules.comment_date.finditer(removed.text):
            try:
                days.append(date(int(match["year"]), MONTHS.index(match["month"].lower()) + 1,
                                 int(match["day"])))
            except ValueError:
                continue
    return min(days) if days else None


def _words_of(text: str, rules: DateRules) -> str:
    """Return a date's words without the prepositions and hedges in front ("on Wednesday")."""
    words = text.replace("-", " ").split()
    while len(words) > 1 and words[0].lower() in rules.leading_words:
        words = words[1:]
    return " ".join(words)


def _without_bare_number(words: str) -> str:
    """Return a date's words without a trailing bare number that cannot be its day: one after
    a day and a month ("17 July 36 civilians" -> "17 July"), or one over 31 after a month
    ("July 36" -> "July"). Two digits are never read as a year."""
    tokens = words.split()
    if len(tokens) < 2 or not re.fullmatch(r"\d{1,2}", tokens[-1]):
        return words
    rest = [t.strip(",").lower() for t in tokens[:-1]]
    has_month = any(t in MONTHS or t[:3] in {m[:3] for m in MONTHS} for t in rest)
    has_day = any(re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", t) for t in rest)
    if has_month and (has_day or int(tokens[-1]) > 31):
        return " ".join(tokens[:-1]).rstrip(",")
    return words


def resolve_date(text: str, reference: date | None, rules: DateRules | None = None,
                 future: bool = False) -> tuple[str, str] | None:
    """Return (ISO date cut to its precision, precision) for the words of a DATE mention, or None
    when they name no point in time or need a reference day that is not known. ``future``: the
    mention is in a clause about what is to come, so a bare weekday is the next one.

    "July 12, 2016" -> ("2016-07-12", "day"); "October last year" (reference 2020-02-15) ->
    ("2019-10", "month"); "five years ago" -> ("2015", "year"); "last week" (reference
    2020-02-15, a Saturday) -> ("2020-02-06", "week"); "three months" -> None.
    """
    rules = rules or date_rules()
    if not rules.point_in_time.search(text):
        return None
    words = _words_of(text, rules)
    has_year = re.search(r"\b(?:1[89]|20)\d\d\b", words) is not None
    if not has_year:
        words = _without_bare_number(words)
    lowered = words.lower()
    if reference is None and not has_year:
        return None  # "on Wednesday", "February 14": unknown without the article's date
    relative = rules.relative_month.match(lowered)
    if relative and relative["month"] in MONTHS and reference is not None:
        shift = {"last": -1, "this": 0, "next": 1}[relative["which"]]
        return f"{reference.year + shift:04d}-{MONTHS.index(relative['month']) + 1:02d}", "month"
    if rules.relative_week.match(lowered) and reference is not None:
        return _week_middle(lowered, reference), "week"
    if lowered in WEEKDAYS and reference is not None:
        if future:
            ahead = (WEEKDAYS.index(lowered) - reference.weekday()) % 7 or 7
            return (reference + timedelta(days=ahead)).isoformat(), "day"
        back = (reference.weekday() - WEEKDAYS.index(lowered)) % 7
        return (reference - timedelta(days=back)).isoformat(), "day"  # the same day: today
    plain = plain_date(lowered) or relative_date(lowered, reference)
    if plain is not None:
        found, period = plain
    else:
        data = _parser(reference).get_date_data(words)
        if data.date_obj is None or data.period not in PERIOD_PRECISION:
            return None
        found, period = data.date_obj.date(), data.period
    if reference is not None and found > reference and not has_year:
        return None  # a past-tense report does not date its events after its own day
    if reference is not None and not has_year and period in ("day", "month") and (
            found.year < reference.year - 1):
        return None  # a day or month without a year is one of the last twelve months
    precision = PERIOD_PRECISION[period]
    if precision == "month" and lowered not in ("last month", "this month") and not (
            has_year or any(m in lowered for m in MONTHS)):
        return None
    shown = {"day": found.isoformat(), "month": found.isoformat()[:7],
             "year": found.isoformat()[:4]}[precision]
    return shown, precision


def plain_date(lowered: str) -> tuple[date, str] | None:
    """Return (date, dateparser's period) of a lower-cased date with its year written plainly,
    as dateparser reads it ("12 march 2024", "march 12th, 2024" -> day; "march 2024" -> month,
    its first day; "2024" -> year, its first day), without dateparser's cost (the most common
    dates of news, and its first call takes a tenth of a second); None for any other form or
    an impossible day ("31 april 2019"), which dateparser is left to judge."""
    for pattern, period in PLAIN_DATES:
        match = pattern.fullmatch(lowered)
        if match is None:
            continue
        fields = match.groupdict()
        month = MONTH_NUMBERS.get(fields["month"], 0) if "month" in fields else 1
        try:
            return date(int(fields["year"]), month, int(fields.get("day") or 1)), period
        except ValueError:
            return None
    return None
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}
YEARS_AGO = re.compile(r"(?P<count>\d{1,2}|[a-z]+) years? ago")


def relative_date(lowered: str, reference: date | None) -> tuple[date, str] | None:
    """Return (date, dateparser's period) of the commonest lower-cased dates that count from
    the reference day, as dateparser reads them, without its cost: "today", "yesterday" (day);
    "this month", "last month" (month); a month's name (month: the last such month up to the
    reference day's; dateparser fails on the names of months without the reference day, and
    is left to); "this year", "last year", "five years ago" (year). The day of a month or
    year is the first (where dateparser keeps the reference day's): only the month or year is
    shown, and it is never after the reference day either way. None for any other form, which
    dateparser is left to read."""
    if reference is None:
        return None
    if lowered in ("today", "yesterday"):
        return reference - timedelta(days=lowered == "yesterday"), "day"
    if lowered in ("this month", "last month"):
        first = reference.replace(day=1)
        return (first if lowered == "this month" else
                (first - timedelta(days=1)).replace(day=1)), "month"
    if lowered in MONTHS and reference.day <= 28:  # dateparser first tries the reference
        month = MONTHS.index(lowered) + 1
        return date(reference.year - (month > reference.month), month, 1), "month"
    ago = YEARS_AGO.fullmatch(lowered)
    count = 0 if lowered == "this year" else 1 if lowered == "last year" else (
        NUMBER_WORDS.get(ago["count"]) or (int(ago["count"]) if ago["count"].isdigit() else None)
        if ago else None)
    if count is None or reference.year - count < 1:
        return None
    return date(reference.year - count, 1, 1), "year"


def _week_middle(words: str, reference: date) -> str:
    """Return the middle day of the week ``words`` name ("last week": Thursday of the week
    before the reference day's; "this week": halfway from its Monday to the reference day)."""
    monday = reference - timedelta(days=reference.weekday())
    if "last" in words.split():
        return (monday - timedelta(days=4)).isoformat()
    return (monday + timedelta(days=(reference - monday).days // 2)).isoformat()


def _clause_head(token: Any) -> Any:
    """Return the head of the clause ``token`` is in: the first token up from it (itself
    included) that heads a clause of its own, else the sentence's root."""
    while token.dep_ not in CLAUSE_LIMITS and token.head.i != token.i:
        token = token.head
    return token


def _holds(clause: Any, above: set[int]) -> bool:
    """Tell whether the clause headed by ``clause`` holds the trigger (``above``: the trigger
    and its heads), or is a time clause of one that does ("As the navy manoeuvred on Friday,
    the army sent a convoy")."""
    return clause.i in above or (clause.dep_ == "advcl" and clause.head.i in above)


def _says_future(token: Any, rules: DateRules) -> bool:
    """Tell whether the verb ``token``'s clause hangs on speaks of what is to come: it has a
    future auxiliary ("will meet on Tuesday") or is an infinitive of a plan ("is expected to
    hold talks on Friday", "is due to meet on Monday")."""
    verb = next((t for t in [token, *token.ancestors] if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxiliaries & rules.future_auxiliaries:
        return True
    return "to" in auxiliaries and verb.dep_ in ("xcomp", "acomp") and (
        verb.head.lower_ in rules.future_heads)


def find_dates(article: Article, rules: DateRules | None = None) -> Article:
    """Set ``article.dates`` (every resolved DATE mention) and each event's date."""
    rules = rules or date_rules()
    reference = reference_day(article, rules)
    article.dates = []
    by_token: dict[int, DateMention] = {}
    governing: dict[int, Any] = {}
    for ent in article.doc.ents:
        if ent.label_ != "DATE" and not (
                ent.label_ == "TIME" and any(t.lower_ in WEEKDAYS for t in ent)):
            continue  # "on Wednesday night" is a TIME that names a day
        resolved = resolve_date(ent.text, reference, rules, _says_future(ent.root, rules))
        if resolved is None:
            continue
        mention = DateMention(text=ent.text, start=ent.start_char, end=ent.end_char,
                              date=resolved[0], precision=resolved[1])
        article.dates.append(mention)
        governing[mention.start] = _clause_head(ent.root)
        for token in ent:
            by_token[token.i] = mention
    for event in article.events:
        _date_event(event, article, by_token, governing)
    return article


def _date_event(event: Event, article: Article, by_token: dict[int, DateMention],
                governing: dict[int, Any]) -> None:
    """Give ``event`` the date of its clause, else of its sentence (of a clause holding the
    trigger: ``governing`` gives each date's clause head by its start), else the publication
    date."""
    found = None
    trigger = None
    if event.trigger_span is not None:
        trigger = article.doc.char_span(*event.trigger_span, alignment_mode="expand")
        if trigger is not None:
            found = _clause_date(trigger.root, by_token)
    if found is None and event.trigger_span is not None:
        sentence = article.sentences[event.sentence]  # the whole sentence, not the evidence
        start, end = sentence.start, sentence.end
        at = event.trigger_span[0]
        above = {t.i for t in [trigger.root, *trigger.root.ancestors]} if trigger else None
        in_sentence = [m for m in article.dates if start <= m.start and m.end <= end and (
            above is None or _holds(governing[m.start], above))]
        if in_sentence:
            found = min(in_sentence, key=lambda m: abs(m.start - at))
    if found is not None:
        event.date, event.date_precision = found.date, found.precision
    elif article.published:
        event.date, event.date_precision = article.published[:10], "published"
    else:
        event.date, event.date_precision = None, None


CLAUSE_LIMITS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"})


def _clause_date(trigger: Any, by_token: dict[int, DateMention]) -> DateMention | None:
    """Return the date attached to the trigger's own clause: a date among its dependents, not
    inside a clause it governs ("met on Friday", "On July 12, 2016, X and Y signed")."""
    level = [c for c in trigger.children if c.dep_ not in CLAUSE_LIMITS]
    for _ in range(3):
        for token in level:
            if token.i in by_token:
                return by_token[token.i]
        level = [c for t in level for c in t.children if c.dep_ not in CLAUSE_LIMITS]
    return None
