"""The loader of rule files: packaged and user files, rows with their lines, errors at FILE:LINE."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from whodid.knowledge.rules import (
    RuleFileError,
    packaged,
    read_tsv,
    read_yaml,
    tsv_rows,
    yaml_item_lines,
    yaml_key_lines,
    yaml_list,
    yaml_mapping,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_tsv_rows_are_keyed_by_the_header_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.tsv", "# a comment\n\nterm\tcode\n"
                                        "kurd\tKUR\n# another\n\nyazidi \t YAZ\n")
    assert list(read_tsv(path)) == [(4, {"term": "kurd", "code": "KUR"}),
                                    (7, {"term": "yazidi", "code": "YAZ"})]


@pytest.mark.parametrize("row", ["kurd\tKUR\textra", "kurd"])
def test_a_misaligned_tsv_row_names_the_file_and_line(tmp_path: Path, row: str) -> None:
    path = write(tmp_path, "terms.tsv", f"term\tcode\nturkmen\tTKM\n\n{row}\n")
    with pytest.raises(RuleFileError) as caught:
        tsv_rows(path)
    assert str(caught.value).startswith(f"{path}:4: ")
    assert caught.value.line == 4 and "header has 2 (term, code)" in str(caught.value)


def test_a_tsv_file_without_a_header_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.tsv", "# only a comment\n")
    with pytest.raises(RuleFileError, match=f"^{re.escape(str(path))}: no header"):
        tsv_rows(path)


@pytest.mark.parametrize(("text", "line"), [
    ("words: [a, b\nother: 1\n", 2),          # an unclosed list
    ("key: value\n  bad indent: x\n", 2),
    ("a: 1\nb: 2\nc: 'unclosed\n", 4),
])
def test_bad_yaml_names_the_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, "rules.yaml", text)
    with pytest.raises(RuleFileError) as caught:
        read_yaml(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: not valid YAML")


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(RuleFileError, match=f"^{re.escape(str(path))}: cannot read"):
        read_yaml(path)


def test_a_file_that_is_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes("term\tcode\nkurd\tKUR\nk\u00fcrt\tKUR\n".encode("latin-1"))
    with pytest.raises(RuleFileError, match=f"^{re.escape(str(path))}:3: not UTF-8"):
        tsv_rows(path)


def test_the_wrong_kind_of_document_names_the_file(tmp_path: Path) -> None:
    listed = write(tmp_path, "list.yaml", "- a\n- b\n")
    mapped = write(tmp_path, "map.yaml", "a: 1\n")
    with pytest.raises(RuleFileError, match=f"^{re.escape(str(listed))}:1: expected a YAML map"):
        yaml_mapping(listed)
    with pytest.raises(RuleFileError, match=f"^{re.escape(str(mapped))}:1: expected a YAML list"):
        yaml_list(mapped)
    assert yaml_list(write(tmp_path, "empty.yaml", "# nothing yet\n")) == []


def test_keys_and_items_have_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "rules.yaml", "# rules\na: 1\n\nb:\n  - x\n")
    assert yaml_key_lines(path) == {"a": 2, "b": 4}
    records = write(tmp_path, "people.yaml", "- id: a\n  name: A\n- id: b\n  name: B\n")
    assert yaml_item_lines(records) == [1, 3]


def test_packaged_files_are_read_by_name() -> None:
    assert "stop_names" in yaml_mapping(packaged("places/rules.yaml"))
    assert tsv_rows(packaged("kb/agents.tsv"))[0].keys() == {"term", "sector", "kind"}


def test_the_error_survives_pickling_from_a_worker(tmp_path: Path) -> None:
    error = RuleFileError(tmp_path / "rules.yaml", 3, "not valid YAML: found a tab")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.line == 3
