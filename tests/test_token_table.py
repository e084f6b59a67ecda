"""The TokenTable: the events stage looks for triggers only among the tokens it finds, and those
must be every token that has a pattern."""

from __future__ import annotations

import pytest

from whodid.pipeline import Pipeline
from whodid.stages.events.patterns import TRIGGER_POS, _lemma_keys, pattern_for
from whodid.stages.events.token_table import TokenTable, trigger_candidates

TEXTS = [
    "The cease-fire held overnight, and the rebels re-opened the road to Aleppo.",
    "Russia attacked Ukraine. Protesters demanded the resignation of the minister.",
    "Air strikes hit the town; the UN called for a ceasefire - a cease - fire, it said.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_trigger_candidates_are_the_tokens_with_a_lookup_lemma_that_has_patterns(
        pipeline: Pipeline, text: str) -> None:
    doc = pipeline.resources.nlp(text)
    patterns = pipeline.resources.events.patterns
    expected = [t.i for t in doc if (pos := TRIGGER_POS.get(t.pos_)) is not None
                and not (pos == "NOUN" and t.dep_ == "compound")
                and any((pos, key) in patterns for key in _lemma_keys(t))]
    found = trigger_candidates(TokenTable(doc), patterns)
    assert found == expected
    assert all(t.i in found for t in doc if pattern_for(t, patterns) is not None)
    assert found  # each text holds triggers


def test_the_edges_of_evidence_and_the_offsets_are_those_of_the_tokens(
        pipeline: Pipeline) -> None:
    doc = pipeline.resources.nlp(TEXTS[2])
    table = TokenTable(doc)
    assert table.idx == [t.idx for t in doc]
    assert table.end == [t.idx + len(t.text) for t in doc]
    assert table.edge_filler == [t.is_punct or t.is_space or t.dep_ == "cc" or t.pos_ == "CCONJ"
                                 for t in doc]
