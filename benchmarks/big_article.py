"""Cost of one big article: seconds and peak memory of coding a single text of N bytes.

    python benchmarks/big_article.py [--sizes 50,100,200,400,1000] [--corpus PATH] [--profile]

Each text is built by concatenating real Guardian articles (default corpus:
/work/shared/corpus/guardian_sdf.jsonl, or ``--corpus``) until it holds N kB of UTF-8, cut at a
paragraph. Each size is coded in a fresh process: load the pipeline (not timed), then run every
stage between read and store over the one article, timing each stage. Printed per size: wall
and CPU seconds (CPU time of the process: what a busy machine does not inflate), CPU seconds
per 100 kB (flat when cost is linear), peak RSS (MB) of the process and its growth over the
loaded pipeline, and the stages of most CPU time. ``--profile`` prints the top functions
of a cProfile of the coding for each size instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpus/guardian_sdf.jsonl")


def big_text(corpus: Path, size: int) -> str:
    """Return real articles of ``corpus`` (JSON Lines with ``text``) joined by blank lines and
    repeated in order until the text holds ``size`` bytes of UTF-8, cut before the paragraph
    that would pass it."""
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8") if line.strip()]
    paragraphs: list[str] = []
    used = 0
    index = 0
    while True:
        paragraph = texts[index % len(texts)].strip()
        cost = len(paragraph.encode("utf-8")) + 2
        if used + cost > size:
            return "\n\n".join(paragraphs)
        paragraphs.append(paragraph)
        used += cost
        index += 1


def measure(size: int, corpus: Path, profile: bool) -> dict[str, object]:
    """Code one text of ``size`` bytes in this process; return its figures."""
    import cProfile
    import io
    import pstats
    import resource
    import time

    from whodid import load_options
    from whodid.pipeline import load_pipeline
    from whodid.stages.read import article_from_text

    pipeline = load_pipeline(load_options())
    text = big_text(corpus, size)
    article = article_from_text("big", "<benchmark>", text)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages: dict[str, float] = {}
    profiler = cProfile.Profile() if profile else None
    articles = [article]
    started, cpu_started = time.perf_counter(), time.process_time()
    for stage in pipeline.stages:
        assert stage.run is not None
        begun = time.process_time()
        if profiler is not None:
            profiler.enable()
        articles = stage.run(articles, pipeline.resources)
        if profiler is not None:
            profiler.disable()
        stages[stage.name] = round(time.process_time() - begun, 2)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, object] = {
        "kb": round(len(text.encode("utf-8")) / 1000), "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak), "growth_mb": round(peak - loaded), "stages": stages,
        "events": len(articles[0].events)}
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        result["profile"] = out.getvalue()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,400,1000", help="kB, comma-separated")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.corpus, args.profile)))
        return
    print(f"{'kB':>6} {'wall s':>7} {'CPU s':>7} {'CPU s/100kB':>11} {'peak MB':>8} "
          f"{'growth':>7}  stages of most CPU s")
    for size in (int(s) * 1000 for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--corpus", str(args.corpus)]
        if args.profile:
            command.append("--profile")
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        stages = sorted(result["stages"].items(), key=lambda item: -item[1])[:3]
        per_100 = result["cpu_seconds"] / result["kb"] * 100
        print(f"{result['kb']:>6} {result['seconds']:>7} {result['cpu_seconds']:>7} "
              f"{per_100:>11.1f} "
              f"{result['peak_rss_mb']:>8} {result['growth_mb']:>7}  "
              + ", ".join(f"{name} {s}" for name, s in stages), flush=True)
        if args.profile:
            print(result["profile"], flush=True)


if __name__ == "__main__":
    main()
