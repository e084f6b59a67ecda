"""An event's evidence is the clause of its sentence that states it (whodid.stages.events.evidence):
a verbatim slice of the clean text, inside its sentence, holding the trigger and its arguments,
without the clauses of the sentence that tell something else."""

from __future__ import annotations

from pathlib import Path

import pytest

from whodid import Article, Event, Pipeline

from .conftest import code_text


def only_event(article: Article, trigger: str) -> Event:
    (event,) = [e for e in article.events if e.trigger == trigger]
    return event


def assert_a_slice_of_its_sentence(article: Article, event: Event) -> None:
    start, end = event.span
    sentence = article.sentences[event.sentence]
    assert article.text[start:end] == event.evidence
    assert sentence.start <= start < end <= sentence.end
    assert event.trigger_span is not None
    assert start <= event.trigger_span[0] and event.trigger_span[1] <= end


def test_a_real_act_beside_a_forecast_has_the_acts_clause_as_evidence(pipeline: Pipeline) -> None:
    text = ("In his talks with Angela Merkel, Emmanuel Macron indicated he was likely to ask "
            "Germany to send more troops to Mali.")
    article = code_text(pipeline, text, "2019-05-02")
    talks = only_event(article, "talks")
    assert (talks.plover, talks.source and talks.source.code[:3],
            talks.target and talks.target.code[:3]) == ("CONSULT", "FRA", "DEU")
    assert talks.evidence == "In his talks with Angela Merkel, Emmanuel Macron indicated"
    assert "likely" not in talks.evidence
    assert_a_slice_of_its_sentence(article, talks)


def test_what_a_speaker_reports_is_the_evidence_without_the_attribution(
        pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Turkish jets bombed Kurdish positions in northern Iraq, the "
                                  "defence ministry said.", "2021-06-01")
    bombed = only_event(article, "bombed")
    assert bombed.evidence == "Turkish jets bombed Kurdish positions in northern Iraq"
    assert_a_slice_of_its_sentence(article, bombed)


@pytest.mark.parametrize(("text", "trigger", "evidence"), [
    ("The United States and Qatar hosted talks in Doha, at which the Taliban are expected to "
     "demand a prisoner release.", "hosted", "The United States and Qatar hosted talks in Doha"),
    ("A Pentagon spokesman said the Iraqi army had recaptured Mosul from Islamic State, but "
     "warned that the militants could still stage attacks in the city.", "recaptured",
     "the Iraqi army had recaptured Mosul from Islamic State"),
])
def test_a_clause_holding_neither_trigger_nor_argument_is_left_out(
        pipeline: Pipeline, text: str, trigger: str, evidence: str) -> None:
    article = code_text(pipeline, text, "2019-05-02")
    event = next(e for e in article.events if e.trigger == trigger)
    assert event.evidence == evidence
    assert_a_slice_of_its_sentence(article, event)


def test_a_pronoun_of_the_clause_stands_for_the_actor_named_before_it(
        pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Sergei Lavrov told reporters that he had met the Turkish "
                                  "foreign minister in Antalya on Friday.", "2021-06-01")
    met = only_event(article, "met")
    assert met.source is not None and met.source.code == "RUSGOV"
    assert met.evidence == "he had met the Turkish foreign minister in Antalya on Friday."


def test_a_complement_of_the_act_is_part_of_its_evidence(pipeline: Pipeline) -> None:
    text = "Germany urged Russia to withdraw its troops from the border."
    article = code_text(pipeline, text, "2019-05-02")
    assert only_event(article, "urged").evidence == text


def test_the_date_of_an_event_still_comes_from_its_whole_sentence(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "On Friday, the ministry said Turkish jets had bombed "
                                  "Kurdish positions.", "2021-06-07")
    bombed = only_event(article, "bombed")
    assert "Friday" not in bombed.evidence
    assert (bombed.date, bombed.date_precision) == ("2021-06-04", "day")


def test_every_seed_event_has_evidence_inside_its_sentence(pipeline: Pipeline,
                                                           seed_paths: list[Path]) -> None:
    articles = [code_text(pipeline, path.read_text("utf-8")) for path in seed_paths]
    events = [(a, e) for a in articles for e in a.events]
    assert events
    for article, event in events:
        assert_a_slice_of_its_sentence(article, event)
    shorter = [e for a, e in events if e.evidence != a.sentences[e.sentence].text]
    assert shorter  # some seed sentences tell more than their event


def test_an_act_told_in_a_relative_clause_keeps_the_noun_it_describes(
        pipeline: Pipeline) -> None:
    article = code_text(pipeline, "The Syrian Democratic Forces, which captured Raqqa from "
                                  "Islamic State in 2017, said on Monday that Turkey had "
                                  "attacked their positions.", "2019-10-08")
    captured = only_event(article, "captured")
    assert captured.evidence == ("The Syrian Democratic Forces, which captured Raqqa from "
                                 "Islamic State in 2017")
    assert_a_slice_of_its_sentence(article, captured)
