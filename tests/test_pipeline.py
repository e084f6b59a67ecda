"""The pipeline: stage order satisfies what each stage requires; failures stay per article."""

from __future__ import annotations

from pathlib import Path

from whodid import PIPELINE, Article, InputError, Options, Pipeline, read_inputs
from whodid.pipeline import (
    ACTORS,
    CLEAN,
    DATES,
    EVENTS,
    PARSE,
    PLACES,
    QUANTITIES,
    READ,
    REPEATS,
    STORE,
    Resources,
    Stage,
    check_stages,
)


def test_the_pipeline_order_satisfies_every_stage_requirement() -> None:
    assert check_stages(PIPELINE) == []
    assert [stage.name for stage in PIPELINE] == [
        "read", "clean", "parse", "actors", "events", "dates", "places", "quantities", "repeats",
        "store"]


def test_a_stage_placed_before_what_it_needs_is_reported() -> None:
    problems = check_stages([READ, PARSE, CLEAN, ACTORS, EVENTS, DATES, PLACES, QUANTITIES,
                             REPEATS, STORE])
    assert problems == ["stage 'parse' requires 'text', which no earlier stage assigns"]


def test_parse_sets_sentences_and_a_doc(pipeline: Pipeline, options: Options,
                                        seed_paths: list[Path]) -> None:
    articles = [a for a in read_inputs([str(p) for p in seed_paths], options)
                if isinstance(a, Article)]
    coded = pipeline(articles)
    assert len(coded) == 3
    for article in coded:
        assert isinstance(article, Article)
        assert article.doc is not None and article.doc.text == article.text
        assert len(article.sentences) >= 5
        for sentence in article.sentences:
            assert article.text[sentence.start:sentence.end] == sentence.text


def test_an_article_that_breaks_a_stage_becomes_an_error_and_the_batch_goes_on(
        pipeline: Pipeline, options: Options) -> None:
    def refuse_poison(articles: list[Article], resources: Resources) -> list[Article]:
        for article in articles:
            if "poison" in article.text:
                raise ValueError("cannot code this")
        return articles

    checking = Stage("check", requires=("text",), assigns=(), run=refuse_poison)
    custom = Pipeline(pipeline.resources,
                      [READ, CLEAN, checking, PARSE, ACTORS, EVENTS, DATES, PLACES,
                       QUANTITIES, REPEATS, STORE])
    batch = [Article(id=name, source=f"{name}.txt", raw_text=text) for name, text in
             [("a", "Iraq and Iran met."), ("b", "poison pill"), ("c", "Turkey and Syria met.")]]
    results = custom(batch)
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "Article"]
    error = results[1]
    assert isinstance(error, InputError)
    assert str(error) == "b.txt: article 'b' failed in stage 'check': ValueError: cannot code this"
