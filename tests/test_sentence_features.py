"""The parse features of the event classifier: what a sentence's verbs do to what, and how real
its main verb is (``whodid.knowledge.sentence_features``), read from whodid's own spaCy model."""

from __future__ import annotations

import pytest

from whodid import Pipeline
from whodid.knowledge.sentence_features import parse_features


def features(pipeline: Pipeline, text: str) -> list[str]:
    return parse_features(pipeline.resources.nlp(text))


@pytest.mark.parametrize(("text", "wanted"), [
    ("The navy imposed a blockade on the port.", {"V:impose", "M:impose", "VO:impose|blockade"}),
    ("A blockade was imposed on the port by the navy.",
     {"VO:impose|blockade", "R:passive", "MR:impose|passive"}),
    ("The rebels released twelve prisoners on Sunday.", {"VO:release|prisoner", "R:past"}),
])
def test_a_verb_and_its_object_are_one_feature_in_either_voice(
        pipeline: Pipeline, text: str, wanted: set[str]) -> None:
    assert wanted <= set(features(pipeline, text))


def test_a_named_object_is_its_entity_type(pipeline: Pipeline) -> None:
    found = features(pipeline, "Turkish jets bombed Baghdad at dawn.")
    assert "VO:bomb|GPE" in found
    assert not any("baghdad" in f for f in found)


@pytest.mark.parametrize(("text", "main"), [
    ("Rebels kidnapped three aid workers, the army said.", "kidnap"),
    ("The army said rebels had kidnapped three aid workers.", "kidnap"),
    ("Officials told reporters that the talks had collapsed.", "collapse"),
])
def test_the_main_verb_is_the_one_a_reporting_verb_reports(pipeline: Pipeline, text: str,
                                                           main: str) -> None:
    assert [f for f in features(pipeline, text) if f.startswith("M:")] == [f"M:{main}"]


@pytest.mark.parametrize(("text", "marks"), [
    ("The ministers did not sign the accord.", {"negated", "past"}),
    ("Turkey will close its border with Syria.", {"future"}),
    ("The union could call a strike next week.", {"modal"}),
    ("The army would withdraw if the rebels disarmed.", {"modal", "conditional"}),
    ("Police have arrested the mayor.", {"perfect"}),
    ("Protesters block the main road every morning.", {"present"}),
])
def test_how_the_main_verb_is_told_is_a_feature_alone_and_with_the_verb(
        pipeline: Pipeline, text: str, marks: set[str]) -> None:
    found = features(pipeline, text)
    (main,) = (f[2:] for f in found if f.startswith("M:"))
    assert {f[2:] for f in found if f.startswith("R:")} == marks
    assert {f"MR:{main}|{mark}" for mark in marks} <= set(found)


def test_a_threat_is_the_main_verb_and_the_act_threatened_its_own_verb(
        pipeline: Pipeline) -> None:
    found = features(pipeline, "Washington threatened to impose new tariffs on steel.")
    assert {"M:threaten", "V:impose", "VO:impose|tariff"} <= set(found)


def test_a_sentence_without_a_verb_has_no_parse_features(pipeline: Pipeline) -> None:
    assert features(pipeline, "Fresh fighting in the north.") == []


def test_a_sentence_of_a_doc_has_the_features_of_that_sentence_alone(pipeline: Pipeline) -> None:
    first, second = "Troops shelled the village.", "Aid workers fled to the coast."
    doc = pipeline.resources.nlp(f"{first} {second}")
    sentences = list(doc.sents)
    assert parse_features(sentences[1]) == features(pipeline, second)
    assert sorted(parse_features(doc)) == sorted(parse_features(sentences[0])
                                                 + parse_features(sentences[1]))
