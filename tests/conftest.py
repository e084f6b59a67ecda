"""Shared fixtures: the seed articles, default options, one spaCy pipeline per test session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from whodid import Article, Options, Pipeline, load_options, load_pipeline

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SHARED = REPO.parent / "shared"


def require_shared(path: Path) -> Path:
    """Return ``path`` (a file of ../shared); skip the test with its reason when it is missing,
    but fail in CI (``CI`` set), where the accuracy gate must never be skipped."""
    if not path.exists():
        reason = f"{path} is missing: ../shared is not beside this checkout"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run with ../shared beside the clone)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def options() -> Options:
    return load_options()


@pytest.fixture(scope="session")
def pipeline(options: Options) -> Pipeline:
    """The real pipeline with the real spaCy model, loaded once for the whole session."""
    return load_pipeline(options)


def code_text(pipeline: Pipeline, text: str, published: Any = None) -> Article:
    """Code one text as an article (published on ``published``) with the real pipeline."""
    article = Article(id="case", source="case", raw_text=text,
                      published=str(published) if published else None)
    (coded,) = pipeline([article])
    assert isinstance(coded, Article)
    return coded


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))
