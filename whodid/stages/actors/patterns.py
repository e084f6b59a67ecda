"""The actor matchers' patterns as token strings: tokenized once, then read from the user's cache.

Building the actor matchers means tokenizing every name and title of the knowledge base (some
ten thousand phrases) with spaCy's tokenizer: a third of a second at every start. What the
matchers need of each phrase is only the text of its tokens (as written, and lower-cased), so
``pattern_tokens`` keeps those in the cache folder of the gazetteer and the large YAML files
(``cache_directory``), under a key made of the phrases themselves, the spaCy version, the
model's name and version, and the format below: a changed knowledge base, model or spaCy means
a new key and a new tokenization. A cache that cannot be read or written is only a slower start.
``phrase_keys`` turns the token strings into the hashes a ``PhraseMatcher`` compares, the same
hashes the tokens of a parsed doc carry, so the matchers find exactly what they found when
their patterns were docs.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from whodid.knowledge.gazetteer.cache import cache_directory, write_cached

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

PATTERN_FORMAT = 1
# (text of each token, its lower-case form) of one phrase
PhraseTokens = tuple[tuple[str, ...], tuple[str, ...]]


def pattern_key(nlp: Language, phrases: Sequence[str]) -> str:
    """Return the cache key of ``phrases`` tokenized by ``nlp``: a hash of the phrases, the
    spaCy version, the model's language, name and version, and the pattern format."""
    from spacy import about

    digest = hashlib.sha256()
    meta = nlp.meta
    digest.update(f"{about.__version__}:{nlp.lang}:{meta.get('name')}:{meta.get('version')}:"
                  f"{PATTERN_FORMAT}".encode())
    for phrase in phrases:
        digest.update(phrase.encode("utf-8") + b"\0")
    return digest.hexdigest()[:24]


def tokenize_phrases(nlp: Language, phrases: Sequence[str]) -> list[PhraseTokens]:
    """Return the tokens of each phrase as ``nlp``'s tokenizer splits them, as written and in
    lower case (the LOWER attribute a PhraseMatcher compares)."""
    tokenizer = cast("Tokenizer", nlp.tokenizer)
    return [(tuple(t.text for t in doc), tuple(t.lower_ for t in doc))
            for doc in tokenizer.pipe(phrases)]


def pattern_tokens(nlp: Language, phrases: Sequence[str]) -> list[PhraseTokens]:
    """Return ``tokenize_phrases(nlp, phrases)``: from the cache when these phrases were
    tokenized by this model before, else tokenized and cached."""
    path = cache_directory() / f"actor-patterns-{pattern_key(nlp, phrases)}.pickle"
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, list) and len(cached) == len(phrases):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    tokens = tokenize_phrases(nlp, phrases)
    write_cached(tokens, path)
    return tokens


def phrase_keys(nlp: Language, tokens: Sequence[PhraseTokens], attr: str) -> list[Any]:
    """Return the PhraseMatcher keys of tokenized phrases: the string hashes of their tokens'
    text (``attr`` "ORTH") or lower-case form ("LOWER"). (``PhraseMatcher.add`` takes these
    lists as it takes Docs, which it turns into them; its stub only names Docs.)"""
    strings = nlp.vocab.strings
    column = 0 if attr == "ORTH" else 1
    return [[strings.add(word) for word in phrase[column]] for phrase in tokens]
