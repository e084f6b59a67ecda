"""A Doc's token attributes read once per article, for the loops over all of its tokens.

Every ``doc[i]``, ``token.head`` or loop over a span builds a spaCy Token object, and every
``token.lemma_`` looks a string up; a loop over each token of an article for every sentence or
trigger spends most of its time doing that. ``TokenTable`` reads the attributes those loops test
(``Doc.to_array``) once, so that a loop can skip the tokens that cannot matter without making
them, and make Tokens only for the few that can.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
)
from spacy.symbols import AUX, CCONJ, NOUN, PROPN, VERB

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc

    from whodid.stages.events.patterns import Pattern

COLUMNS = [POS, DEP, LEMMA, LOWER, ORTH, ENT_TYPE, SENT_START, SPACY, IDX, LENGTH, IS_PUNCT,
           IS_SPACE]


class TokenTable:
    """The attributes of the tokens of a Doc: a whole attribute as an array indexed by
    ``token.i`` (``column``), the tokens of a mask whose lemma or word passes a test
    (``matching``), the string of a hash and back (``string``, ``hash``); as lists, read when
    first asked for, ``idx``, ``end`` (``idx + len(text)``) and ``edge_filler``."""

    def __init__(self, doc: Doc) -> None:
        """Read the attributes of ``doc`` (a parsed Doc)."""
        self.doc = doc
        self._strings = doc.vocab.strings
        self._array = doc.to_array(COLUMNS)

    def column(self, attribute: int) -> Any:
        """Return the numpy array of one of ``COLUMNS`` (spaCy's ids and hashes, as
        ``Doc.to_array`` gives them)."""
        return self._array[:, COLUMNS.index(attribute)]

    def string(self, value: int) -> str:
        """Return the string of a hash (a lemma, a word, a label)."""
        return str(self._strings[value])

    def hash(self, string: str) -> int:
        """Return the hash of a string, as the columns hold it."""
        return int(self._strings[string])

    def matching(self, mask: Any, attribute: int, test: Callable[[str], bool]) -> Any:
        """Return the boolean array of the tokens of ``mask`` whose ``attribute`` (LEMMA: the
        lemma lower-cased; LOWER, ORTH...) passes ``test``: each distinct string is tested once."""
        hashes = self.column(attribute)
        lowered = attribute == LEMMA
        keys = [h for h in numpy.unique(hashes[mask]).tolist()
                if test(self.string(h).lower() if lowered else self.string(h))]
        return mask & numpy.isin(hashes, keys)

    def _column(self, attribute: int) -> list[int]:
        return self.column(attribute).tolist()  # type: ignore[no-any-return]

    @cached_property
    def idx(self) -> list[int]:
        """The character offset of each token (``token.idx``)."""
        return self._column(IDX)

    @cached_property
    def end(self) -> list[int]:
        """The character offset after each token (``token.idx + len(token.text)``)."""
        return (self.column(IDX) + self.column(LENGTH)).tolist()  # type: ignore[no-any-return]

    @cached_property
    def edge_filler(self) -> list[bool]:
        """True for each token that does not begin or end an event's evidence: punctuation, a
        space, a coordinating conjunction (``evidence``)."""
        filler = (self.column(IS_PUNCT) != 0) | (self.column(IS_SPACE) != 0) | \
            (self.column(DEP) == self.hash("cc")) | (self.column(POS) == CCONJ)
        found: list[bool] = filler.tolist()
        return found


def trigger_candidates(table: TokenTable, patterns: dict[tuple[str, str], list[Pattern]]
                       ) -> list[int]:
    """Return, in order, the indices of the tokens that may have a pattern: those whose part of
    speech and lookup lemmas (``patterns._lemma_keys``) have patterns. ``patterns.pattern_for``
    returns None for every other token, so a loop over triggers need not make their spaCy
    Tokens. Each distinct lemma and word of the article is looked up once."""
    pos, dep = table.column(POS), table.column(DEP)
    lemma, lower, orth, space = (table.column(a) for a in (LEMMA, LOWER, ORTH, SPACY))
    nouns = numpy.isin(pos, [NOUN, PROPN]) & (dep != table.hash("compound"))
    joined = numpy.zeros(len(pos), dtype=bool)  # "cease-fire": "cease", "-", "fire"
    joined[2:] = (orth[1:-1] == table.hash("-")) & (space[1:-1] == 0) & (space[:-2] == 0)
    found = numpy.zeros(len(pos), dtype=bool)
    for kind, mask in (("VERB", numpy.isin(pos, [VERB, AUX])), ("NOUN", nouns)):
        for attribute in (LEMMA, LOWER):
            found |= table.matching(mask, attribute, _has_patterns(kind, patterns))
        for i in numpy.flatnonzero(mask & joined & ~found).tolist():
            key = f"{table.string(int(lower[i - 2]))}-{table.string(int(lemma[i])).lower()}"
            found[i] = (kind, key) in patterns
    indices: list[int] = numpy.flatnonzero(found).tolist()
    return indices


def _has_patterns(kind: str, patterns: dict[tuple[str, str], list[Pattern]]
                  ) -> Callable[[str], bool]:
    """Return the test of a lemma: True when it has patterns of part of speech ``kind``."""
    return lambda word: (kind, word) in patterns
