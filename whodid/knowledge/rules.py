"""The one loader of our rule files: YAML and TSV, packaged in ``whodid/data/`` or at a user's path.

Every rule file whodid reads (knowledge base, gazetteer tables, stage rules, options) comes in
here, so that every problem with one is reported the same way, naming the file and the line:

- ``packaged(name)``: the packaged data file or folder ``whodid/data/<name>``;
- ``read_yaml(source)``: the YAML document of a file; a file that cannot be read or is not YAML
  raises ``RuleFileError`` ("FILE:LINE: not valid YAML: ..."); a large file is parsed once and
  then unpickled from the user's cache (``_cached_yaml``);
- ``yaml_mapping(source)``, ``yaml_list(source)``: the same, checked to be a mapping or a list;
- ``yaml_key_lines(source)``, ``key_error(source, key, message)``, ``yaml_item_lines(source)``:
  the line of each top-level key of a YAML mapping or item of a YAML list, for messages about
  one ("FILE:LINE: unknown option 'x'"), computed only when there is something to say;
- ``read_tsv(source)``: the rows of a tab-separated file as ``(line, row)`` pairs, ``row`` a dict
  keyed by the header (the first line that is not a comment) with stripped values; comment lines
  (starting with ``#``) and blank lines are skipped; a row with more or fewer fields than the
  header raises ``RuleFileError`` ("FILE:LINE: 4 tab-separated fields where the header has 3
  (term, sector, kind)").

A source is a ``pathlib.Path`` (a user's file) or a packaged ``Traversable``; both name
themselves by their path in messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: five times faster on the people files.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML files of this many characters or more are parsed once and then read from the cache.
CACHED_YAML_CHARS = 32_768

TsvRow = dict[str, str]


class RuleFileError(ValueError):
    """A rule file that cannot be read or does not hold what it should; ``str()`` is
    "FILE:LINE: message" (or "FILE: message" when no line is to blame)."""

    def __init__(self, source: Traversable | str, line: int | None, message: str) -> None:
        self.source = str(source)
        self.line = line
        self.message = message
        where = self.source if line is None else f"{self.source}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[RuleFileError], tuple[str, int | None, str]]:
        """Pickle with the constructor's arguments (a worker process raises it to the main)."""
        return RuleFileError, (self.source, self.line, self.message)


def packaged(name: str) -> Traversable:
    """Return the packaged data file or folder ``name`` ("places/rules.yaml" ->
    ``whodid/data/places/rules.yaml``)."""
    return resources.files("whodid").joinpath("data").joinpath(name)


def read_text(source: Traversable) -> str:
    """Return the UTF-8 text of ``source``; RuleFileError naming it when it cannot be read."""
    try:
        return source.read_text("utf-8")
    except OSError as e:
        raise RuleFileError(source, None, f"cannot read: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        line = source.read_bytes()[:e.start].count(b"\n") + 1
        raise RuleFileError(source, line, f"not UTF-8 text ({e.reason})") from e


def read_yaml(source: Traversable) -> Any:
    """Return the YAML document of ``source`` (None for an empty file).

    Raises RuleFileError naming the file and the line of the problem when it is not YAML.
    """
    text = read_text(source)
    if len(text) >= CACHED_YAML_CHARS:
        return _cached_yaml(source, text)
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        raise _yaml_error(source, e) from e


def _cached_yaml(source: Traversable, text: str) -> Any:
    """Return the YAML document of a large ``text``: unpickled from the user's cache (keyed by
    the text and PyYAML's version) when it was read before, else parsed and cached. Building
    Python objects is what YAML loading spends its time on; unpickling them is ten times
    faster (the knowledge base's people files: most of its load time)."""
    import hashlib
    import pickle

    from whodid.knowledge.gazetteer.cache import cache_directory, write_cached

    key = hashlib.sha256(f"{yaml.__version__}:{SAFE_LOADER.__name__}:{text}".encode()).hexdigest()
    path = cache_directory() / f"yaml-{key[:24]}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        raise _yaml_error(source, e) from e
    write_cached(data, path)
    return data


def yaml_key_lines(source: Traversable) -> dict[str, int]:
    """Return the line of each top-level key of the YAML mapping in ``source`` (empty when the
    document is not a mapping)."""
    node = _compose(source)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def yaml_item_lines(source: Traversable) -> list[int]:
    """Return the line of each item of the YAML list in ``source`` (empty when the document is
    not a list), for messages about a record ("FILE:LINE: record 'x': ...")."""
    node = _compose(source)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def key_error(source: Traversable, key: str, message: str) -> RuleFileError:
    """Return a RuleFileError about the top-level ``key`` of a YAML file, at the key's line."""
    return RuleFileError(source, yaml_key_lines(source).get(key), f"{key}: {message}")


def _compose(source: Traversable) -> yaml.Node | None:
    """Return the YAML node tree of ``source`` (with the line of every node)."""
    text = read_text(source)
    try:
        return yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        raise _yaml_error(source, e) from e


def _yaml_error(source: Traversable, error: yaml.YAMLError) -> RuleFileError:
    """Return the RuleFileError of a YAML parse error, at the line where the parser stopped."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    return RuleFileError(source, None if mark is None else mark.line + 1, message)


def read_tsv(source: Traversable) -> Iterator[tuple[int, TsvRow]]:
    """Yield ``(line, row)`` for each data row of the tab-separated file ``source``.

    ``row`` maps each header field to the row's stripped value. Comment lines (``#`` first) and
    blank lines are skipped. Raises RuleFileError "FILE:LINE: ..." for a row whose number of
    fields is not the header's, and "FILE: ..." for a file without a header.
    """
    header: list[str] | None = None
    for number, line in enumerate(read_text(source).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [value.strip() for value in line.split("\t")]
        if header is None:
            header = fields
            continue
        if len(fields) != len(header):
            raise RuleFileError(source, number, f"{len(fields)} tab-separated fields where the "
                                f"header has {len(header)} ({', '.join(header)})")
        yield number, dict(zip(header, fields, strict=True))
    if header is None:
        raise RuleFileError(source, None, "no header line (tab-separated column names)")


def tsv_rows(source: Traversable) -> list[TsvRow]:
    """Return the rows of ``read_tsv(source)`` without their line numbers."""
    return [row for _, row in read_tsv(source)]


def yaml_mapping(source: Traversable) -> dict[str, Any]:
    """Return the YAML mapping of ``source``; RuleFileError naming it when it holds another
    kind of document."""
    data = read_yaml(source)
    if not isinstance(data, dict):
        raise RuleFileError(source, 1 if data is not None else None,
                            f"expected a YAML mapping of keys, found {type(data).__name__}")
    return data


def yaml_list(source: Traversable) -> list[Any]:
    """Return the YAML list of ``source`` (an empty file is an empty list); RuleFileError naming
    it when it holds another kind of document."""
    data = read_yaml(source)
    if data is None:
        return []
    if not isinstance(data, list):
        raise RuleFileError(source, 1, f"expected a YAML list, found {type(data).__name__}")
    return data
