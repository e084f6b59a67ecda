"""The read stage: every input kind, ids, titles and metadata found in the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whodid import Article, InputError, Options, read_inputs
from whodid.stages.read import normalise_date

from .conftest import SEEDS


def read_all(paths: list[str], options: Options) -> list[Article | InputError]:
    return list(read_inputs(paths, options))


def articles_of(paths: list[str], options: Options) -> list[Article]:
    items = read_all(paths, options)
    assert all(isinstance(item, Article) for item in items), items
    return [item for item in items if isinstance(item, Article)]


def test_a_folder_is_read_recursively_with_file_stems_as_ids(tmp_path: Path,
                                                             options: Options) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("Title one\n\nBody one.")
    (tmp_path / "a" / "b" / "two.txt").write_text("Title two\n\nBody two.")
    (tmp_path / "a" / "notes.md").write_text("not an article")
    articles = articles_of([str(tmp_path)], options)
    assert [a.id for a in articles] == ["two", "one"]  # sorted paths: a/b/two.txt < a/one.txt


def test_the_first_nonempty_line_of_a_txt_is_its_title(options: Options) -> None:
    (seed_000,) = articles_of([str(SEEDS / "000_912e81fc23c2b31a.txt")], options)
    assert seed_000.id == "000_912e81fc23c2b31a"
    assert seed_000.title == ("Kurdistan President Barzani, US Defense Secretary discuss "
                              "Mosul operation")
    assert [r.reason for r in seed_000.removed] == ["title"]


def test_a_date_line_gives_the_publication_date_and_outlet(options: Options) -> None:
    (seed_001,) = articles_of([str(SEEDS / "001_498e05537b24f498.txt")], options)
    assert seed_001.published == "2020-02-15"
    assert seed_001.outlet == "Iraq News"
    assert seed_001.removed[0].reason == "date line"
    # the line after the date line is a 35-word photo caption, not a title
    assert seed_001.title is None


def test_jsonl_fields_are_read_and_missing_ids_come_from_stem_and_line(
        tmp_path: Path, options: Options) -> None:
    path = tmp_path / "batch.jsonl"
    rows = [
        {"id": "g-1", "text": "Iraq and Iran met.", "title": "Talks", "published": "2019-04-10",
         "url": "https://example.org/1", "outlet": "The Guardian"},
        {"text": "Iraq and Turkey met."},
        {"html": "<html><body><article><p>Iraq and Syria met in Baghdad on Monday, officials "
                 "said, in the first talks of the year between the two neighbours.</p>"
                 "</article></body></html>", "id": "h-1"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second, third = articles_of([str(path)], options)
    assert (first.id, first.title, first.published, first.url, first.outlet) == (
        "g-1", "Talks", "2019-04-10", "https://example.org/1", "The Guardian")
    assert first.raw_text == "Iraq and Iran met."
    assert second.id == "batch-2"
    assert third.id == "h-1" and "Iraq and Syria met in Baghdad" in third.raw_text


def test_a_json_file_may_hold_one_object_or_a_list(tmp_path: Path, options: Options) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"id": "solo", "text": "A met B."}))
    (tmp_path / "many.json").write_text(json.dumps([{"text": "A met B."}, {"text": "C met D."}]))
    ids = [a.id for a in articles_of([str(tmp_path)], options)]
    assert ids == ["many-1", "many-2", "solo"]


def test_html_is_extracted_without_reader_comments(tmp_path: Path, options: Options) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Barzani meets Pompeo</title>"
        '<meta property="og:site_name" content="Kurdistan24">'
        '<meta name="date" content="2020-02-15"></head><body><article>'
        "<h1>Barzani meets Pompeo</h1>"
        "<p>MUNICH, Germany,— Prime Minister Masrour Barzani met with US Secretary of State Mike "
        "Pompeo on Friday in Munich to discuss the situation in Iraq and the region.</p>"
        "<p>The pair talked about developing the relations between Kurdistan region and the US "
        "in the sectors of economy and security.</p></article>"
        '<div id="comments" class="comments"><h3>Comments</h3><p>MartinArcher: this meeting '
        "was meaningless and nothing will come of it.</p></div></body></html>")
    (article,) = articles_of([str(page)], options)
    assert article.id == "page"
    assert article.title == "Barzani meets Pompeo"
    assert article.published == "2020-02-15"
    assert article.outlet == "Kurdistan24"
    assert "Masrour Barzani met with US Secretary of State" in article.raw_text
    assert "meaningless" not in article.raw_text


@pytest.mark.parametrize(("text", "expected"), [
    ("2020-02-15", "2020-02-15"),
    ("2020-02-15T18:45:00+03:00", "2020-02-15"),
    ("15 February 2020", "2020-02-15"),
    ("Saturday, 15 February 2020", "2020-02-15"),
    ("March 3, 2019", "2019-03-03"),
    ("2020/02/15", "2020-02-15"),
    ("not a date", None),
    ("2020-02-31", None),
])
def test_publication_dates_are_normalised_to_iso(text: str, expected: str | None) -> None:
    assert normalise_date(text) == expected


@pytest.mark.parametrize("line", [
    "Published: 15 February 2020",
    "Posted on March 3, 2019 10:30 AM",
    "date 2020-02-15 2020/02/15 | 18:45 - Source: Iraq News",
])
def test_date_line_forms(tmp_path: Path, options: Options, line: str) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(f"A headline\n{line}\n\nBody text of the article.")
    (article,) = articles_of([str(path)], options)
    assert article.published is not None and article.title == "A headline"


def test_a_body_sentence_that_mentions_a_date_is_not_a_date_line(tmp_path: Path,
                                                                 options: Options) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Headline\n\nOn 2020-02-15 the two leaders met in Munich.")
    (article,) = articles_of([str(path)], options)
    assert article.published is None
