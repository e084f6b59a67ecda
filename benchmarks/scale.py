"""Scaling: multiprocessing (``--workers N``) against a Dask LocalCluster (``--cluster local:N``).

    python benchmarks/scale.py [--articles 60] [--workers 1,2] [--corpus PATH]

The corpus (default: the Guardian corpus) is repeated until it holds N articles. Each
measurement codes all of it into a new SQLite file in a fresh process and records:
- articles/s over the whole run (start-up included) and in steady state (from the first coded
  article to the last, start-up excluded);
- peak RSS of the largest worker process (MB).
Every process runs with one BLAS thread (``OMP_NUM_THREADS=1``...), as Dask's nanny sets for its
workers, so that both runners do the same work per process.
Printed after: the Dask overhead per article, measured on its own (a LocalCluster of one worker
sends the read articles back and forth in batches through a task that does nothing, per
article) and as the difference of the steady-state seconds per article of the LocalCluster and
multiprocessing at one worker; the scaling efficiency at each worker count (steady-state rate /
(workers x the 1-worker rate)).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUARDIAN = REPO.parent / "shared" / "corpus" / "guardian_sdf.jsonl"


def build_corpus(source: Path, count: int, out: Path) -> None:
    """Write ``count`` articles of ``source`` (JSONL, repeated under new ids) to ``out``."""
    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    with out.open("w", encoding="utf-8") as stream:
        for i in range(count):
            stream.write(json.dumps({**records[i % len(records)], "id": f"scale-{i}"}) + "\n")


def measure(corpus: Path, runner: str, workers: int) -> dict[str, float]:
    """Code ``corpus`` with ``runner`` (multiprocessing or dask) and ``workers`` workers."""
    from whodid import Article, code_inputs, load_options

    coded: list[float] = []

    def on_result(result: object) -> None:
        if isinstance(result, Article):
            coded.append(time.perf_counter())

    options = load_options().replace(workers=workers)
    cluster = f"local:{workers}" if runner == "dask" else None
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        summary = code_inputs([str(corpus)], Path(folder) / "s.db", options,
                              on_result=on_result, cluster=cluster)
        seconds = time.perf_counter() - started
    assert summary.errors == 0 and len(coded) > 1
    largest = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if workers == 1 and
                  runner == "multiprocessing" else 0)
    return {"articles": summary.articles, "seconds": seconds,
            "steady_rate": (len(coded) - 1) / (coded[-1] - coded[0]),
            "peak_rss_mb": largest / 1024}


def round_trip(batch: list[object]) -> list[object]:
    return batch


def dask_overhead(corpus: Path) -> dict[str, float]:
    """Seconds per article of sending batches of read articles to one LocalCluster worker and
    back through a task that does nothing (what the cluster adds to coding an article)."""
    from distributed import Client, LocalCluster

    from whodid import Article, load_options, read_inputs

    options = load_options()
    articles = [a for a in read_inputs([str(corpus)], options) if isinstance(a, Article)]
    batches = [articles[i:i + options.batch_size]
               for i in range(0, len(articles), options.batch_size)]
    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        client.submit(round_trip, [], pure=False).result()  # the worker is up
        started = time.perf_counter()
        for batch in batches:
            client.submit(round_trip, batch, pure=False).result()
        seconds = time.perf_counter() - started
    return {"seconds_per_article": seconds / len(articles)}


ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS")}


def measure_in_fresh_process(corpus: Path, runner: str, workers: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", runner, "--corpus", str(corpus),
               "--workers", str(workers)]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            env={**os.environ, **ONE_THREAD}).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--corpus", type=Path, default=GUARDIAN)
    parser.add_argument("--measure", choices=["multiprocessing", "dask", "overhead"],
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "overhead":
        print(json.dumps(dask_overhead(args.corpus)))
        return
    if args.measure:
        print(json.dumps(measure(args.corpus, args.measure, int(args.workers))))
        return
    counts = [int(w) for w in args.workers.split(",")]
    runs: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        build_corpus(args.corpus, args.articles, corpus)
        print(f"corpus: {args.articles} articles from {args.corpus}")
        print(f"{'runner':>15} {'workers':>7} {'articles/s':>10} {'steady/s':>9} "
              f"{'peak RSS MB':>11}")
        for workers in counts:
            for runner in ("multiprocessing", "dask"):
                run = runs[runner, workers] = measure_in_fresh_process(corpus, runner, workers)
                print(f"{runner:>15} {workers:>7} {run['articles'] / run['seconds']:>10.2f} "
                      f"{run['steady_rate']:>9.2f} {run['peak_rss_mb']:>11.0f}")
        round_trips = measure_in_fresh_process(corpus, "overhead", 1)["seconds_per_article"]
    print(f"Dask overhead per article (round trip of read articles, no coding): "
          f"{round_trips * 1000:.1f} ms")
    if ("dask", 1) in runs and ("multiprocessing", 1) in runs:
        dask, processes = runs["dask", 1], runs["multiprocessing", 1]
        overhead = 1 / dask["steady_rate"] - 1 / processes["steady_rate"]
        print(f"LocalCluster minus multiprocessing per article (1 worker, steady state): "
              f"{overhead * 1000:.0f} ms")
    for runner in ("multiprocessing", "dask"):
        for workers in counts[1:]:
            if (runner, 1) in runs:
                efficiency = runs[runner, workers]["steady_rate"] / (
                    workers * runs[runner, 1]["steady_rate"])
                print(f"scaling efficiency, {runner}, {workers} workers: {efficiency:.2f}")


if __name__ == "__main__":
    main()
