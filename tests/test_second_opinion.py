"""The event classifier's second opinion on the rules: doubted events, rescued sentences, the
``method`` of an event through the store and the exports, and the option that switches it off."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from whodid import Article, Pipeline
from whodid.cli import main
from whodid.knowledge.codebook import PLOVER_CATEGORIES, plover_of
from whodid.knowledge.rules import RuleFileError, packaged
from whodid.model import Event, Participant, Sentence
from whodid.stages.events.second_opinion import SETTINGS_FILE, SecondOpinion, rescue_trigger
from whodid.store import MIGRATIONS, Store

from .conftest import SEEDS, code_text


@pytest.fixture(scope="module")
def rules_alone(pipeline: Pipeline) -> Pipeline:
    """The same pipeline with the second opinion off (Options.second_opinion: false)."""
    return Pipeline(dataclasses.replace(pipeline.resources, opinion=None))


# Sentences whose verb or event noun has a pattern of the category the classifier is sure of,
# but whose rules found no event for want of a side.
@pytest.mark.parametrize(("text", "plover"), [
    ("Talks were held in Geneva between delegations from Armenia and Azerbaijan.", "CONSULT"),
    ("Talks opened in Doha between envoys of the Taliban and the United States.", "CONSULT"),
    ("A truce was signed in Tripoli between the two militias.", "SUPPORT"),
])
def test_a_sentence_no_rule_coded_is_rescued_by_a_confident_classifier(
        pipeline: Pipeline, rules_alone: Pipeline, text: str, plover: str) -> None:
    assert code_text(rules_alone, text).events == []
    (event,) = code_text(pipeline, text).events
    assert (event.method, event.plover, plover_of(event.cameo)) == ("classifier", plover, plover)
    assert event.trigger and event.trigger in text and event.incomplete
    assert event.confidence < 0.5


# Sentences whose trigger the rules judge no act (a warning of what could happen, a refusal to
# comment, a denial): the classifier may think otherwise, but it does not rescue them.
@pytest.mark.parametrize("text", [
    "The UN warned that aid convoys could face attacks in Idlib.",
    "Iran rejected claims that it had armed the Houthi rebels.",
    "The Kenyan government refused to comment on the report.",
])
def test_what_the_rules_judge_no_act_is_not_rescued(pipeline: Pipeline, text: str) -> None:
    assert code_text(pipeline, text).events == []


# A rule fires on a sports or business sentence the classifier finds implausible for it.
@pytest.mark.parametrize("text", [
    "Brazil's striker Neymar attacked the Argentine defence all evening.",
    "Germany beat France in the semi-final of the handball championship.",
])
def test_a_phantom_the_classifier_doubts_keeps_its_place_with_less_confidence(
        pipeline: Pipeline, rules_alone: Pipeline, text: str) -> None:
    (alone,) = code_text(rules_alone, text).events
    (doubted,) = code_text(pipeline, text).events
    assert (doubted.id, doubted.cameo, doubted.method) == (alone.id, alone.cameo, "rules")
    assert alone.confidence >= 0.8 > doubted.confidence


@pytest.mark.parametrize("text", [
    "The striker fired a shot past the goalkeeper in the final minute.",
    "The Kenyan runner defeated the Ethiopian champion in the Berlin marathon.",
    "If the rebels attack the town, the army will respond.",
])
def test_sentences_without_a_real_event_stay_without_one(pipeline: Pipeline, text: str) -> None:
    assert [e for e in code_text(pipeline, text).events if not e.negated] == []


def test_the_option_off_is_the_rules_alone(pipeline: Pipeline, rules_alone: Pipeline) -> None:
    """The opinion only adds classifier events and changes confidences: with it off, every
    event is the rules' own, and the rules' events are the same with it on."""
    def coded(coder: Pipeline) -> list[Article]:
        articles = [Article(id=p.stem, source=str(p), raw_text=p.read_text("utf-8"))
                    for p in sorted(SEEDS.glob("*.txt"))]
        return [a for a in coder(articles) if isinstance(a, Article)]

    alone, both = coded(rules_alone), coded(pipeline)
    assert all(e.method == "rules" for a in alone for e in a.events)
    for a, b in zip(alone, both, strict=True):
        assert [e.id for e in a.events] == [e.id for e in b.events if e.method == "rules"]


def test_evaluate_reports_rules_alone_classifier_alone_and_the_combination(
        tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "id": "g1", "published": None,
        "text": "Talks opened in Doha between envoys of the Taliban and the United States.",
        "events": [{"source": None, "target": None, "cameo": [], "plover": "CONSULT"}]}) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.splitlines()[-1])
    assert figures["rules_recall_type"] == 0.0
    assert figures["combination_recall_type"] == figures["classifier_recall_type"] == 1.0
    assert figures["recall_type"] == figures["combination_recall_type"]  # the default is on


def _article(method: str) -> Article:
    text = "Iraq and Iran held talks."
    return Article(id="a1", source="t", raw_text=text, text=text, content_hash=text,
                   sentences=[Sentence(0, len(text), text)],
                   events=[Event(id="e1", sentence=0, span=(0, len(text)), evidence=text,
                                 cameo="040", plover="CONSULT", confidence=0.4, method=method,
                                 source=Participant("Iraq", code="IRQ", country="IRQ"),
                                 target=Participant("Iran", code="IRN", country="IRN"))])


def test_the_method_round_trips_through_the_dict_the_store_and_the_exports(
        tmp_path: Path) -> None:
    article = _article("classifier")
    assert Article.from_dict(article.to_dict()).events[0].method == "classifier"
    assert Event.from_dict({k: v for k, v in article.events[0].to_dict().items()
                            if k != "method"}).method == "rules"
    db = tmp_path / "w.db"
    with Store(db) as store:
        store.save_article(article, None, "1")
        stored = store.article_json("a1")
        assert stored is not None and stored["events"][0]["method"] == "classifier"
        assert store.connection.execute("SELECT method FROM events").fetchone()[0] == \
            "classifier"
    for fmt in ("jsonl", "plover"):
        out = tmp_path / f"e.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt,
                                           "--include-incomplete", str(out)])
        assert result.exit_code == 0, result.output
        (row,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert row["method"] == "classifier"


def test_migration_10_gives_the_events_of_an_old_database_the_rules_method(
        tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("CREATE TABLE migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at TEXT NOT NULL)")
    for migration in MIGRATIONS[:9]:
        migration.apply(connection)
        connection.execute("INSERT INTO migrations VALUES (?, ?, '2026-01-01')",
                           (migration.number, migration.name))
    connection.execute("INSERT INTO articles (id, source, text, content_hash, pipeline_version,"
                       " sentence_count, event_count, coded_at, json) VALUES ('a1', 't', 'x',"
                       " 'x', '1', 1, 1, '2026', '{}')")
    connection.execute("INSERT INTO events (id, article_id, idx, sentence, span_start, span_end,"
                       " evidence, cameo, negated, confidence) VALUES ('e1', 'a1', 0, 0, 0, 1,"
                       " 'x', '040', 0, 0.5)")
    connection.close()
    with Store(path) as store:
        assert [n for n, _ in store.applied_migrations()][-1] == 10
        assert store.connection.execute("SELECT method FROM events").fetchone()[0] == "rules"


def test_the_settings_name_a_default_code_of_each_category_in_its_category() -> None:
    opinion = SecondOpinion.load()
    assert set(opinion.default_codes) == set(PLOVER_CATEGORIES)
    assert all(plover_of(code) == c for c, code in opinion.default_codes.items())
    assert 0 < opinion.rescue_threshold <= opinion.trusted_threshold <= 1


@pytest.mark.parametrize(("change", "message"), [
    ("rescue_threshold: 0.5", "rescue_threshold: expected a number"),
    ("trusted_threshold: 0.8", "trusted_threshold: expected a probability"),
    ('ASSAULT: "190"', "default_codes: the code of ASSAULT is not one of its category"),
])
def test_a_bad_settings_file_is_an_error_naming_file_and_key(
        tmp_path: Path, change: str, message: str) -> None:
    text = packaged(SETTINGS_FILE).read_text("utf-8")
    replacement = {"rescue_threshold: 0.5": "rescue_threshold: half",
                   "trusted_threshold: 0.8": "trusted_threshold: 8",
                   'ASSAULT: "190"': 'ASSAULT: "040"'}[change]
    assert change in text
    settings = tmp_path / "second_opinion.yaml"
    settings.write_text(text.replace(change, replacement), "utf-8")
    with pytest.raises(RuleFileError, match=message) as error:
        SecondOpinion.load(settings=settings)
    assert str(settings) in str(error.value)



# The classifier may see an act of its category that the rules find only asked for, promised or
# feared: the main verb does not carry it instead. Sure of CONCEDE, it finds the easing told as
# a fact, and nothing where the easing is only demanded.
@pytest.mark.parametrize(("text", "trigger"), [
    ("The ministry eased the restrictions on migrant workers on Monday.", "eased"),
    ("The union reiterated its demand that the ministry ease the restrictions on migrant "
     "workers.", None),
    ("The federation renewed its call for the ministry to ease the restrictions on migrant "
     "workers.", None),
    ("The bishops repeated their plea that the junta lift the curfew in the capital.", None),
])
def test_an_act_only_asked_for_is_not_rescued_through_the_main_verb(
        pipeline: Pipeline, text: str, trigger: str | None) -> None:
    resources = pipeline.resources
    assert resources.opinion is not None
    sentence = next(iter(resources.nlp(text).sents))
    rescue = rescue_trigger(sentence, "CONCEDE", 0.99, resources.events, resources.opinion)
    assert (rescue[0].text if rescue is not None else None) == trigger
