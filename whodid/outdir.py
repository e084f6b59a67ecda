"""Coded articles as a Parquet dataset (``whodid code --out-dir DIR``), for corpora a single
SQLite writer would slow down: workers write their own parts, the client keeps the manifest.

Layout of DIR (hive-style partitions, read directly by pyarrow.dataset, DuckDB, Spark, pandas):

    manifest.json                                  the parts that are done (see ``Manifest``)
    articles/year=YYYY/month=MM/part-RRRR-CCCCCC.parquet   one row per coded article
    events/year=YYYY/month=MM/part-RRRR-CCCCCC.parquet     one row per event of an article
    mentions/year=YYYY/month=MM/part-RRRR-CCCCCC.parquet   one row per actor mention

``events`` and ``mentions`` have the columns of the database's tables of the same name
(``EVENT_COLUMNS``, ``MENTION_COLUMNS``); events are partitioned by their own date, articles
and mentions by the article's publication date (``unknown`` when there is none). RRRR is the run,
CCCCCC the chunk: ``part_size`` articles, cut in input order, so the parts of a run hold the
same rows whatever the number of workers; rows are sorted by article id and index.

1. A part is written under a temporary name (``.part-...tmp``, which readers skip) and renamed
   when complete; the chunk's parts then enter the manifest, itself replaced atomically. A run
   (re)started on DIR first removes the parts the manifest does not list, left by a run that was
   interrupted between the two.
2. Articles whose id and content hash are in the ``articles`` parts are skipped: a rerun codes
   only what is not done. An id done with other content is an error (it cannot be replaced in
   place), as is a rerun with other options or another whodid version (``options_digest``).
3. One run at a time writes DIR (an exclusive lock on ``DIR/.lock``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whodid.idset import IdSet
from whodid.model import Article, InputError
from whodid.store.store import EVENT_COLUMNS, _event_row, _mention_row

FORMAT = "whodid-parts/1"
MANIFEST = "manifest.json"
PART_SIZE = 500
TABLES = ("articles", "events", "mentions")
ARTICLE_COLUMNS = ("id", "source", "title", "published", "outlet", "url", "dateline_place",
                   "content_hash", "sentences", "events")
MENTION_COLUMNS = ("article_id", "idx", "start", "end", "text", "label", "name", "code",
                   "country", "sector", "ethnicity", "religion", "kb_id", "resolved_by",
                   "members")
COLUMNS = {"articles": ARTICLE_COLUMNS, "events": EVENT_COLUMNS, "mentions": MENTION_COLUMNS}
INT_COLUMNS = frozenset({"sentences", "events", "idx", "sentence", "span_start", "span_end",
                         "quad_class", "geonameid", "negated", "trigger_start", "trigger_end",
                         "incomplete", "start", "end"})
FLOAT_COLUMNS = frozenset({"goldstein", "lat", "lon", "confidence"})
# Rows are sorted by these columns within a part: the same rows, the same file.
SORT_KEYS = {"articles": ("id",), "events": ("article_id", "idx"),
             "mentions": ("article_id", "idx")}


class OutDirError(ValueError):
    """DIR cannot take this run (other options, another run writing it, not a whodid DIR)."""


@dataclass(frozen=True)
class Part:
    """One Parquet file of a table, its path relative to DIR and its row count."""

    table: str
    path: str
    rows: int


@dataclass(frozen=True)
class ChunkTarget:
    """Where the parts of one chunk go: DIR (absolute), the run and the chunk's number."""

    out_dir: str
    run: int
    chunk: int


@dataclass
class ChunkResult:
    """What coding a chunk gave: its parts, the (id, content hash) of each article coded, the
    errors and the counts of sentences and events."""

    chunk: int
    parts: list[Part] = field(default_factory=list)
    coded: list[tuple[str, str]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    sentences: int = 0
    events: int = 0


def _month(value: str | None) -> tuple[str, str]:
    """Return the (year, month) partition of an ISO date; ``unknown`` for what it lacks."""
    text = str(value or "")
    year = text[:4] if len(text) >= 4 and text[:4].isdigit() else "unknown"
    month = text[5:7] if year != "unknown" and len(text) >= 7 and text[5:7].isdigit() else "unknown"
    return year, month


def article_rows(article: Article) -> Iterator[tuple[str, tuple[str, str], tuple[Any, ...]]]:
    """Yield (table, (year, month), row) for the article, each of its events and mentions."""
    published = _month(article.published)
    yield "articles", published, (
        article.id, article.source, article.title, article.published, article.outlet,
        article.url, article.dateline.place if article.dateline else None,
        article.content_hash, len(article.sentences), len(article.events))
    for i, event in enumerate(article.events):
        yield "events", _month(event.date), _event_row(article.id, i, event)
    for i, mention in enumerate(article.mentions):
        yield "mentions", published, _mention_row(article.id, i, mention)


def _schema(table: str) -> Any:
    import pyarrow as pa

    return pa.schema([pa.field(c, pa.int64() if c in INT_COLUMNS else
                               pa.float64() if c in FLOAT_COLUMNS else pa.string())
                      for c in COLUMNS[table]])


def _write_part(out_dir: Path, table: str, partition: tuple[str, str], name: str,
                rows: list[tuple[Any, ...]]) -> Part:
    """Write ``rows`` (sorted) as one part: under a temporary name, synced, then renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = COLUMNS[table]
    keys = [columns.index(k) for k in SORT_KEYS[table]]
    rows.sort(key=lambda row: tuple(row[k] for k in keys))
    arrays = {c: [row[i] for row in rows] for i, c in enumerate(columns)}
    relative = f"{table}/year={partition[0]}/month={partition[1]}/{name}"
    final = out_dir / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.tmp")
    with temporary.open("wb") as handle:
        pq.write_table(pa.Table.from_pydict(arrays, schema=_schema(table)), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    return Part(table, relative, len(rows))


def write_chunk(results: Iterable[Article | InputError], target: ChunkTarget) -> ChunkResult:
    """Write the parts of one chunk of coded ``results`` (consumed one at a time: only their
    rows are held) and return what it gave."""
    result = ChunkResult(target.chunk)
    rows: dict[tuple[str, tuple[str, str]], list[tuple[Any, ...]]] = {}
    for item in results:
        if isinstance(item, InputError):
            result.errors.append(item)
            continue
        for table, partition, row in article_rows(item):
            rows.setdefault((table, partition), []).append(row)
        result.coded.append((item.id, item.content_hash))
        result.sentences += len(item.sentences)
        result.events += len(item.events)
    name = f"part-{target.run:04d}-{target.chunk:06d}.parquet"
    for (table, partition) in sorted(rows):
        result.parts.append(_write_part(Path(target.out_dir), table, partition, name,
                                        rows[(table, partition)]))
    return result


@dataclass
class Manifest:
    """The content of ``manifest.json``: format, whodid version, the digest of the options
    the parts were coded with, the runs (their inputs, start, end and counts), the row count
    of each table and the parts, in the order they were done."""

    version: str
    options_digest: str
    runs: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    parts: list[Part] = field(default_factory=list)
    format: str = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "version": self.version,
                "options_digest": self.options_digest, "runs": self.runs, "rows": self.rows,
                "parts": [asdict(p) for p in self.parts]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(data["version"], data["options_digest"], list(data["runs"]),
                   dict(data["rows"]), [Part(**p) for p in data["parts"]], data["format"])


def read_manifest(out_dir: Path) -> Manifest | None:
    """Return DIR's manifest, None when it has none. Raises OutDirError when it is not one."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise KeyError("format")
        return Manifest.from_dict(data)
    except (ValueError, KeyError, TypeError) as e:
        raise OutDirError(f"{path}: not a whodid manifest ({type(e).__name__}: {e})") from e


def write_manifest(out_dir: Path, manifest: Manifest) -> None:
    """Replace DIR's manifest atomically (a reader sees the old one or the new one)."""
    temporary = out_dir / f".{MANIFEST}.tmp"
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(manifest.to_dict(), handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, out_dir / MANIFEST)


def options_digest(version: str, options: dict[str, Any], actors: list[dict[str, Any]]) -> str:
    """Return the SHA-256 of what decides the output: whodid's version, the options (but
    workers and batch size) and the actors added to the database."""
    decisive = {k: v for k, v in options.items() if k not in ("workers", "batch_size")}
    text = json.dumps([version, decisive, actors], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remove_unlisted(out_dir: Path, manifest: Manifest) -> list[Path]:
    """Remove the part files (and temporary files) of DIR's tables that the manifest does not
    list: the leftovers of an interrupted run. Return them."""
    listed = {out_dir / p.path for p in manifest.parts}
    removed = []
    for table in TABLES:
        for path in sorted((out_dir / table).glob("year=*/month=*/*")):
            is_ours = path.name.startswith(("part-", ".part-"))
            if is_ours and path not in listed:
                path.unlink()
                removed.append(path)
    return removed


def done_articles(out_dir: Path, manifest: Manifest) -> tuple[IdSet, IdSet]:
    """Return the ids and the (id, content hash) pairs of the articles DIR holds."""
    ids, pairs = IdSet(), IdSet()
    for row in iter_rows(out_dir, manifest, "articles", ("id", "content_hash")):
        ids.add(row["id"])
        pairs.add(row["id"], row["content_hash"])
    return ids, pairs


def iter_rows(out_dir: Path, manifest: Manifest, table: str,
              columns: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the rows of ``table`` from the parts the manifest lists, in its order, streaming
    (a record batch at a time)."""
    import pyarrow.parquet as pq

    wanted = list(columns) if columns is not None else None
    for part in manifest.parts:
        if part.table != table:
            continue
        with pq.ParquetFile(out_dir / part.path) as parquet:
            for batch in parquet.iter_batches(batch_size=10_000, columns=wanted):
                yield from batch.to_pylist()


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold DIR's lock for the block; OutDirError when another run holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise OutDirError(f"{out_dir}: another whodid run is writing it") from e
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_manifest(out_dir: Path, version: str, digest: str) -> Manifest:
    """Return DIR's manifest (a new one for a new DIR), checked against this run's ``digest``."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        if any(not p.name.startswith(".") for p in out_dir.iterdir()):  # our lock, temporaries
            raise OutDirError(f"{out_dir}: not empty and has no {MANIFEST}; choose a new folder")
        return Manifest(version, digest)
    if manifest.options_digest != digest:
        raise OutDirError(f"{out_dir} was coded by whodid {manifest.version} with other options "
                          "or actors; code into a new --out-dir (or use the same options)")
    return manifest


def start_run(manifest: Manifest, inputs: Iterable[str]) -> int:
    """Add a run to ``manifest``; return its number."""
    run = len(manifest.runs) + 1
    manifest.runs.append({"run": run, "inputs": list(inputs), "started": _now(),
                          "finished": None, "articles": 0, "errors": 0})
    return run


def commit(manifest: Manifest, result: ChunkResult, out_dir: Path) -> None:
    """Add a chunk's parts and counts to the manifest and write it."""
    manifest.parts.extend(result.parts)
    for part in result.parts:
        manifest.rows[part.table] += part.rows
    manifest.runs[-1]["articles"] += len(result.coded)
    write_manifest(out_dir, manifest)


def finish_run(manifest: Manifest, out_dir: Path, counts: dict[str, Any]) -> None:
    """Record the end of the manifest's last run with ``counts`` (unchanged, errors...)."""
    manifest.runs[-1].update(counts, finished=_now())
    write_manifest(out_dir, manifest)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
