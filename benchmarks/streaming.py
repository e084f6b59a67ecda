"""Memory while streaming: RSS after 10k, 100k and 1M articles read, and a coded sample's time.

    python benchmarks/streaming.py [--checkpoints 10000,100000,1000000] [--sample 40]
                                   [--corpus PATH] [--keep FILE]

1. A JSONL corpus is generated from real articles (default: the Guardian corpus) repeated under
   new ids, written to a temporary file (removed at the end unless ``--keep``).
2. The run's front half streams it as ``whodid code`` does: read, skip what the database holds
   (the check is made against a real, empty SQLite store), cut into batches. The resident set
   size of this process is printed at each checkpoint: flat means memory in proportion to a
   batch, not to the corpus.
3. The first ``--sample`` articles are coded and stored for real (``code_inputs``), in a fresh
   process, with its peak RSS and articles/s.
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

import psutil

REPO = Path(__file__).resolve().parent.parent
GUARDIAN = REPO.parent / "shared" / "corpus" / "guardian_sdf.jsonl"


def generate_corpus(source: Path, count: int, out: Path) -> int:
    """Write ``count`` articles of ``source`` (JSONL, repeated under ids ``gen-N``) to ``out``;
    return the bytes written."""
    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    # Each record's JSON once, split around its id: writing a million is then a concatenation.
    slot = "@ID@"
    parts = [json.dumps({**r, "id": slot}, ensure_ascii=False).split(json.dumps(slot), 1)
             for r in records]
    with out.open("w", encoding="utf-8") as stream:
        for i in range(count):
            before, after = parts[i % len(parts)]
            stream.write(f'{before}"gen-{i:07d}"{after}\n')
    return out.stat().st_size


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 1e6


def stream_checkpoints(corpus: Path, checkpoints: list[int]) -> list[tuple[int, float, float]]:
    """Stream ``corpus`` through reading, the unchanged check and batching; return (articles
    read, RSS MB, seconds) at each checkpoint."""
    from whodid import Store, load_options, read_inputs
    from whodid.run import _articles_to_code, _batches, pipeline_version

    options = load_options()
    rows: list[tuple[int, float, float]] = []
    started = time.perf_counter()
    read = 0
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.db") as store:
        version = pipeline_version()
        articles = _articles_to_code(read_inputs([str(corpus)], options), store, version,
                                     lambda article: None, lambda result: None)
        for batch in _batches(articles, options.batch_size):
            for _ in batch:
                read += 1
                if checkpoints and read == checkpoints[0]:
                    rows.append((read, rss_mb(), time.perf_counter() - started))
                    checkpoints = checkpoints[1:]
    return rows


def code_sample(corpus: Path, sample: int) -> dict[str, float]:
    """Code the first ``sample`` articles of ``corpus`` in a fresh process."""
    head = corpus.with_name("sample.jsonl")
    with corpus.open(encoding="utf-8") as source, head.open("w", encoding="utf-8") as out:
        for _, line in zip(range(sample), source, strict=False):
            out.write(line)
    command = [sys.executable, __file__, "--code", str(head)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def measure_coding(corpus: Path) -> dict[str, float]:
    from whodid import code_inputs, load_options

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        summary = code_inputs([str(corpus)], Path(folder) / "c.db", load_options())
        seconds = time.perf_counter() - started
    return {"articles": summary.articles, "seconds": seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoints", default="10000,100000,1000000")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--corpus", type=Path, default=GUARDIAN)
    parser.add_argument("--keep", type=Path, help="keep the generated corpus in FILE")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.code:
        print(json.dumps(measure_coding(args.code)))
        return
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    with tempfile.TemporaryDirectory() as folder:
        corpus = args.keep or Path(folder) / "generated.jsonl"
        size = generate_corpus(args.corpus, checkpoints[-1], corpus)
        print(f"generated {checkpoints[-1]} articles, {size / 1e9:.2f} GB, from {args.corpus}")
        print(f"{'articles read':>13} {'RSS MB':>7} {'seconds':>8}")
        for read, rss, seconds in stream_checkpoints(corpus, checkpoints):
            print(f"{read:>13} {rss:>7.0f} {seconds:>8.1f}")
        coded = code_sample(corpus, args.sample)
        print(f"coded a sample of {coded['articles']:.0f} articles in {coded['seconds']:.1f} s "
              f"({coded['articles'] / coded['seconds']:.2f} articles/s including start-up), "
              f"peak RSS {coded['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
