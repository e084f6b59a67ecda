"""The evidence of an event: the clause of its sentence that states it, not the whole sentence.

A sentence often tells more than one thing: "In his talks with May, Erdoğan indicated he was
likely to press the UK" holds a meeting that took place and a forecast that is no event. The
evidence of the meeting is the part of the sentence that holds its trigger and its arguments:

1. The clause: from the trigger up to the nearest verb (an event noun's clause is the verb it
   depends on: "In his talks with May, Erdoğan indicated"; a participle's or relative clause's
   is the noun it describes: "the SDF, which captured Raqqa"), then up until the clause holds the
   arguments the sentence names, unless a pronoun of the clause already stands for them
   ("Tillerson told reporters he had met Turkey's foreign minister": "he had met ...").
2. Less what does not tell the event: a subordinate or coordinated clause (``CLAUSES``) that
   holds neither the trigger nor an argument is cut where it lies at an edge of what is left (the
   evidence is one slice of the text). A complement of the trigger itself ("urged Russia to
   withdraw its troops", "warned that it would retaliate") is what the act is about and stays.
3. Whole words; punctuation and conjunctions trimmed at the edges, and a clause's opening
   "that" ("that he had met" -> "he had met"); evidence that reaches the sentence's first or
   last word takes the sentence's own edge (its quote marks, its full stop), so that a sentence
   telling one event is its own evidence. The evidence never crosses the sentence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from whodid.stages.events.patterns import OBJECTS, SUBJECTS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Span, Token

    from whodid.stages.events.token_table import TokenTable

# Dependents that open a clause of their own (a coordinated verb, "conj", is one too).
CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"})
COMPLEMENTS = frozenset({"ccomp", "xcomp"})
STAND_INS = frozenset({*SUBJECTS, *OBJECTS, "nsubjpass", "pobj", "poss"})


def evidence_span(sentence: Span, trigger: Token, arguments: Iterable[tuple[int, int]],
                  table: TokenTable) -> tuple[int, int]:
    """Return the character offsets (start, end) of the evidence of an event in ``sentence``:
    the clause of its ``trigger`` with its ``arguments`` (character offsets of the source and
    target mentions; those outside the sentence are ignored), as the module docstring says.
    ``table`` is the TokenTable of the sentence's doc."""
    named = [_overlapping(sentence, start, end, table) for start, end in arguments]
    named = [tokens for tokens in named if tokens]
    anchors = {trigger.i}.union(*named)
    head = _holding(_clause_head(trigger), named)
    cut = _cut(head, trigger, anchors)
    doc = sentence.doc
    edge = table.edge_filler
    kept = [i for i in (t.i for t in head.subtree) if i not in cut and not edge[i]] or [trigger.i]
    words = [i for i in range(sentence.start, sentence.end) if not edge[i]] or [trigger.i]
    while len(kept) > 1 and doc[kept[0]].dep_ == "mark":
        kept = kept[1:]  # "that he had met the minister": the clause, not its conjunction
    first, last = kept[0], kept[-1]
    start = sentence.start_char if first <= words[0] else table.idx[first]
    end = sentence.end_char if last >= words[-1] else table.end[last]
    return start, end


def _overlapping(sentence: Span, start: int, end: int, table: TokenTable) -> frozenset[int]:
    """Return the indices of the tokens of ``sentence`` that overlap the characters
    [start, end) (offsets only grow from token to token: found by bisection)."""
    first = bisect_right(table.end, start, sentence.start, sentence.end)
    return frozenset(range(first, max(first, bisect_left(table.idx, end, first, sentence.end))))


def _clause_head(trigger: Token) -> Token:
    """Return the verb whose clause holds ``trigger``: the trigger itself when it is a verb,
    else the nearest verb above it ("his talks with May" -> "indicated"); for a participle
    or a relative clause that describes a noun, that noun ("a withdrawal promised by Trump",
    "the militia, which seized the town")."""
    current = trigger
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return current.head  # "a conference boycotted by the opposition", "the SDF, which ..."
    return current


def _holding(head: Token, named: list[frozenset[int]]) -> Token:
    """Return the smallest clause at or above ``head`` that holds every argument (the token
    indices of each ``named`` mention), or the first one whose pronouns stand for the
    arguments it lacks ("he had met the minister")."""
    while head.head.i != head.i:
        inside = {t.i for t in head.subtree}
        missing = [tokens for tokens in named if not tokens & inside]
        if not missing:
            break
        pronouns = [t for t in head.subtree if t.dep_ in STAND_INS and (
            t.pos_ == "PRON" or t.tag_ in ("WDT", "WP", "WP$"))]
        if len(pronouns) >= len(missing):
            break
        head = _clause_head(head.head)
    return head


def _cut(head: Token, trigger: Token, anchors: set[int]) -> set[int]:
    """Return the indices of the tokens of the clauses below ``head`` that hold no anchor and
    are no complement of the trigger."""
    cut: set[int] = set()
    for token in head.subtree:
        if token.i == head.i or token.i in cut or not _is_clause(token):
            continue
        if token.dep_ in COMPLEMENTS and token.head.i == trigger.i:
            continue
        below = {t.i for t in token.subtree}
        if not below & anchors:
            cut |= below
    return cut


def _is_clause(token: Token) -> bool:
    """True for a token that heads a clause of its own under its head."""
    if token.dep_ == "conj":
        return token.pos_ in ("VERB", "AUX")
    return token.dep_ in CLAUSES
