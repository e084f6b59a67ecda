"""Actor records from the dictionaries users already have: PETRARCH/TABARI ``.actors`` files.

The format (PETRARCH documentation, "Actor Dictionary"): a record is a primary phrase with an
optional default code, then synonym lines beginning with ``+``, then date restrictions, each in
brackets, on their own (tab-indented) lines or inline after the phrase:

    BARACK_OBAMA_  [USAELI]          # primary phrase, default code
    +PRESIDENT_OBAMA_                # synonym
        [USAGOV 090120-170120]       # code between two dates (YYMMDD or YYYYMMDD, inclusive)
        [USAELI >170120]             # after a date;  [CODE <date] before a date

Comments: ``#`` or ``;`` to the end of a line, ``<!-- ... -->`` blocks. Each record becomes a
whodid actor record (the YAML shape ``whodid actors add`` reads): restrictions become dated roles,
the default code an undated role that applies when no dated one does. Each record keeps the
``line`` of its primary phrase (the converters' provenance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

RESTRICTION = re.compile(r"\[\s*([A-Z0-9]{3,}(?:[A-Z0-9]{3})*)\s*([^\]]*)\]")
DATE_RANGE = re.compile(r"^(\d{6}|\d{8})?\s*-\s*(\d{6}|\d{8})?$")
# Two-digit years below this are 20xx, others 19xx (PETRARCH's dictionaries span 1900-2029).
CENTURY_PIVOT = 30


@dataclass(frozen=True)
class DictionaryProblem:
    """A line of a dictionary that could not be read."""

    line: int
    message: str


def parse_petrarch_actors(text: str) -> tuple[list[dict[str, Any]], list[DictionaryProblem]]:
    """Return the actor records of a PETRARCH/TABARI actors dictionary, and the lines it skipped."""
    records: list[dict[str, Any]] = []
    problems: list[DictionaryProblem] = []
    current: dict[str, Any] | None = None
    for number, raw in enumerate(_without_comments(text).split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            if line.startswith("+"):
                if current is None:
                    raise ValueError("a synonym before any primary phrase")
                current["aliases"].append(phrase_to_name(line[1:].split("[")[0]))
            elif line.startswith("[") and raw[:1] in ("\t", " ") and current is not None:
                _add_restrictions(current, line)
            else:
                current = {"id": "", "name": phrase_to_name(line.split("[")[0]), "aliases": [],
                           "roles": [], "line": number}
                current["id"] = "petrarch:" + re.sub(r"[^a-z0-9]+", "-",
                                                     current["name"].lower()).strip("-")
                records.append(current)
                if "[" in line:
                    _add_restrictions(current, line[line.index("["):])
        except ValueError as e:
            problems.append(DictionaryProblem(number, f"{e}: {line[:60]!r}"))
    usable = []
    for record in records:
        if not record["roles"]:
            problems.append(DictionaryProblem(0, f"{record['name']!r} has no code; skipped"))
            continue
        # Offices come and go with dates; a name with a timeless code is a group or organisation.
        dated = any(role["start"] or role["end"] for role in record["roles"])
        record["kind"] = "person" if dated else "organisation"
        usable.append(record)
    return usable, problems


def _without_comments(text: str) -> str:
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return "\n".join(re.split(r"\s[#;]|^[#;]", line)[0] for line in text.split("\n"))


def phrase_to_name(phrase: str) -> str:
    """Return a dictionary phrase as a name: "MASOUD_BARZANI_" -> "Masoud Barzani", "UN" -> "UN"."""
    words = phrase.replace("_", " ").split()
    if not words:
        raise ValueError("an empty phrase")
    if len(words) == 1 and len(words[0]) <= 4:
        return words[0].upper()  # an acronym: "UN", "SDF", "KRG"
    return " ".join(word.title() for word in words)


def _add_restrictions(record: dict[str, Any], text: str) -> None:
    matches = list(RESTRICTION.finditer(text))
    if not matches:
        raise ValueError("expected [CODE] or [CODE date-date]")
    for match in matches:
        code, restriction = match.group(1), match.group(2).strip()
        start, end = _restriction_dates(restriction)
        record["roles"].append({"title": "PETRARCH dictionary", "code": code,
                                "country": code[:3], "sector": code[3:6] or None,
                                "start": start, "end": end})


def _restriction_dates(restriction: str) -> tuple[str | None, str | None]:
    """Return (start, end) ISO dates of "yymmdd-yymmdd", "<yymmdd", ">yymmdd" or ""."""
    if not restriction:
        return None, None
    if restriction.startswith("<"):
        return None, _date(restriction[1:].strip())
    if restriction.startswith(">"):
        return _date(restriction[1:].strip()), None
    match = DATE_RANGE.match(restriction)
    if match is None:
        raise ValueError(f"unreadable date restriction {restriction!r}")
    return (_date(match.group(1)) if match.group(1) else None,
            _date(match.group(2)) if match.group(2) else None)


def _date(value: str) -> str:
    """Return an ISO date for "yymmdd" or "yyyymmdd"."""
    if len(value) == 6:
        year = int(value[:2])
        value = f"{2000 + year if year < CENTURY_PIVOT else 1900 + year}{value[2:]}"
    if len(value) != 8 or not value.isdigit():
        raise ValueError(f"unreadable date {value!r}")
    return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
