"""A Doc's token attributes read once per article, for the loops over all of its tokens.

Every ``doc[i]``, ``token.head`` or loop over a span builds a spaCy Token object, and every
``token.lemma_`` looks a string up; a loop over each token of an article for every sentence or
trigger spends most of its time doing that. ``TokenTable`` reads the attributes those loops test
(``Doc.to_array``) once, so that a loop can skip the tokens that cannot matter without making
them, and make Tokens only for the few that can.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from spacy.tokens import Doc

COLUMNS = [POS, DEP, LEMMA, LOWER, ORTH, ENT_TYPE, SENT_START, SPACY, IDX, LENGTH, IS_PUNCT,
           IS_SPACE]


class TokenTable:
    """The attributes of each token of a Doc, by ``token.i`` (each list read when first
    asked for): ``pos`` (``token.pos_``), ``dep``, ``ent_type`` (0 outside an entity),
    ``sent_start`` (``is_sent_start`` is True), ``space`` (whitespace follows), ``idx``, ``end``
    (``idx + len(text)``), ``filler`` (punctuation or a space), ``sentences`` (the (start, end)
    token indices of each sentence in order); ``lemma``, ``lower`` and ``text`` of one token."""

    def __init__(self, doc: Doc) -> None:
        """Read the attributes of ``doc`` (a parsed Doc)."""
        self.doc = doc
        self._strings = doc.vocab.strings
        self._array = doc.to_array(COLUMNS)

    def _column(self, attribute: int) -> list[int]:
        return self._array[:, COLUMNS.index(attribute)].tolist()  # type: ignore[no-any-return]

    def _words(self, attribute: int) -> list[str]:
        """Return the strings of a column (each distinct one looked up once)."""
        hashes = self._column(attribute)
        table = {value: self._strings[value] for value in set(hashes)}
        return [table[value] for value in hashes]

    @cached_property
    def pos(self) -> list[str]:
        """The coarse part of speech of each token (``token.pos_``)."""
        return self._words(POS)

    @cached_property
    def dep(self) -> list[str]:
        """The dependency label of each token (``token.dep_``)."""
        return self._words(DEP)

    @cached_property
    def ent_type(self) -> list[int]:
        """The entity type hash of each token (0 outside an entity)."""
        return self._column(ENT_TYPE)

    @cached_property
    def sent_start(self) -> list[bool]:
        """True for each token that opens a sentence (``token.is_sent_start``)."""
        return [value == 1 for value in self._array[:, COLUMNS.index(SENT_START)].astype(
            "int64").tolist()]

    @cached_property
    def space(self) -> list[int]:
        """Non-zero for each token a whitespace follows (``token.whitespace_``)."""
        return self._column(SPACY)

    @cached_property
    def idx(self) -> list[int]:
        """The character offset of each token (``token.idx``)."""
        return self._column(IDX)

    @cached_property
    def end(self) -> list[int]:
        """The character offset after each token (``token.idx + len(token.text)``)."""
        return [start + length for start, length in zip(self.idx, self._column(LENGTH),
                                                        strict=True)]

    @cached_property
    def filler(self) -> list[bool]:
        """True for each punctuation or space token."""
        return [bool(punct or space) for punct, space in zip(
            self._column(IS_PUNCT), self._column(IS_SPACE), strict=True)]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """The (start, end) token indices of each sentence, in order."""
        return [(sentence.start, sentence.end) for sentence in self.doc.sents]

    def lemma(self, i: int) -> str:
        """Return the lower-cased lemma of token ``i`` (``token.lemma_.lower()``)."""
        return str(self._strings[self._array[i, 2]]).lower()

    def lower(self, i: int) -> str:
        """Return ``token.lower_`` of token ``i``."""
        return str(self._strings[self._array[i, 3]])

    def text(self, i: int) -> str:
        """Return ``token.text`` of token ``i``."""
        return str(self._strings[self._array[i, 4]])
