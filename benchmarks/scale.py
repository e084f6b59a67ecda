"""Scaling: multiprocessing (``--workers N``) against a Dask LocalCluster (``--cluster local:N``).

    python benchmarks/scale.py [--articles 60] [--workers 1,2] [--corpus PATH]

The corpus (default: the Guardian corpus) is repeated until it holds N articles. Each
measurement codes all of it into a new SQLite file in a fresh process and records:
- articles/s over the whole run (start-up included) and in steady state (from the first coded
  article to the last, start-up excluded);
- peak RSS of the largest worker process (MB).
Printed after: the Dask overhead per article (steady-state seconds per article of the
LocalCluster minus multiprocessing, one worker) and the scaling efficiency at each worker count
(steady-state rate / (workers x the 1-worker rate)).
"""

from __future__ import annotations

import argparse
import json
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


def measure_in_fresh_process(corpus: Path, runner: str, workers: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", runner, "--corpus", str(corpus),
               "--workers", str(workers)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--corpus", type=Path, default=GUARDIAN)
    parser.add_argument("--measure", choices=["multiprocessing", "dask"], help=argparse.SUPPRESS)
    args = parser.parse_args()
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
    if ("dask", 1) in runs and ("multiprocessing", 1) in runs:
        dask, processes = runs["dask", 1], runs["multiprocessing", 1]
        overhead = 1 / dask["steady_rate"] - 1 / processes["steady_rate"]
        print(f"Dask overhead per article (1 worker, steady state): {overhead * 1000:.0f} ms")
    for runner in ("multiprocessing", "dask"):
        for workers in counts[1:]:
            if (runner, 1) in runs:
                efficiency = runs[runner, workers]["steady_rate"] / (
                    workers * runs[runner, 1]["steady_rate"])
                print(f"scaling efficiency, {runner}, {workers} workers: {efficiency:.2f}")


if __name__ == "__main__":
    main()
