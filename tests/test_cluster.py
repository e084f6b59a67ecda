"""Coding on a Dask cluster: addresses, a LocalCluster for real, a worker that dies, and the
dask-jobqueue example for Slurm and PBS."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from whodid import Article, load_options
from whodid.cli import main
from whodid.cluster import (
    ClusterAddress,
    PipelinePlugin,
    cluster_client,
    code_batches_on_cluster,
    in_flight_limit,
    parse_cluster,
)
from whodid.pipeline import CLEAN, READ, Stage

from .test_run import write_corpus

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "expected"), [
    ("local", ClusterAddress("local", 2)),
    ("local:1", ClusterAddress("local:1", 1)),
    ("local:8", ClusterAddress("local:8", 8)),
    ("tcp://10.0.0.5:8786", ClusterAddress("tcp://10.0.0.5:8786")),
    ("tcp://scheduler.hpc.example.org:8786", ClusterAddress("tcp://scheduler.hpc.example.org:8786")),
])
def test_cluster_addresses_are_a_scheduler_or_a_local_cluster(
        text: str, expected: ClusterAddress) -> None:
    assert parse_cluster(text) == expected


@pytest.mark.parametrize("text", ["local:0", "local:two", "10.0.0.5:8786", "tcp://host", ""])
def test_a_malformed_cluster_address_is_refused_before_anything_runs(
        tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_cluster(text)
    corpus = write_corpus(tmp_path / "corpus.jsonl", 2)
    result = CliRunner().invoke(main, ["code", str(corpus), "--db", str(tmp_path / "w.db"),
                                       "--cluster", text])
    assert result.exit_code == 2 and "expected" in result.output
    assert not (tmp_path / "w.db").exists()


def _die_the_first_time(articles: list[Article], resources: object) -> list[Article]:
    """Kill this worker process the first time any worker runs it (a marker file says so)."""
    marker = Path(os.environ["WHODID_TEST_DIE_MARKER"])
    if not marker.exists():
        marker.write_text("died once\n", "utf-8")
        os._exit(1)
    return articles


DIE_ONCE = Stage("die once", requires=("text",), assigns=(), run=_die_the_first_time)


def test_the_batch_of_a_worker_that_dies_is_retried_on_a_fresh_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whodid.stages.read import read_inputs

    marker = tmp_path / "died"
    monkeypatch.setenv("WHODID_TEST_DIE_MARKER", str(marker))
    options = load_options().replace(batch_size=2)
    articles = [a for a in read_inputs([str(write_corpus(tmp_path / "c.jsonl", 6))], options)
                if isinstance(a, Article)]
    batches = [articles[i:i + 2] for i in range(0, 6, 2)]
    plugin = PipelinePlugin(options, (), stages=(READ, CLEAN, DIE_ONCE))
    with cluster_client(ClusterAddress("local:1", 1)) as client:  # its nanny starts a new one
        assert in_flight_limit(client) == 2
        results = list(code_batches_on_cluster(batches, client, plugin))
    assert marker.exists()
    assert [r.id for r in results if isinstance(r, Article)] == [a.id for a in articles]
    assert all(r.text for r in results if isinstance(r, Article))


def load_example() -> ModuleType:
    path = REPO / "examples" / "cluster" / "jobqueue.py"
    spec = importlib.util.spec_from_file_location("jobqueue_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("kind", "directives"), [
    ("slurm", ["#SBATCH -J whodid", "#SBATCH -p normal", "#SBATCH -A proj",
               "#SBATCH --cpus-per-task=4", "#SBATCH -t 08:00:00"]),
    ("pbs", ["#PBS -N whodid", "#PBS -q normal", "#PBS -A proj", "ncpus=4",
             "#PBS -l walltime=08:00:00"]),
])
def test_the_jobqueue_example_writes_job_scripts_of_single_threaded_workers(
        kind: str, directives: list[str]) -> None:
    example = load_example()
    with example.job_cluster(kind, queue="normal", account="proj", venv="/opt/whodid-venv",
                             host="127.0.0.1", dashboard_port=0) as cluster:
        script = cluster.job_script()
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    for directive in directives:
        assert directive in script
    assert "source /opt/whodid-venv/bin/activate" in script
    assert "distributed.cli.dask_worker tcp://127.0.0.1:" in script
    assert "--nthreads 1" in script and "--nworkers 4" in script


def test_a_rerun_with_nothing_left_to_code_does_not_reach_the_cluster(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3)
    db = tmp_path / "w.db"
    runner = CliRunner()
    assert runner.invoke(main, ["code", str(corpus), "--db", str(db)]).exit_code == 0
    nobody = "tcp://127.0.0.1:9"  # the discard port: no scheduler listens there
    result = runner.invoke(main, ["code", str(corpus), "--db", str(db), "--cluster", nobody])
    assert result.exit_code == 0, result.output
    assert "0 articles coded, 3 unchanged" in result.output


def test_a_scheduler_that_does_not_answer_is_one_error_line(tmp_path: Path) -> None:
    import dask

    corpus = write_corpus(tmp_path / "corpus.jsonl", 2)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(main, ["code", str(corpus), "--db", str(tmp_path / "w.db"),
                                           "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in result.output
