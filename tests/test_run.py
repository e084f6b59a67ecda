"""Coding runs: kill-and-resume, worker processes, the runs table."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from whodid import Store, code_inputs, load_options
from whodid.cli import main

from .conftest import SEEDS


def write_corpus(path: Path, count: int) -> Path:
    """Write ``count`` distinct articles (the seeds, numbered) as JSON Lines."""
    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as stream:
        for i in range(count):
            text = f"Report number {i}.\n\n" + seeds[i % len(seeds)]
            stream.write(json.dumps({"id": f"doc-{i:03d}", "text": text}) + "\n")
    return path


def test_a_run_killed_half_way_and_started_again_stores_every_article_once(
        tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 40)
    db = tmp_path / "w.db"
    command = [sys.executable, "-m", "whodid", "code", str(corpus), "--db", str(db), "--out", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    for _ in range(10):  # wait until ten articles are stored (one JSON line each), then kill
        assert process.stdout.readline()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    with Store(db) as store:
        stored_before = store.count_rows()["articles"]
        assert 10 <= stored_before < 40
        (killed,) = store.runs()
        assert killed["status"] == "running" and killed["finished_at"] is None

    result = subprocess.run(command[:-2], capture_output=True, text=True, check=True)
    assert f"{40 - stored_before} articles coded, {stored_before} unchanged" in result.stdout
    with Store(db) as store:
        assert store.article_ids() == [f"doc-{i:03d}" for i in range(40)]
        connection = store.connection
        (sentences, expected) = connection.execute(
            "SELECT (SELECT COUNT(*) FROM sentences), (SELECT SUM(sentence_count) FROM articles)"
        ).fetchone()
        assert sentences == expected
        duplicates = connection.execute(
            "SELECT COUNT(*) FROM (SELECT article_id, start FROM removed_spans "
            "GROUP BY article_id, start HAVING COUNT(*) > 1)").fetchone()[0]
        assert duplicates == 0
        assert [run["status"] for run in store.runs()] == ["finished", "interrupted"]


def test_two_workers_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 20)
    stored = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        result = CliRunner().invoke(main, ["code", str(corpus), "--db", str(db),
                                           "--workers", str(workers)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("20 articles coded")
        with sqlite3.connect(db) as connection:
            stored[workers] = connection.execute(
                "SELECT id, text, sentence_count, json FROM articles ORDER BY id").fetchall()
    assert stored[1] == stored[2]


def test_the_runs_table_records_counts_and_inputs(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    summary = code_inputs([str(SEEDS)], db, load_options())
    assert (summary.articles, summary.unchanged, summary.errors) == (3, 0, 0)
    with Store(db) as store:
        (run,) = store.runs()
    assert run["status"] == "finished"
    assert run["inputs"] == [str(SEEDS)]
    assert (run["articles"], run["sentences"], run["errors"]) == (3, summary.sentences, 0)
    assert run["seconds"] > 0


def test_workers_die_with_their_killed_parent_and_the_next_run_marks_it_interrupted(
        tmp_path: Path) -> None:
    """Reproduced: after kill -9 of `whodid code --workers 2`, both workers (about 375 MB each)
    lived on for minutes, and the run stayed 'running' in the runs table forever."""
    import psutil

    corpus = write_corpus(tmp_path / "corpus.jsonl", 12)
    db = tmp_path / "w.db"
    command = [sys.executable, "-m", "whodid", "code", str(corpus), "--db", str(db),
               "--workers", "2", "--out", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    assert process.stdout.readline()  # the workers are coding: one article is stored
    children = psutil.Process(process.pid).children(recursive=True)
    assert len(children) >= 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    # A bound, not a measure: the workers get SIGKILL from the kernel as their parent dies.
    _, alive = psutil.wait_procs(children, timeout=60)
    assert alive == []
    code_inputs([str(tmp_path / "none.jsonl")], db, load_options())
    with Store(db) as store:
        assert [run["status"] for run in store.runs()] == ["finished", "interrupted"]
