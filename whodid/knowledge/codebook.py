"""The CAMEO codebook: names and Goldstein values (GDELT's tables), QuadClass, PLOVER categories.

``data/events/cameo_events.tsv`` is GDELT's lookup of every CAMEO event code with its name and
Goldstein conflict-cooperation value. QuadClass follows GDELT's grouping of roots; the CAMEO root
-> PLOVER category table follows the PLOVER manual.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from whodid.knowledge.rules import RuleFileError, packaged, read_tsv

PLOVER_CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
# PLOVER's own quad code of each category (1 verbal cooperation ... 4 material conflict).
PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4,
    "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
ROOT_TO_PLOVER = {
    "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
    "07": "AID", "08": "RETREAT", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE",
    "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION",
    "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}


@dataclass(frozen=True)
class CameoCode:
    """A CAMEO event code with its name and Goldstein value."""

    code: str
    name: str
    goldstein: float


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """Return every CAMEO code of the shipped table, by code; RuleFileError at the line of a
    row without a Goldstein value."""
    source = packaged("events/cameo_events.tsv")
    codes = {}
    for line, row in read_tsv(source):
        try:
            codes[row["code"]] = CameoCode(row["code"], row["name"], float(row["goldstein"]))
        except (KeyError, ValueError) as e:
            raise RuleFileError(source, line, f"{type(e).__name__}: {e}") from e
    return codes


def goldstein(code: str) -> float | None:
    """Return the Goldstein value of ``code`` (or of its nearest listed parent code)."""
    codes = cameo_codes()
    for length in range(len(code), 1, -1):
        if code[:length] in codes:
            return codes[code[:length]].goldstein
    return None


def quad_class(code: str) -> int:
    """Return GDELT's QuadClass of a CAMEO code: 1 verbal cooperation (roots 01-05), 2 material
    cooperation (06-09), 3 verbal conflict (10-14), 4 material conflict (15-20)."""
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def plover_of(code: str) -> str | None:
    """Return the PLOVER category of a CAMEO code (081-083 are CONCEDE, 084-087 RETREAT)."""
    if code[:2] == "08":
        return "CONCEDE" if code[:3] in ("080", "081", "082", "083") and len(code) >= 3 \
            and code[:3] != "080" else "RETREAT"
    return ROOT_TO_PLOVER.get(code[:2])
