"""The PETRARCH2 verb dictionary (``CAMEO.2.0.txt``) as rows of whodid's pattern format.

The dictionary (PETRARCH documentation, "Verb Dictionary") holds noun synsets and verb blocks:

    &CURRENCY                      # a synset: '+' members, '_' joins words, a trailing '_'
    +DOLLAR                        #   (on the member or the label) means "no plural"
    ---  ASK   [---]  ---          # a verb block and its code ('---': the bare verb codes nothing)
    ASK     [020]                  # a verb of the block, with its own code
    +ASK_FOR {+ASKED_FOR} [020]    # a verb with a particle ('+' marks the verb word)
    - * {FINANCIAL HELP}  [0231]   # a pattern: pre-verb words * post-verb words [code] # VERB

``verb_rows`` reads the dictionary and yields one pattern row per verb and pattern, with its
provenance (file, line, original text). What the pattern format cannot say is left out, each
with the reason (``Skipped``): words before the verb (a subject constraint), more than one noun
or prepositional phrase after it, the markers ``$ ^ %``, paired codes naming only the target's
act (``[:173]``), null codes (``[---]``), CAMEO 01 (statements, never coded) and verbs
written before their particle (``WIRE_+TAP``).
A paired code ``[042:043]`` keeps its first (the source's) act. A pattern applies to the verbs
its comment names ("# RUSH") when they are verbs of the block, else to every verb of the block.
Synsets (``&FOOD``) become their member lists; plural words keep their singular beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from whodid.knowledge.codebook import plover_of

PARTICLES = frozenset({"up", "down", "out", "off", "back", "away", "over", "forward", "aside",
                       "in", "on", "through", "together", "ahead"})
BLOCK = re.compile(r"^---\s+(.*?)\s+\[([^\]]*)\]\s+---")
CODE = re.compile(r"\[([0-9-]*)(?::([0-9-]*))?\]")
ELEMENT = re.compile(r"\([^)]*\)|\{[^}]*\}|&[A-Z0-9_]+|[A-Z0-9'_-]+")
VERB_WORD = re.compile(r"^\+?[A-Z][A-Z'-]*$")


@dataclass(frozen=True)
class VerbRow:
    """One converted pattern: a verb lemma, its requirements, its codes and where it came from."""

    lemma: str
    objects: tuple[str, ...]
    prep: str
    prep_objects: tuple[str, ...]
    particle: str
    cameo: str
    plover: str
    block: str
    line: int
    original: str

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Return what a row requires (two rows with one key contradict each other)."""
        return (self.lemma, "|".join(sorted(self.objects)), self.prep,
                "|".join(sorted(self.prep_objects)), self.particle)


@dataclass(frozen=True)
class Skipped:
    """A dictionary line left out, and why."""

    line: int
    reason: str


@dataclass
class _Block:
    name: str
    code: str
    verbs: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # lemma, particle,
    # code, line, text


def strip_comment(line: str) -> tuple[str, str]:
    """Return (the line before ``#``, the comment after it)."""
    body, _, comment = line.partition("#")
    return body.rstrip(), comment.strip()


def singular(word: str) -> str:
    """Return the singular of a regular English plural ("rallies" -> "rally"), else ``word``."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_items(text: str, synsets: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Return the pattern items of a noun element: "AID", "{FINANCIAL AID}", "&FOOD" or
    "{&MILITARY AID}", lower case, synsets expanded, each plural with its singular."""
    words = text.strip("{}").split()
    variants: list[list[str]] = [[]]
    for word in words:
        if word.startswith("&"):
            if word[1:] not in synsets:
                raise ValueError(f"undefined synset {word}")
            members = synsets[word[1:]]
        else:
            members = (word.strip("_").replace("_", " ").lower(),)
        variants = [[*v, m] for v in variants for m in members]
    items: list[str] = []
    for variant in variants:
        phrase = " ".join(variant)
        head = phrase.split()[-1]
        for item in (phrase, " ".join([*phrase.split()[:-1], singular(head)])):
            if item not in items:
                items.append(item)
    return tuple(items)


def read_synset_member(line: str) -> str:
    """Return a synset member as a lower-case phrase ("+CASH_" -> "cash")."""
    return line[1:].strip().strip("_").replace("_", " ").lower()


def pattern_parts(body: str, synsets: dict[str, tuple[str, ...]]
                  ) -> tuple[tuple[str, ...], str, tuple[str, ...], str]:
    """Return (objects, prep, prep objects, particle) of the words after a pattern's ``*``;
    ValueError for what the pattern format cannot say."""
    pre, star, post = body.partition("*")
    if not star:
        raise ValueError("no verb marker '*'")
    if pre.strip():
        raise ValueError("words before the verb (a subject constraint)")
    if re.search(r"[$^%]", post):
        raise ValueError("a $, ^ or % marker")
    objects: tuple[str, ...] = ()
    prep, particle = "", ""
    prep_objects: tuple[str, ...] = ()
    for position, element in enumerate(ELEMENT.findall(post)):
        if element.startswith("("):
            if prep:
                raise ValueError("more than one prepositional phrase")
            words = element.strip("()").split(None, 1)
            prep = words[0].lower()
            prep_objects = phrase_items(words[1], synsets) if len(words) > 1 else ()
        elif position == 0 and element.lower() in PARTICLES and not prep:
            particle = element.lower()
        elif objects:
            raise ValueError("more than one noun after the verb")
        else:
            objects = phrase_items(element, synsets)
    return objects, prep, prep_objects, particle


def first_code(text: str) -> str | None:
    """Return the source's code of ``[code]`` or ``[code:code]``; None for a null code or one
    that names only the target's act (``[:173]``)."""
    match = CODE.search(text)
    if match is None or not match.group(1) or not match.group(1).isdigit():
        return None
    return match.group(1)


def _verb_entry(body: str) -> tuple[str, str, str] | None:
    """Return (lemma, particle, own code) of a verb line of a block, None for a verb written
    before its particle or a phrase the format cannot say."""
    word = re.split(r"[\s{\[]", body.strip(), maxsplit=1)[0]
    code = first_code(body[len(word):].split("}")[-1]) or ""
    parts = word.lstrip("+").split("_")
    if "+" in word[1:] or not VERB_WORD.match(parts[0]) or len(parts) > 2:
        return None
    particle = parts[1].lower() if len(parts) == 2 else ""
    return parts[0].lower(), particle, code


def _named_verbs(comment: str, block: _Block) -> list[tuple[str, str, str, int, str]]:
    """Return the verbs of ``block`` that a pattern's comment names, else all single-word ones."""
    named = {w.lower() for w in re.findall(r"[A-Z]{2,}", comment)}
    single = [v for v in block.verbs if not v[1]]
    return [v for v in single if v[0] in named] or single


def verb_rows(text: str) -> tuple[list[VerbRow], list[Skipped]]:
    """Return the rows of a PETRARCH verb dictionary (file order) and the lines left out."""
    synsets: dict[str, tuple[str, ...]] = {}
    rows: list[VerbRow] = []
    skipped: list[Skipped] = []
    synset: str | None = None
    block: _Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        body, comment = strip_comment(raw)
        line = body.strip()
        if not line:
            continue
        block_match = BLOCK.match(line)
        if block_match:
            synset, block = None, _Block(block_match.group(1).strip(), block_match.group(2))
        elif line.startswith("&") and block is None:
            synset = line[1:].split()[0].rstrip("_")
            synsets[synset] = ()
        elif line.startswith("+") and synset is not None:
            synsets[synset] += (read_synset_member(line),)
        elif block is None or line.startswith("~"):
            continue
        elif line.startswith("-"):
            rows.extend(_pattern_rows(line[1:], comment, block, synsets, number, skipped))
        else:
            rows.extend(_verb_row(line, block, number, skipped))
    return rows, skipped


def _verb_row(line: str, block: _Block, number: int, skipped: list[Skipped]
              ) -> Iterator[VerbRow]:
    """Record a verb of ``block`` and yield its bare row when it (or its block) has a code."""
    entry = _verb_entry(line)
    if entry is None:
        skipped.append(Skipped(number, f"verb phrase the format cannot say: {line[:40]!r}"))
        return
    lemma, particle, code = entry
    block.verbs.append((lemma, particle, code, number, line))
    code = code or (block.code if block.code.isdigit() else "")
    plover = plover_of(code) if code else None
    if code and plover:
        yield VerbRow(lemma, (), "", (), particle, code, plover, block.name, number,
                      " ".join(line.split()))


def _pattern_rows(body: str, comment: str, block: _Block, synsets: dict[str, tuple[str, ...]],
                  number: int, skipped: list[Skipped]) -> Iterator[VerbRow]:
    """Yield a row per verb a pattern line applies to; record why when it yields none."""
    code = first_code(body)
    plover = plover_of(code) if code else None
    if code is None or plover is None:
        skipped.append(Skipped(number, "a null code or one naming only the target's act"
                               if code is None else "CAMEO 01 (statements), which we do not code"))
        return
    try:
        objects, prep, prep_objects, particle = pattern_parts(body[:body.index("[")], synsets)
    except ValueError as e:
        skipped.append(Skipped(number, str(e)))
        return
    original = " ".join(f"- {body} # {comment}".split())
    for lemma, _, _, _, _ in _named_verbs(comment, block):
        yield VerbRow(lemma, objects, prep, prep_objects, particle, code, plover, block.name,
                      number, original)


def first_of_each_key(rows: list[VerbRow]) -> list[VerbRow]:
    """Return the rows whose key no earlier row had (PETRARCH reads its file top down)."""
    seen: set[tuple[str, str, str, str, str]] = set()
    kept = []
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            kept.append(row)
    return kept


def usual_frames(curated: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Return, by CAMEO code and by root, the most common (target_preps, reciprocal) of our
    curated VERB rows: a converted row takes the frame our rows give its code."""
    counts: dict[str, dict[tuple[str, str], int]] = {}
    for row in curated:
        if row.get("pos", "").upper() != "VERB":
            continue
        frame = (row.get("target_preps", ""), row.get("reciprocal", "") or "no")
        for code in (row["cameo"], row["cameo"][:3], row["cameo"][:2]):
            tally = counts.setdefault(code, {})
            tally[frame] = tally.get(frame, 0) + 1
    return {code: max(tally, key=lambda f: tally[f]) for code, tally in counts.items()}


def tsv_lines(rows: list[VerbRow], frames: dict[str, tuple[str, str]], source: str
              ) -> Iterator[str]:
    """Yield the TSV rows (no header) of ``rows``: whodid's 12 pattern columns, then the
    provenance (``source:line: original text``)."""
    for row in rows:
        frame = next((frames[c] for c in (row.cameo, row.cameo[:3], row.cameo[:2])
                      if c in frames), ("", "no"))
        cells = ("VERB", row.lemma, "|".join(row.objects), row.prep, "|".join(row.prep_objects),
                 row.particle, row.cameo, row.plover, "", frame[0], frame[1],
                 f"PETRARCH2 block {row.block}", f"{source}:{row.line}: {row.original}")
        yield "\t".join(cell.replace("\t", " ") for cell in cells)
