"""``whodid code --out-dir``: coded articles as Parquet parts and a manifest that pyarrow, DuckDB
and ``whodid export --from-dir`` read; the same parts whatever the workers; reruns skip what is
done; an interrupted run leaves no part the manifest does not list."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from whodid import code_inputs, load_options
from whodid.cli import main
from whodid.model import InputError
from whodid.outdir import MANIFEST, TABLES, OutDirError
from whodid.store import EVENT_COLUMNS

from .conftest import SEEDS

MONTHS = ("2019-11-03", "2020-01-20", "2020-02-11", None)


def dated_corpus(path: Path, count: int, start: int = 0) -> Path:
    """Write ``count`` distinct seed articles as JSON Lines, published in MONTHS in turn."""
    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as stream:
        for i in range(start, start + count):
            record = {"id": f"doc-{i:03d}", "text": f"Report number {i}.\n\n" +
                      seeds[i % len(seeds)], "published": MONTHS[i % len(MONTHS)]}
            stream.write(json.dumps(record) + "\n")
    return path


def code_dir(corpus: Path, out_dir: Path, workers: int = 1, cluster: str | None = None,
             part_size: int = 4) -> Any:
    options = load_options().replace(workers=workers, batch_size=2)
    return code_inputs([str(corpus)], out_dir / "none.db", options, cluster=cluster,
                       out_dir=out_dir, part_size=part_size)


def manifest(out_dir: Path) -> dict[str, Any]:
    return dict(json.loads((out_dir / MANIFEST).read_text("utf-8")))


def parts_on_disk(out_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Return each part file's rows, by path relative to ``out_dir``."""
    return {str(path.relative_to(out_dir)): pq.read_table(path).to_pylist()
            for table in TABLES for path in sorted((out_dir / table).rglob("*.parquet"))}


def test_one_or_two_workers_and_a_local_cluster_write_the_same_parts(tmp_path: Path) -> None:
    corpus = dated_corpus(tmp_path / "corpus.jsonl", 10)
    one = code_dir(corpus, tmp_path / "one", workers=1)
    two = code_dir(corpus, tmp_path / "two", workers=2)
    cluster = code_dir(corpus, tmp_path / "cluster", cluster="local:2")
    assert one.articles == two.articles == cluster.articles == 10
    assert one.events == two.events == cluster.events > 10
    parts = parts_on_disk(tmp_path / "one")
    assert parts == parts_on_disk(tmp_path / "two") == parts_on_disk(tmp_path / "cluster")
    # 10 articles in parts of 4: chunks 0, 1 and 2, partitioned by month
    assert {Path(p).name for p in parts} == {f"part-0001-00000{c}.parquet" for c in range(3)}
    assert "articles/year=2020/month=01/part-0001-000000.parquet" in parts
    assert "articles/year=unknown/month=unknown/part-0001-000000.parquet" in parts
    for rows in parts.values():  # sorted within each part
        keys = [(r.get("article_id", r.get("id")), r.get("idx", 0)) for r in rows]
        assert keys == sorted(keys)
    listed = [p["path"] for p in manifest(tmp_path / "one")["parts"]]
    assert sorted(listed) == sorted(parts)


def test_the_folder_is_a_dataset_pyarrow_and_duckdb_read(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    summary = code_dir(dated_corpus(tmp_path / "corpus.jsonl", 6), out_dir)
    rows = manifest(out_dir)["rows"]
    assert rows["articles"] == 6 and rows["events"] == summary.events
    events = ds.dataset(out_dir / "events", format="parquet", partitioning="hive").to_table()
    assert events.num_rows == summary.events
    assert set(EVENT_COLUMNS) | {"year", "month"} == set(events.schema.names)
    for event in events.to_pylist():
        date = event["date"] or ""
        assert str(event["year"]) == (date[:4] if len(date) >= 4 else "unknown")
    articles = ds.dataset(out_dir / "articles", format="parquet", partitioning="hive")
    assert sorted(articles.to_table().column("id").to_pylist()) == [
        f"doc-{i:03d}" for i in range(6)]
    duckdb = pytest.importorskip("duckdb")
    counted = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out_dir}/mentions/**/*.parquet', "
                         "hive_partitioning = true)").fetchone()
    assert counted == (rows["mentions"],)


def test_export_from_dir_writes_every_event_as_csv(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    summary = code_dir(dated_corpus(tmp_path / "corpus.jsonl", 5), out_dir)
    result = CliRunner().invoke(main, ["export", "--from-dir", str(out_dir), "--format", "csv",
                                       str(tmp_path / "events.csv")])
    assert result.exit_code == 0, result.output
    assert f"{summary.events} events written" in result.output
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == summary.events and list(rows[0]) == list(EVENT_COLUMNS)
    assert {r["article_id"] for r in rows} <= {f"doc-{i:03d}" for i in range(5)}
    refused = CliRunner().invoke(main, ["export", "--from-dir", str(out_dir), "--format",
                                        "gdelt", str(tmp_path / "g.tsv")])
    assert refused.exit_code == 1 and "csv or jsonl" in refused.output


def test_a_rerun_codes_only_what_the_folder_does_not_hold(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    first = dated_corpus(tmp_path / "first.jsonl", 5)
    code_dir(first, out_dir)
    nobody = "tcp://127.0.0.1:9"  # the discard port: no scheduler listens there
    again = code_dir(first, out_dir, cluster=nobody)  # nothing to code: no cluster is reached
    assert (again.articles, again.unchanged, again.run_id) == (0, 5, 2)
    more = dated_corpus(tmp_path / "more.jsonl", 3, start=5)
    added = code_inputs([str(first), str(more)], out_dir / "none.db",
                        load_options().replace(batch_size=2), out_dir=out_dir, part_size=4)
    assert (added.articles, added.unchanged) == (3, 5)
    ids = ds.dataset(out_dir / "articles", partitioning="hive").to_table().column("id")
    assert sorted(ids.to_pylist()) == [f"doc-{i:03d}" for i in range(8)]
    runs = manifest(out_dir)["runs"]
    assert [(r["run"], r["articles"], r["unchanged"]) for r in runs] == [
        (1, 5, 0), (2, 0, 5), (3, 3, 5)]


def test_an_article_changed_since_it_was_coded_is_an_error_not_a_second_row(
        tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    corpus = dated_corpus(tmp_path / "corpus.jsonl", 2)
    code_dir(corpus, out_dir)
    lines = corpus.read_text("utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["text"] += "\n\nA correction was added."
    corpus.write_text(json.dumps(changed) + "\n" + lines[1] + "\n", "utf-8")
    results: list[Any] = []
    summary = code_inputs([str(corpus)], out_dir / "none.db", load_options(), out_dir=out_dir,
                          on_result=results.append)
    errors = [str(r) for r in results if isinstance(r, InputError)]
    assert (summary.articles, summary.unchanged, summary.errors) == (0, 1, 1)
    assert "'doc-000' is already in the folder with other content" in errors[0]


def test_a_folder_coded_with_other_options_or_not_whodids_is_refused(tmp_path: Path) -> None:
    corpus = dated_corpus(tmp_path / "corpus.jsonl", 1)
    out_dir = tmp_path / "out"
    code_dir(corpus, out_dir)
    other = load_options().replace(petrarch_verbs=True)
    with pytest.raises(OutDirError, match="other options"):
        code_inputs([str(corpus)], out_dir / "none.db", other, out_dir=out_dir)
    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = CliRunner().invoke(main, ["code", str(corpus), "--out-dir", str(stranger)])
    assert result.exit_code == 1 and "not empty and has no manifest.json" in result.output
    both = CliRunner().invoke(main, ["code", str(corpus), "--out-dir", str(out_dir), "--out",
                                     str(tmp_path / "o.jsonl")])
    assert both.exit_code == 2 and "choose one" in both.output


def test_a_run_killed_half_way_leaves_only_listed_parts_and_a_rerun_completes_it(
        tmp_path: Path) -> None:
    corpus = dated_corpus(tmp_path / "corpus.jsonl", 16)
    out_dir = tmp_path / "out"
    command = [sys.executable, "-m", "whodid", "code", str(corpus), "--out-dir", str(out_dir),
               "--part-size", "2"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it once two chunks are listed
        if (out_dir / MANIFEST).exists() and len(
                {Path(p["path"]).name for p in manifest(out_dir)["parts"]}) >= 2:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    listed = {p["path"] for p in manifest(out_dir)["parts"]}
    unlisted = set(parts_on_disk(out_dir)) - listed
    assert len(manifest(out_dir)["runs"]) == 1 and len(listed) > 0
    # A part renamed just before the kill may not be listed yet: the rerun removes it.
    assert len({Path(p).name for p in unlisted}) <= 1
    rerun = code_dir(corpus, out_dir, part_size=2)
    assert rerun.articles + rerun.unchanged == 16 and rerun.articles < 16
    assert set(parts_on_disk(out_dir)) == {p["path"] for p in manifest(out_dir)["parts"]}
    assert not list(out_dir.rglob(".*.tmp"))
    fresh = code_dir(corpus, tmp_path / "fresh", part_size=2)
    events = ds.dataset(out_dir / "events", partitioning="hive").to_table().to_pylist()
    expected = ds.dataset(tmp_path / "fresh" / "events", partitioning="hive").to_table()
    assert sorted(e["id"] for e in events) == sorted(expected.column("id").to_pylist())
    assert len(events) == fresh.events
