"""The data model: to_dict/from_dict round-trip and JSON-ready output."""

from __future__ import annotations

import json

from whodid import (
    Actor,
    Article,
    Dateline,
    Event,
    Location,
    Mention,
    Participant,
    Place,
    RemovedSpan,
    Sentence,
)


def full_article() -> Article:
    return Article(
        id="a1", source="a1.txt", raw_text="Title\n\nBAGHDAD (Reuters) - Iraq and Iran met.",
        title="Title", published="2020-02-15", outlet="Reuters", url="https://example.org/a1",
        dateline=Dateline("BAGHDAD (Reuters) -", "Baghdad", "Reuters", 0, 19),
        text="BAGHDAD (Reuters) - Iraq and Iran met.",
        removed=[RemovedSpan(0, 7, "title", "Title\n\n")],
        sentences=[Sentence(0, 38, "BAGHDAD (Reuters) - Iraq and Iran met.")],
        mentions=[Mention("Iraq", 20, 24, "GPE", Actor("Iraq", "IRQ", "IRQ", kb_id="IRQ"))],
        places=[Place("BAGHDAD", 0, 7, "Baghdad", "IRQ", "Baghdad", 33.34, 44.4, 98182, "city")],
        events=[Event(id="e1", sentence=0, span=(20, 37), evidence="Iraq and Iran met",
                      cameo="040", plover="CONSULT", mode="visit", goldstein=1.0, quad_class=1,
                      source=Participant("Iraq", "Iraq", "IRQ", "IRQ"),
                      target=Participant("Iran", "Iran", "IRN", "IRN"),
                      date="2020-02-15", date_precision="published",
                      location=Location("Baghdad", "IRQ", 33.34, 44.4, 98182),
                      negated=False, confidence=0.8)],
        errors=["a warning"], content_hash="abc",
    )


def test_article_round_trips_through_to_dict_and_json() -> None:
    article = full_article()
    data = json.loads(json.dumps(article.to_dict()))
    assert Article.from_dict(data) == article


def test_to_dict_has_the_design_keys_and_no_spacy_doc() -> None:
    article = full_article()
    article.doc = object()
    data = article.to_dict()
    assert {"id", "source", "title", "published", "outlet", "text", "removed", "mentions",
            "places", "events", "sentences"} <= set(data)
    assert "doc" not in data
    assert data["events"][0]["span"] == [20, 37]
    assert data["events"][0]["source"] == {"text": "Iraq", "name": "Iraq", "code": "IRQ",
                                           "country": "IRQ", "sector": None, "kb_id": None}
    assert data["mentions"][0]["actor"]["code"] == "IRQ"


def test_from_dict_ignores_unknown_keys_and_defaults_missing_ones() -> None:
    article = Article.from_dict({"id": "x", "source": "s", "raw_text": "t", "extra": 1})
    assert article.events == [] and article.dateline is None and article.title is None
