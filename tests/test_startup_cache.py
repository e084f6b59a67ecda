"""Start-up caches: what takes seconds to build at every start (large YAML files parsed into
Python objects, the gazetteer's place-name sets) is built once, kept in the user's cache under a
key of its content, and read back identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from whodid.knowledge.gazetteer.cache import derived_cached, load_index
from whodid.knowledge.rules import CACHED_YAML_CHARS, RuleFileError, read_yaml


def people_file(path: Path, count: int, title: str = "Minister") -> Path:
    records = "".join(f"- id: person-{i}\n  name: Person Number {i}\n  roles:\n"
                      f"  - {{title: {title}, code: IRQGOV, start: '2019-01-0{i % 9 + 1}'}}\n"
                      for i in range(count))
    path.write_text(records, "utf-8")
    assert len(records) >= CACHED_YAML_CHARS
    return path


def test_a_large_yaml_file_is_parsed_once_and_read_back_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path / "cache"))
    path = people_file(tmp_path / "people.yaml", 600)
    first = read_yaml(path)
    cached = list((tmp_path / "cache").glob("yaml-*.pickle"))
    assert len(cached) == 1
    assert read_yaml(path) == first and first[599]["name"] == "Person Number 599"
    people_file(path, 600, title="President")  # changed text: a new key, parsed again
    assert read_yaml(path)[0]["roles"][0]["title"] == "President"
    assert len(list((tmp_path / "cache").glob("yaml-*.pickle"))) == 2


def test_a_large_file_that_is_not_yaml_is_still_reported_at_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path / "cache"))
    path = people_file(tmp_path / "people.yaml", 600)
    path.write_text(path.read_text("utf-8") + "- id: [unclosed\n", "utf-8")
    with pytest.raises(RuleFileError, match=r"people\.yaml:\d+: "):
        read_yaml(path)
    assert not list((tmp_path / "cache").glob("yaml-*.pickle"))


def test_a_derived_place_set_is_computed_once_then_read_from_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = load_index()
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path / "cache"))
    calls: list[int] = []

    def names() -> frozenset[str]:
        calls.append(1)
        return index.place_names(50_000)

    first = derived_cached("test-place-names-50000", names)
    again = derived_cached("test-place-names-50000", names)
    assert again == first and "baghdad" in first and calls == [1]
    assert len(list((tmp_path / "cache").glob("gazetteer-*-test-place-names-50000.pickle"))) == 1
