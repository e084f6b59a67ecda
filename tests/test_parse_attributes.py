"""The attribute rules and lemmas of the spaCy model, set without spaCy's Matcher (issue 14):
whodid's Docs are those of the stock pipeline, token for token, and a model whose rules the
evaluator cannot read keeps its stock components."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from whodid import Options, Pipeline
from whodid.stages.parse_attributes import (
    AttributeRules,
    CachedLemmas,
    compile_rules,
    use_attribute_rules,
    use_cached_lemmas,
)

from .conftest import SEEDS, SHARED, require_shared

COMPARED = [POS, TAG, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]

# Each rule of several tokens of en_core_web_sm, and the tricky one-token ones: contractions,
# dialect spellings, "there" + be, "'s" as verb and possessive, spaces, quotes, brackets, money.
SENTENCES = [
    "Ain't nobody gonna stop us, and we ain't done yet; I aint sure.",
    "You gotta see this. We're gonna win, they said, and you gotta believe it.",
    "Let's go. LET'S talk about it, let 's see, Let’s be clear.",
    "C'mon, y'all, come on over here. Y'all know it and ya all do.",
    "There is a war. There are talks. There was a truce, there were riots, there's hope.",
    "There're many who wanna leave, and they're doin' nothin' about it, nuthin' at all.",
    "The minister's aide said it's over; the UN's envoy's car was hit. He's gone.",
    "She's been arrested twice and has had enough of 'em, 'nuff said, ol' friend.",
    "Somethin' is goin' on. I'd say he'd left; we'll see what they'll do.",
    "They ca n't and wo n't stop, sha n't they? I can't, won't, shan't.",
    "It was cold.  Very cold.\n\nThe troops (about 300) left at 5pm.\n \n",
    "\u201cWe will fight,\u201d he said. \u2018Never,\u2019 she replied. \"Who?\" 'Us.'",
    "The deal is worth $5m (\u00a33.9bn, or \u20ac4.5bn) to Kyiv [sic] -- a 10% rise.",
    "I saw it. It saw me. You and I met; he met you and me. Did you do it? I did.",
    "Do they have it? They do. Does she? She does; she did what she had to do.",
    "That is what that man said, and those who left, these few, were not those.",
    "But it was but a moment; but for the rain they would have gone.",
    "\tTabs\tand  double  spaces   here.\r\nAnd a line.",
]


@pytest.fixture(scope="module")
def stock(options: Options) -> Language:
    """The model as spaCy loads it, with its stock attribute ruler and lemmatizer."""
    return spacy.load(options.spacy_model)


def differences(stock: Language, whodid: Language, texts: Iterable[str]) -> list[str]:
    """Return the tokens whose POS, TAG, MORPH, LEMMA, DEP, HEAD or entity differ between the
    Docs of the two pipelines for ``texts`` (as text, index and both values)."""
    found = []
    texts = list(texts)
    for ours, theirs in zip(whodid.pipe(texts), stock.pipe(texts), strict=True):
        if (ours.to_array(COMPARED) == theirs.to_array(COMPARED)).all() and [
                (str(t.morph), t.lemma_) for t in ours] == [
                (str(t.morph), t.lemma_) for t in theirs]:
            continue
        found.extend(f"{a.text!r}@{a.i}: {a.pos_} {a.morph} {a.lemma_} {a.dep_} / "
                     f"{b.pos_} {b.morph} {b.lemma_} {b.dep_}"
                     for a, b in zip(ours, theirs, strict=True)
                     if (a.pos, a.tag, a.morph.key, a.lemma, a.dep, a.head.i, a.ent_iob,
                         a.ent_type) != (b.pos, b.tag, b.morph.key, b.lemma, b.dep, b.head.i,
                                         b.ent_iob, b.ent_type))
    return found


def test_whodid_puts_its_components_in_the_places_and_names_of_the_stock_ones(
        pipeline: Pipeline, stock: Language) -> None:
    nlp = pipeline.resources.nlp
    assert nlp.pipe_names == stock.pipe_names
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRules)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmas)


def test_the_sentences_match_every_rule_of_several_tokens(stock: Language) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    several = {number for number, rule in enumerate(ruler.patterns)
               if any(len(pattern) > 1 for pattern in rule["patterns"])}
    matched = set()
    for doc in stock.pipe(SENTENCES, disable=["attribute_ruler", "lemmatizer", "ner"]):
        matched |= {number for number, _, _, _ in ruler.match(doc)}
    assert len(several) >= 8
    assert several <= matched


def test_own_sentences_are_parsed_as_the_stock_pipeline_parses_them(
        pipeline: Pipeline, stock: Language) -> None:
    assert differences(stock, pipeline.resources.nlp, SENTENCES) == []


def test_the_seed_articles_are_parsed_as_the_stock_pipeline_parses_them(
        pipeline: Pipeline, stock: Language) -> None:
    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    assert len(texts) >= 3
    assert differences(stock, pipeline.resources.nlp, texts) == []


def test_guardian_articles_are_parsed_as_the_stock_pipeline_parses_them(
        pipeline: Pipeline, stock: Language) -> None:
    path = require_shared(SHARED / "corpus" / "guardian_sdf.jsonl")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")][::7]
    assert len(texts) >= 30
    assert differences(stock, pipeline.resources.nlp, texts) == []


# -- the evaluator on rules of its own: every operator, negative index, later rule wins --------

RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": {"IN": ["VB", "VBD"]}, "LOWER": {"NOT_IN": ["was"]}}]],
     "attrs": {"POS": "VERB", "LEMMA": "act"}},
    {"patterns": [[{"LOWER": {"REGEX": "^r[aeiou]"}}, {"DEP": "dobj"}]],
     "attrs": {"MORPH": "Foo=Bar"}, "index": -1},
    {"patterns": [[{"ORTH": "Rebels"}], [{"TEXT": "rebels", "NORM": "rebels"}]],
     "attrs": {"POS": "PROPN", "LEMMA": "rebel"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"TAG": "NN"}, {}]], "attrs": {"POS": "X"}, "index": 0},
]
WORDS = ["Rebels", "raided", "town", "and", "rebels", "ran", " ", "was", "hit", "town"]
TAGS = ["NNS", "VBD", "NN", "CC", "NNS", "VBD", "_SP", "VBD", "VBN", "NN"]
DEPS = ["nsubj", "ROOT", "dobj", "cc", "nsubj", "conj", "dep", "auxpass", "conj", "dobj"]
HEADS = [1, 1, 1, 1, 5, 1, 5, 8, 5, 8]


def ruler_of(rules: list[dict[str, Any]]) -> tuple[Language, AttributeRuler]:
    """Return a blank English pipeline holding only an attribute ruler of ``rules``."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add_patterns(rules)  # type: ignore[arg-type]
    return nlp, ruler


def parsed(nlp: Language) -> Doc:
    """Return the Doc of ``WORDS`` with tags, dependencies and heads as a parser sets them."""
    return Doc(nlp.vocab, words=WORDS, spaces=[True] * len(WORDS), tags=TAGS, deps=DEPS,
               heads=HEADS)


@pytest.mark.parametrize("memo_limit", [2, 10_000])
def test_the_rules_apply_as_the_stock_ruler_applies_them(memo_limit: int) -> None:
    nlp, ruler = ruler_of(RULES)
    rulebook = compile_rules(ruler)
    assert rulebook is not None
    rulebook.memo_limit = memo_limit
    fast = AttributeRules(rulebook)
    for _ in range(2):
        ours, theirs = fast(parsed(nlp)), ruler(parsed(nlp))
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in ours] == [
            (t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in theirs]
    assert [t.pos_ for t in theirs][:3] == ["PROPN", "VERB", "X"]  # the later rule won
    assert str(theirs[2].morph) == "Foo=Bar"  # the last token of the "r..." + dobj match


@pytest.mark.parametrize("rule", [
    {"patterns": [[{"LOWER": "gon", "OP": "+"}]], "attrs": {"LEMMA": "go"}},
    {"patterns": [[{"POS": "NOUN"}]], "attrs": {"LEMMA": "thing"}},
    {"patterns": [[{"LENGTH": {">=": 3}}]], "attrs": {"LEMMA": "long"}},
    {"patterns": [[{"LOWER": {"FUZZY": "rebel"}}]], "attrs": {"LEMMA": "rebel"}},
    {"patterns": [[{"_": {"flag": True}}]], "attrs": {"LEMMA": "flag"}},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"NORM": "thing"}},
    {"patterns": [[{"IS_SPACE": "yes"}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": 1},
])
def test_a_rule_the_evaluator_cannot_read_keeps_the_stock_ruler(rule: dict[str, Any]) -> None:
    nlp, ruler = ruler_of([RULES[0], rule])
    assert compile_rules(ruler) is None
    assert use_attribute_rules(nlp).get_pipe("attribute_ruler") is ruler


def test_a_lemmatizer_without_its_rule_tables_stays_the_stock_one() -> None:
    nlp = spacy.blank("en")
    stock = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert use_cached_lemmas(nlp).get_pipe("lemmatizer") is stock
