"""Options: one dataclass, read from the commented default config ``data/config.yaml``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whodid.knowledge.rules import (
    RuleFileError,
    key_error,
    packaged,
    read_yaml,
    yaml_key_lines,
    yaml_mapping,
)

# Options that name a rule file or folder (None: the packaged one) and lists of them.
PATH_OPTIONS = ("event_patterns", "event_rules")
PATH_LIST_OPTIONS = ("kb_folders", "kb_files")


@dataclass(frozen=True)
class Options:
    """Everything a run can be told; see ``data/config.yaml`` for what each field means."""

    spacy_model: str
    batch_size: int
    max_article_bytes: int
    workers: int
    event_patterns: Path | None = None
    event_rules: Path | None = None
    kb_folders: tuple[Path, ...] | None = None
    kb_files: tuple[Path, ...] = ()
    petrarch_verbs: bool = False
    phoenix_actors: bool = False
    second_opinion: bool = True

    def replace(self, **changes: Any) -> Options:
        """Return a copy with ``changes`` applied (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_options(path: Path | None = None) -> Options:
    """Return the default options, overridden by the YAML mapping in ``path`` when given.

    Paths in ``path`` are relative to its folder. Raises RuleFileError (a ValueError) naming the
    file and line when it is not YAML, holds a key that is not an option or a path option that
    is not a path.
    """
    values = yaml_mapping(packaged("config.yaml"))
    if path is not None:
        overrides = read_yaml(path) or {}
        if not isinstance(overrides, dict):
            raise RuleFileError(path, 1, "expected a YAML mapping of options")
        known = {f.name for f in dataclasses.fields(Options)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise RuleFileError(path, yaml_key_lines(path).get(unknown[0]),
                                f"unknown option(s) {', '.join(unknown)}")
        values.update(overrides)
    return Options(**{key: _option_value(key, value, path) for key, value in values.items()})


def _option_value(key: str, value: Any, config: Path | None) -> Any:
    """Return an option's value as Options holds it: paths as ``Path`` (relative to the config
    file's folder), lists of paths as tuples; RuleFileError at the key when one is not a path."""
    if key not in PATH_OPTIONS and key not in PATH_LIST_OPTIONS:
        return value
    source = config or packaged("config.yaml")
    if key in PATH_LIST_OPTIONS:
        if value is None:
            return None if key == "kb_folders" else ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise key_error(source, key, "expected a list of paths (or null)")
        return tuple(_path(v, config) for v in value)
    if value is not None and not isinstance(value, str):
        raise key_error(source, key, "expected a path (or null)")
    return None if value is None else _path(value, config)


def _path(value: str, config: Path | None) -> Path:
    """Return ``value`` as a path, relative paths taken from the config file's folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() or config is None else config.parent / path
