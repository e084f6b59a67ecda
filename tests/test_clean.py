"""The clean stage: furniture out with a record of why, every body paragraph kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from whodid import Article, Options, clean, read_inputs
from whodid.stages.clean import cut_spans

from .conftest import SEEDS

# The first and last body paragraph of each seed: everything from one to the other is body.
BODY_BOUNDS = {
    "000_912e81fc23c2b31a": ("ERBIL, Kurdistan Region (Kurdistan24) – The Kurdistan Region",
                             "The memorandum made references to military and financial"),
    "001_498e05537b24f498": ("MUNICH, Germany,— Iraqi Kurdistan Regional Government",
                             "The Munich Security Conference started on February 14"),
    "002_3fb3bd38c7072cf8": ("North-eastern Syria – North-Press Agency",
                             "The Global Coalition spokesperson, Col. Myles Cagginz added"),
}
COMMENT_TEXT = [
    "You must be logged in",
    "MartinArcher",
    "The conversation with Mr. Carter was meaningless",
    "new Trump administration",
    "driving the Kurds back under the control of Baghdad",
]


def clean_seed(name: str, options: Options) -> Article:
    (article,) = read_inputs([str(SEEDS / f"{name}.txt")], options)
    assert isinstance(article, Article)
    return clean(article)


def body_paragraphs(name: str) -> list[str]:
    raw = (SEEDS / f"{name}.txt").read_text("utf-8")
    paragraphs = [p.strip() for p in raw.split("\n") if p.strip()]
    first, last = BODY_BOUNDS[name]
    start = next(i for i, p in enumerate(paragraphs) if p.startswith(first))
    end = next(i for i, p in enumerate(paragraphs) if p.startswith(last))
    return paragraphs[start:end + 1]


@pytest.mark.parametrize("name", sorted(BODY_BOUNDS))
def test_every_body_paragraph_of_the_seeds_is_kept(name: str, options: Options) -> None:
    article = clean_seed(name, options)
    paragraphs = body_paragraphs(name)
    assert len(paragraphs) >= 5
    for paragraph in paragraphs:
        assert paragraph in article.text


@pytest.mark.parametrize("name", sorted(BODY_BOUNDS))
def test_clean_text_is_the_raw_text_less_the_removed_spans(name: str, options: Options) -> None:
    article = clean_seed(name, options)
    assert article.text == cut_spans(article.raw_text, article.removed)
    for span in article.removed:
        assert article.raw_text[span.start:span.end] == span.text
    assert "\n\n\n" not in article.text
    assert article.text == article.text.strip()


def test_reader_comments_and_editing_credit_are_removed_from_seed_000(options: Options) -> None:
    article = clean_seed("000_912e81fc23c2b31a", options)
    for text in COMMENT_TEXT:
        assert text not in article.text
    assert "Editing by" not in article.text
    reasons = {span.reason: span.text for span in article.removed}
    assert reasons["reader comments"].startswith("You must be logged in to leave a comment.")
    assert "MartinArcher" in reasons["reader comments"]
    assert reasons["editing credit"] == "Editing by Karzan Sulaivany"
    assert "(Photo: KRP)" in reasons["photo caption"]
    assert "President Barzani, US Defense Secretary discuss Mosul operation" in article.text


def test_photo_caption_of_seed_001_is_removed(options: Options) -> None:
    article = clean_seed("001_498e05537b24f498", options)
    assert "Photo: Barzani’s Twitter" not in article.text
    assert "shakes hands" not in article.text
    assert article.text.startswith("MUNICH, Germany,—")


@pytest.mark.parametrize(("name", "place", "outlet", "text"), [
    ("000_912e81fc23c2b31a", "Erbil", "Kurdistan24", "ERBIL, Kurdistan Region (Kurdistan24) –"),
    ("001_498e05537b24f498", "Munich", None, "MUNICH, Germany,—"),
    ("002_3fb3bd38c7072cf8", "North-eastern Syria", "North-Press Agency",
     "North-eastern Syria – North-Press Agency"),
])
def test_datelines_of_the_seeds(name: str, place: str, outlet: str | None, text: str,
                                options: Options) -> None:
    article = clean_seed(name, options)
    assert article.dateline is not None
    assert (article.dateline.place, article.dateline.outlet, article.dateline.text) == (
        place, outlet, text)
    assert article.text[article.dateline.start:article.dateline.end] == text


def test_seed_outlets(options: Options) -> None:
    outlets = {name: clean_seed(name, options).outlet for name in BODY_BOUNDS}
    assert outlets == {"000_912e81fc23c2b31a": "Kurdistan24",
                       "001_498e05537b24f498": "Iraq News",
                       "002_3fb3bd38c7072cf8": "North-Press Agency"}


def clean_text(tmp_path: Path, options: Options, body: str) -> Article:
    path = tmp_path / "article.txt"
    path.write_text("Headline of the story\n\n" + body)
    (article,) = read_inputs([str(path)], options)
    assert isinstance(article, Article)
    return clean(article)


@pytest.mark.parametrize(("furniture", "reason"), [
    ("Reporting by Maher Chmaytelli; Editing by Alison Williams", "editing credit"),
    ("By John Davison", "byline"),
    ("Photo: Reuters/Ahmed Jadallah", "photo credit"),
    ("Share on Facebook", "share furniture"),
    ("Facebook | Twitter | Email", "share furniture"),
    ("Sign up for our daily newsletter", "subscribe furniture"),
    ("Follow us on Twitter", "subscribe furniture"),
    ("Read more: Iraq's parliament votes on budget", "link furniture"),
    ("Agence France-Presse contributed to this report", "contributor credit"),
    ("Reuters and Associated Press contributed reporting", "contributor credit"),
    ("Amira Hassan contributed reporting from Cairo.", "contributor credit"),
])
def test_furniture_lines_are_removed_with_their_reason(tmp_path: Path, options: Options,
                                                       furniture: str, reason: str) -> None:
    body = f"Iraq and Iran met on Monday.\n\n{furniture}\n\nThey agreed to meet again."
    article = clean_text(tmp_path, options, body)
    assert furniture not in article.text
    assert "Iraq and Iran met on Monday." in article.text
    assert "They agreed to meet again." in article.text
    assert any(span.reason == reason and span.text == furniture for span in article.removed)


@pytest.mark.parametrize("sentence", [
    "By Friday, the troops had left the town.",
    "Related to the talks, the minister said nothing.",
    "Picture this: a city without power for a month.",
    "Share prices fell sharply in Tehran.",
    "The comments by the minister angered Baghdad.",
    "Saudi Arabia contributed to the reconstruction of the port.",
])
def test_body_sentences_that_look_like_furniture_are_kept(tmp_path: Path, options: Options,
                                                          sentence: str) -> None:
    article = clean_text(tmp_path, options, f"Iraq and Iran met.\n\n{sentence}\n\nThe end.")
    assert sentence in article.text


def test_comment_markers_cut_everything_after_them(tmp_path: Path, options: Options) -> None:
    body = "The two sides met.\n\nLeave a Reply\n\nJoe: rubbish.\n\nAnn: agreed."
    article = clean_text(tmp_path, options, body)
    assert article.text == "The two sides met."
    assert article.removed[-1].reason == "reader comments"


def test_runs_of_blank_lines_collapse_to_one(tmp_path: Path, options: Options) -> None:
    article = clean_text(tmp_path, options, "One.\n\n \n\u00a0\n\n\nTwo.\n \nThree.")
    assert article.text == "One.\n\nTwo.\n \nThree."
    assert any(span.reason == "blank lines" for span in article.removed)


@pytest.mark.parametrize(("body", "place", "text"), [
    # a wire dateline glued to its double hyphen and outlet
    ("PLEASANTON, Calif.--A maker of sensors said on Monday it had grown.",
     "Pleasanton", "PLEASANTON, Calif.--"),
    ("BOISE, Idaho--( )--The company opened a plant.", "Boise", "BOISE, Idaho--"),
    # a dateline opening a sentence after a header run into the first paragraph
    ("Source: Office of the Mayor Headline: Mayor Speaks at Grant Event. IMMOKALEE – The mayor "
     "offered remarks at an event on Monday.", "Immokalee", "IMMOKALEE –"),
    ("Press release. Headline: Port Opens. SAVANNAH — The port opened a terminal on Friday.",
     "Savannah", "SAVANNAH —"),
])
def test_datelines_glued_to_hyphens_or_after_a_header(tmp_path: Path, options: Options,
                                                      body: str, place: str, text: str) -> None:
    article = clean_text(tmp_path, options, body)
    assert article.dateline is not None
    assert (article.dateline.place, article.dateline.text) == (place, text)


def test_a_short_capitalised_word_inside_a_paragraph_is_no_dateline(tmp_path: Path,
                                                                     options: Options) -> None:
    article = clean_text(tmp_path, options, "Officials met on Monday. US – China talks resumed "
                         "after a pause, and the envoys said little.")
    assert article.dateline is None


@pytest.mark.parametrize("credit", [
    "Agence France-Presse contributed to this report",
    "Reuters contributed to this report.",
    "Additional staff also contributed reporting from Erbil.",
])
def test_a_credit_run_on_after_the_last_sentence_is_removed_alone(
        tmp_path: Path, options: Options, credit: str) -> None:
    body = f"Iraq and Iran met on Monday. They agreed to meet again in Baghdad. {credit}"
    article = clean_text(tmp_path, options, body)
    assert credit not in article.text
    assert article.text.endswith("They agreed to meet again in Baghdad.")
    assert any(span.reason == "contributor credit" and span.text == credit
               for span in article.removed)
