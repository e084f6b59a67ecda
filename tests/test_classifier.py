"""The event classifier: the shipped model, training from the corpus and a user's files."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from whodid.cli import main
from whodid.config import Options
from whodid.knowledge.classifier import (
    LABELS,
    EventClassifier,
    TrainingRecord,
    char_features,
    default_model_path,
    fit,
    load_classifier,
    read_training,
    read_training_file,
    shipped_corpus,
    train,
    word_features,
)
from whodid.knowledge.rules import RuleFileError
from whodid.stages.parse import load_nlp

# Written for these tests: not sentences of the training corpus (checked below).
PLAUSIBLE = [
    ("Rebel gunmen ambushed an army convoy near the border town on Sunday, killing six "
     "soldiers.", "ASSAULT"),
    ("Thousands of nurses marched through the capital on Tuesday to demand better pay.",
     "PROTEST"),
    ("The foreign ministers of Chile and Bolivia held talks in La Paz on water rights.",
     "CONSULT"),
    ("The European Union imposed sanctions on four generals over the crackdown.", "SANCTION"),
    ("The bakery chain said quarterly sales rose eight percent on strong demand for bread.",
     "NONE"),
]
MY_DOMAIN = [
    {"text": f"The harbour authority {verb} the {ship} at the {port} docks.", "plover": "COERCE"}
    for verb in ("impounded", "detained", "seized", "held")
    for ship in ("tanker", "trawler", "freighter")
    for port in ("northern", "eastern")
]


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return load_classifier()


@pytest.fixture(scope="module")
def records() -> list[TrainingRecord]:
    """A small corpus: the first 25 shipped sentences of every label."""
    counts: Counter[str] = Counter()
    chosen = []
    for record in read_training(shipped_corpus()):
        counts[record.label] += 1
        if counts[record.label] <= 25:
            chosen.append(record)
    return chosen


@pytest.fixture(scope="module")
def small_model(records: list[TrainingRecord]) -> EventClassifier:
    return fit(records)


def test_the_shipped_model_is_small_and_knows_every_label(model: EventClassifier) -> None:
    assert default_model_path().stat().st_size <= 20_000_000
    assert model.labels == LABELS
    assert model.metadata["sentences"] >= 4000


@pytest.mark.parametrize(("text", "label"), PLAUSIBLE)
def test_the_shipped_model_names_a_plausible_category(model: EventClassifier, text: str,
                                                      label: str) -> None:
    probabilities = model.probabilities(text)
    assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    assert model.top(text)[0] == label, sorted(probabilities.items(), key=lambda x: -x[1])[:3]


def test_the_test_sentences_are_not_training_sentences() -> None:
    texts = {r.text for r in read_training(shipped_corpus())}
    assert not texts & {text for text, _ in PLAUSIBLE}
    assert not texts & {r["text"] for r in MY_DOMAIN}


def test_training_twice_with_the_same_seed_gives_the_same_weights(
        records: list[TrainingRecord], small_model: EventClassifier) -> None:
    first, second = small_model, fit(records, seed=0)
    assert first.vocabulary == second.vocabulary
    for name in ("idf", "weights", "intercept"):
        assert np.array_equal(getattr(first, name), getattr(second, name))


def test_a_saved_model_loads_with_the_same_probabilities(
        tmp_path: Path, small_model: EventClassifier) -> None:
    model = small_model
    model.save(tmp_path / "m.npz")
    loaded = load_classifier(tmp_path / "m.npz")
    text = PLAUSIBLE[0][0]
    assert loaded.probabilities(text) == model.probabilities(text)


def test_a_users_file_teaches_the_model(tmp_path: Path, records: list[TrainingRecord],
                                        small_model: EventClassifier) -> None:
    extra = tmp_path / "domain.jsonl"
    extra.write_text("\n".join(json.dumps(r) for r in MY_DOMAIN) + "\n", "utf-8")
    before = small_model
    after = fit([*records, *read_training_file(extra)])
    assert not np.array_equal(before.intercept, after.intercept)
    probe = "The harbour authority impounded a fishing boat at the western docks."
    assert after.probabilities(probe)["COERCE"] > before.probabilities(probe)["COERCE"]
    assert after.top(probe)[0] == "COERCE"


def test_train_reads_the_corpus_and_the_extra_files(
        tmp_path: Path, records: list[TrainingRecord]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": r.text, "plover": None if r.label == "NONE"
                                            else r.label}) for r in records), "utf-8")
    extra = tmp_path / "domain.jsonl"
    extra.write_text("\n".join(json.dumps(r) for r in MY_DOMAIN), "utf-8")
    model = train([corpus], [extra], seed=0)
    assert model.metadata["sentences"] == len(records) + len(MY_DOMAIN)


@pytest.mark.parametrize(("line", "message"), [
    ('{"text": "Police arrested two men.", "plover": "COERCE"', "malformed JSON"),
    ('{"text": "Police arrested two men.", "plover": "ARREST"}', "'plover' must be one of"),
    ('{"text": "Police arrested two men."}', "'plover' must be one of"),
    ('{"text": "", "plover": null}', "non-empty 'text'"),
    ('{"text": "Police arrested two men.", "plover": "COERCE", "quad": 1}', "'quad' of COERCE"),
    ('{"text": "Police arrested two men.", "plover": "COERCE", '
     '"source": {"text": "Police", "start": 1, "end": 7}}', "'source' span"),
])
def test_a_malformed_extra_file_is_one_line_naming_file_and_line(
        tmp_path: Path, line: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Police arrested two men.", "plover": "COERCE"}\n' + line + "\n",
                   "utf-8")
    with pytest.raises(RuleFileError, match=message):
        read_training_file(bad)
    result = CliRunner().invoke(main, ["train", "--extra", str(bad),
                                       "--out", str(tmp_path / "never.npz")])
    assert result.exit_code == 1
    (error,) = result.output.splitlines()
    assert error.startswith(f"Error: {bad}:2: ") and message in error
    assert not (tmp_path / "never.npz").exists()


def test_a_model_of_other_features_is_refused(tmp_path: Path,
                                              small_model: EventClassifier) -> None:
    model = small_model
    old = dataclasses.replace(model, metadata={**model.metadata, "features": "x"})
    old.save(tmp_path / "old.npz")
    with pytest.raises(RuleFileError, match="rebuild it with 'whodid train'"):
        load_classifier(tmp_path / "old.npz")


@pytest.mark.parametrize("text", [
    "Police in Lagos arrested 12 protesters on Monday, the state's spokesman said.",
    "  Talks  between\tKyiv and Moscow (in Istanbul) resumed -- briefly -- on 3 March 2022!",
    "",
])
def test_the_features_read_word_by_word_are_those_of_the_whole_text(model: EventClassifier,
                                                                      text: str) -> None:
    """The model reads each whitespace-separated word's features once (cached); they are the
    text's word and character features, counted as often, and the probabilities do not depend
    on the sentences read before."""
    counts = Counter(model.vocabulary[f] for f in word_features(text) + char_features(text)
                     if f in model.vocabulary)
    columns, _ = model._vector(text, [])
    assert columns.tolist() == sorted(counts)
    fresh = load_classifier().probability_row(text)
    model.probability_row("Lagos police arrested protesters in Istanbul and Kyiv.")
    assert model.probability_row(text).tobytes() == fresh.tobytes()


def test_a_text_is_read_as_its_sentence_parsed_alone(model: EventClassifier,
                                                     options: Options) -> None:
    """The stage gives the classifier each sentence's Span; a caller with only the text gets
    it parsed by the model the training sentences were parsed with, the one whodid uses."""
    assert model.metadata["parser"] == options.spacy_model
    texts = [text for text, _ in PLAUSIBLE]
    docs = load_nlp(options.spacy_model).pipe(texts)
    for text, doc, top in zip(texts, docs, model.tops(texts), strict=True):
        assert model.probability_row(doc).tobytes() == model.probability_row(text).tobytes()
        assert model.top(text) == top


def test_the_parse_tells_what_the_words_alone_do_not(model: EventClassifier) -> None:
    """Same words, other structure: who did what to whom and whether it happened are in the
    parse features."""
    done = "Police in Accra arrested the opposition leader on Monday."
    denied = "Police in Accra did not arrest the opposition leader on Monday."
    assert model.top(done)[0] == "COERCE"
    assert model.probabilities(denied)["COERCE"] < model.probabilities(done)["COERCE"]
