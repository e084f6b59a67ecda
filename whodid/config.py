"""Options: one dataclass, read from the commented default config ``data/config.yaml``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Options:
    """Everything a run can be told; see ``data/config.yaml`` for what each field means."""

    spacy_model: str
    batch_size: int
    max_article_bytes: int
    workers: int

    def replace(self, **changes: Any) -> Options:
        """Return a copy with ``changes`` applied (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_options(path: Path | None = None) -> Options:
    """Return the default options, overridden by the YAML mapping in ``path`` when given.

    Raises ValueError naming the file when it holds a key that is not an option.
    """
    default_text = resources.files("whodid").joinpath("data/config.yaml").read_text("utf-8")
    values: dict[str, Any] = yaml.safe_load(default_text)
    if path is not None:
        overrides = yaml.safe_load(path.read_text("utf-8")) or {}
        known = {f.name for f in dataclasses.fields(Options)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"{path}: unknown option(s) {', '.join(unknown)}")
        values.update(overrides)
    return Options(**values)
