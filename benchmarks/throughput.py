"""Throughput of whodid's pipeline against bare spaCy on the same texts, same process count.

    python benchmarks/throughput.py [--articles 300] [--workers 1,2] [--corpus PATH]
                                    [--repeat N] [--baseline FOLDER]

The corpus (default: the seed articles of examples/seeds) is repeated until it holds N articles.
For each worker count, measurements each run in a fresh process, interleaved ``--repeat`` times
(spaCy, whodid, the baseline's whodid, spaCy, whodid...):
- whodid: ``whodid.code_inputs`` of the articles into a new SQLite file (read, clean, every
  pipeline stage, store), with ``workers`` processes;
- bare spaCy: ``spacy.load`` then ``nlp.pipe`` over the same raw texts with ``n_process=workers``
  and the same batch size;
- with ``--baseline FOLDER`` (a folder holding another version's ``whodid`` package, e.g. a
  ``git worktree`` of the last release), whodid as that version codes it: before and after.
All include loading the model. Printed, the median of the repeats of each: articles/s, words/s,
peak RSS of the largest process (MB), the whodid/bare ratio of words/s, and the CPU seconds of
each run (the process and its workers, user + system) with their ratio and the CPU
microseconds per word: on a shared machine the CPU time is disturbed far less than the wall
clock, so the CPU ratio is the figure to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build_corpus(source: Path, count: int, out: Path) -> tuple[int, int]:
    """Write ``count`` articles from ``source`` (repeated, with distinct ids) to ``out`` as JSONL.

    Returns (articles, words).
    """
    from whodid import Article, load_options, read_inputs

    articles = [a for a in read_inputs([str(source)], load_options()) if isinstance(a, Article)]
    if not articles:
        raise SystemExit(f"{source}: no articles")
    words = 0
    with out.open("w", encoding="utf-8") as stream:
        for i in range(count):
            article = articles[i % len(articles)]
            words += len(article.raw_text.split())
            stream.write(json.dumps({"id": f"bench-{i}", "text": article.raw_text,
                                     "published": article.published}) + "\n")
    return count, words


def measure_whodid(corpus: Path, workers: int) -> dict[str, float]:
    from whodid import code_inputs, load_options

    options = load_options().replace(workers=workers)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        summary = code_inputs([str(corpus)], Path(folder) / "bench.db", options)
        seconds = time.perf_counter() - started
    assert summary.errors == 0 and summary.articles > 0
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def measure_spacy(corpus: Path, workers: int) -> dict[str, float]:
    import spacy

    from whodid import load_options

    options = load_options()
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    nlp = spacy.load(options.spacy_model)
    for _ in nlp.pipe(texts, batch_size=options.batch_size, n_process=workers):
        pass
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """Peak resident memory of the largest process: this one or any of its children (MB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def measure_in_fresh_process(kind: str, corpus: Path, workers: int,
                             code: Path | None = None) -> dict[str, float]:
    """Run one measurement in a fresh process (importing whodid from ``code`` when given); add
    the CPU seconds it and its workers used (user + system: on a shared machine, steadier than
    the wall clock)."""
    command = [sys.executable, __file__, "--measure", kind, "--corpus", str(corpus),
               "--workers", str(workers)]
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env,
                            cwd=code or REPO).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**json.loads(output.strip().splitlines()[-1]), "cpu_seconds": cpu}


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Return the median of each figure of ``runs``."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure_interleaved(corpus: Path, workers: int, repeat: int,
                        baseline: Path | None) -> dict[str, dict[str, float]]:
    """Return the median run of bare spaCy, whodid and (when given) the baseline's whodid,
    measured in turn ``repeat`` times."""
    kinds = [("spacy", "spacy", None), ("whodid", "whodid", REPO)]
    if baseline is not None:
        kinds.append(("baseline", "whodid", baseline))
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in kinds}
    for _ in range(repeat):
        for name, kind, code in kinds:
            runs[name].append(measure_in_fresh_process(kind, corpus, workers, code))
    return {name: median_run(found) for name, found in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "seeds")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs of each")
    parser.add_argument("--baseline", type=Path, help="a folder with another whodid package")
    parser.add_argument("--measure", choices=["whodid", "spacy"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = measure_whodid if args.measure == "whodid" else measure_spacy
        print(json.dumps(measure(args.corpus, int(args.workers))))
        return
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        articles, words = build_corpus(args.corpus, args.articles, corpus)
        print(f"corpus: {articles} articles, {words} words (from {args.corpus}); "
              f"median of {args.repeat} interleaved run(s)")
        print(f"{'workers':>7} {'pipeline':>9} {'articles/s':>11} {'words/s':>9} "
              f"{'peak RSS MB':>12} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9} {'CPU us/word':>11}")
        for workers in (int(w) for w in args.workers.split(",")):
            medians = measure_interleaved(corpus, workers, args.repeat, args.baseline)
            spacy_run = medians["spacy"]
            for name, run in medians.items():
                ratio = spacy_run["seconds"] / run["seconds"]
                cpu_ratio = spacy_run["cpu_seconds"] / run["cpu_seconds"]
                shown = "" if name == "spacy" else f"{ratio:6.2f}"
                cpu_shown = "" if name == "spacy" else f"{cpu_ratio:9.2f}"
                print(f"{workers:>7} {name:>9} {articles / run['seconds']:>11.1f} "
                      f"{words / run['seconds']:>9.0f} {run['peak_rss_mb']:>12.0f} {shown:>6} "
                      f"{run['cpu_seconds']:>7.1f} {cpu_shown:>9} "
                      f"{run['cpu_seconds'] / words * 1e6:>11.0f}")


if __name__ == "__main__":
    main()
