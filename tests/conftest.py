"""Shared fixtures: the seed articles, default options, one spaCy pipeline per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from whodid import Options, Pipeline, load_options, load_pipeline

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def options() -> Options:
    return load_options()


@pytest.fixture(scope="session")
def pipeline(options: Options) -> Pipeline:
    """The real pipeline with the real spaCy model, loaded once for the whole session."""
    return load_pipeline(options)


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))
