"""The actor matchers' patterns: the knowledge base's names and titles are tokenized once, kept in
the user's cache under a key of their content and the model, and matched exactly as when the
patterns were tokenized docs; a cache folder that cannot be written only means tokenizing again."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.matcher import PhraseMatcher

from whodid.pipeline import Pipeline
from whodid.stages.actors.patterns import (
    pattern_key,
    pattern_tokens,
    phrase_keys,
    tokenize_phrases,
)
from whodid.stages.actors.spans import plural_forms

PHRASES = ["U.S. Army", "Hamas", "the pair", "secretary-general of the UN", "al-Shabaab",
           "Prime Minister's Office", "people's liberation army"]
TEXT = ("The U.S. army said Hamas and Al-Shabaab fighters met the Secretary-General of the UN; "
        "the pair spoke to the People's Liberation Army and the prime minister's office.")


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("actor-patterns-*.pickle"))


def test_phrases_are_tokenized_once_then_read_back_the_same(
        pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.resources.nlp
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path))
    first = pattern_tokens(nlp, PHRASES)
    assert first == tokenize_phrases(nlp, PHRASES)
    assert first[0] == (("U.S.", "Army"), ("u.s.", "army"))
    assert len(cache_files(tmp_path)) == 1
    assert pattern_tokens(nlp, PHRASES) == first


def test_a_changed_knowledge_base_gets_a_new_key_and_a_new_tokenization(
        pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.resources.nlp
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path))
    pattern_tokens(nlp, PHRASES)
    changed = [*PHRASES, "Wagner Group"]
    assert pattern_key(nlp, changed) != pattern_key(nlp, PHRASES)
    assert pattern_tokens(nlp, changed)[-1] == (("Wagner", "Group"), ("wagner", "group"))
    assert len(cache_files(tmp_path)) == 2


def test_a_cache_folder_that_cannot_be_made_only_means_tokenizing_again(
        pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.resources.nlp
    (tmp_path / "file").write_text("a file, not a folder", "utf-8")
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path / "file" / "cache"))
    assert pattern_tokens(nlp, PHRASES) == tokenize_phrases(nlp, PHRASES)
    assert pattern_tokens(nlp, PHRASES) == tokenize_phrases(nlp, PHRASES)


def test_a_cache_path_that_is_a_file_only_means_tokenizing_again(
        pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.resources.nlp
    (tmp_path / "cache").write_text("not a folder", "utf-8")
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path / "cache"))
    assert pattern_tokens(nlp, PHRASES) == tokenize_phrases(nlp, PHRASES)


def test_a_corrupt_cache_file_is_tokenized_again(
        pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = pipeline.resources.nlp
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path))
    pattern_tokens(nlp, PHRASES)
    cache_files(tmp_path)[0].write_bytes(b"garbage")
    assert pattern_tokens(nlp, PHRASES) == tokenize_phrases(nlp, PHRASES)


@pytest.mark.parametrize("attr", ["ORTH", "LOWER"])
def test_cached_patterns_match_what_tokenized_docs_match(pipeline: Pipeline, attr: str) -> None:
    nlp = pipeline.resources.nlp
    from_docs = PhraseMatcher(nlp.vocab, attr=attr)
    from_docs.add("NAME", list(nlp.tokenizer.pipe(PHRASES)))
    from_keys = PhraseMatcher(nlp.vocab, attr=attr)
    from_keys.add("NAME", phrase_keys(nlp, tokenize_phrases(nlp, PHRASES), attr))
    doc = nlp(TEXT)
    assert from_keys(doc) == from_docs(doc)
    assert len(from_keys(doc)) == (2 if attr == "ORTH" else 7)


def test_the_actor_finder_matches_as_with_tokenized_docs(pipeline: Pipeline) -> None:
    finder = pipeline.resources.actors
    nlp = pipeline.resources.nlp
    terms = sorted(finder.kb.agents)[:300]
    from_docs = PhraseMatcher(nlp.vocab, attr="LOWER")
    for term in terms:
        from_docs.add(term, list(nlp.tokenizer.pipe(plural_forms(term))))
    doc = nlp("The defence minister met army officers, police and the foreign ministers. " * 3)
    found = [m for m in finder.agents(doc) if nlp.vocab.strings[m[0]] in terms]
    assert found and found == from_docs(doc)
