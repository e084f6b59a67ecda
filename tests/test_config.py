"""Options: the commented defaults, a user's overrides, rule-file paths relative to the config."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from whodid.config import Options, load_options
from whodid.knowledge.rules import RuleFileError, packaged, read_text


def test_the_rule_files_default_to_the_packaged_ones() -> None:
    options = load_options()
    assert options.event_patterns is None and options.event_rules is None
    assert options.kb_folders is None and options.kb_files == ()


def test_every_option_is_documented_in_the_default_config() -> None:
    text = read_text(packaged("config.yaml"))
    for option in dataclasses.fields(Options):
        line = next(i for i, t in enumerate(text.splitlines()) if t.startswith(f"{option.name}:"))
        assert text.splitlines()[line - 1].startswith("#"), f"{option.name} has no comment"


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "mine.yaml"
    config.write_text("event_patterns: rules/patterns.tsv\nevent_rules: /etc/rules.yaml\n"
                      "kb_folders: [kb, /srv/phoenix]\nkb_files: [extra/people.yaml]\n", "utf-8")
    options = load_options(config)
    assert options.event_patterns == tmp_path / "rules" / "patterns.tsv"
    assert options.event_rules == Path("/etc/rules.yaml")
    assert options.kb_folders == (tmp_path / "kb", Path("/srv/phoenix"))
    assert options.kb_files == (tmp_path / "extra" / "people.yaml",)
    assert options.batch_size == load_options().batch_size


@pytest.mark.parametrize(("text", "line", "message"), [
    ("batch_size: 8\nbach_size: 16\n", 2, "unknown option(s) bach_size"),
    ("workers: 2\nkb_files: people.yaml\n", 2, "kb_files: expected a list of paths"),
    ("event_rules: [a, b]\n", 1, "event_rules: expected a path"),
    ("workers: [2\n", 2, "not valid YAML"),
])
def test_a_bad_config_names_the_file_and_line(tmp_path: Path, text: str, line: int,
                                              message: str) -> None:
    config = tmp_path / "mine.yaml"
    config.write_text(text, "utf-8")
    with pytest.raises(RuleFileError, match=f"^{re.escape(f'{config}:{line}: {message}')}"):
        load_options(config)
