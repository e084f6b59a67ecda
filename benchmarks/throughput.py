"""Throughput of whodid's pipeline against bare spaCy on the same texts, same process count.

    python benchmarks/throughput.py [--articles 300] [--workers 1,2] [--corpus PATH]

The corpus (default: the seed articles of examples/seeds) is repeated until it holds N articles.
For each worker count, two measurements each run in a fresh process:
- whodid: ``whodid.code_inputs`` of the articles into a new SQLite file (read, clean, every
  pipeline stage, store), with ``workers`` processes;
- bare spaCy: ``spacy.load`` then ``nlp.pipe`` over the same raw texts with ``n_process=workers``
  and the same batch size.
Both include loading the model. Printed: articles/s, words/s, peak RSS of the largest process
(MB), whodid/bare ratio of articles/s, and the CPU seconds of each run (the process and its
workers) with their ratio, which a shared machine disturbs less than the wall clock.
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


def measure_in_fresh_process(kind: str, corpus: Path, workers: int) -> dict[str, float]:
    """Run one measurement in a fresh process; add the CPU seconds it and its workers used
    (user + system: on a shared machine, steadier than the wall clock)."""
    command = [sys.executable, __file__, "--measure", kind, "--corpus", str(corpus),
               "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**json.loads(output.strip().splitlines()[-1]), "cpu_seconds": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "seeds")
    parser.add_argument("--measure", choices=["whodid", "spacy"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = measure_whodid if args.measure == "whodid" else measure_spacy
        print(json.dumps(measure(args.corpus, int(args.workers))))
        return
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        articles, words = build_corpus(args.corpus, args.articles, corpus)
        print(f"corpus: {articles} articles, {words} words (from {args.corpus})")
        print(f"{'workers':>7} {'pipeline':>9} {'articles/s':>11} {'words/s':>9} "
              f"{'peak RSS MB':>12} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9}")
        for workers in (int(w) for w in args.workers.split(",")):
            spacy_run = measure_in_fresh_process("spacy", corpus, workers)
            whodid_run = measure_in_fresh_process("whodid", corpus, workers)
            ratio = spacy_run["seconds"] / whodid_run["seconds"]
            cpu_ratio = spacy_run["cpu_seconds"] / whodid_run["cpu_seconds"]
            for name, run in (("spacy", spacy_run), ("whodid", whodid_run)):
                shown = f"{ratio:6.2f}" if name == "whodid" else ""
                cpu_shown = f"{cpu_ratio:9.2f}" if name == "whodid" else ""
                print(f"{workers:>7} {name:>9} {articles / run['seconds']:>11.1f} "
                      f"{words / run['seconds']:>9.0f} {run['peak_rss_mb']:>12.0f} {shown:>6} "
                      f"{run['cpu_seconds']:>7.1f} {cpu_shown:>9}")


if __name__ == "__main__":
    main()
