"""Export of a large store: time and peak memory of every format, each in a fresh process.

    python benchmarks/export.py [--events 100000] [--db PATH]

A database of N synthetic events is built once through the store's own write path (articles of
ten events each, dyads, codes, dates and places varied so that events and cross-article
mentions both occur), then each export format runs in a fresh process that reports its time and
peak RSS. Memory should not grow with N: the writers stream.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["IRQ", "SYR", "TUR", "USA", "RUS", "IRN", "ISR", "LBN", "JOR", "SAU", "EGY", "GBR"]
CODES = ["040", "042", "051", "057", "061", "112", "120", "130", "173", "190", "195", "0874"]
PLACES = [("Baghdad", "IRQ", 33.34, 44.40), ("Damascus", "SYR", 33.51, 36.29),
          ("Ankara", "TUR", 39.92, 32.85), ("Erbil", "IRQ", 36.19, 44.01)]

MEASURE = """
import json, resource, sys, time
from pathlib import Path
from whodid.export import export
from whodid.store import Store
started = time.perf_counter()
with Store(sys.argv[1]) as store:
    count = export(store, sys.argv[2], Path(sys.argv[3]))
print(json.dumps({"rows": count, "seconds": time.perf_counter() - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(db: Path, events: int, seed: int = 7) -> float:
    """Fill ``db`` with ``events`` synthetic events; return the seconds it took."""
    from whodid.knowledge.codebook import goldstein, plover_of, quad_class
    from whodid.model import Article, Event, Location, Participant
    from whodid.store import Store

    rng = random.Random(seed)
    started = time.perf_counter()
    with Store(db) as store:
        for number in range(events // 10):
            day = f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            article = Article(id=f"synthetic-{number}", source="synthetic", raw_text="",
                              text="synthetic", published=day, outlet=f"outlet-{number % 25}",
                              content_hash=str(number))
            for index in range(10):
                source, target = rng.sample(COUNTRIES, 2)
                code = rng.choice(CODES)
                name, country, lat, lon = rng.choice(PLACES)
                article.events.append(Event(
                    id=f"{number:08d}{index:02d}", sentence=index, span=(0, 9),
                    evidence=f"{source} and {target} event {code} near {name}", cameo=code,
                    plover=plover_of(code), goldstein=goldstein(code), quad_class=quad_class(code),
                    source=Participant(text=source, code=source + "GOV", country=source,
                                       sector="GOV"),
                    target=Participant(text=target, code=target, country=target),
                    date=day, date_precision="day",
                    location=Location(name=name, country=country, lat=lat, lon=lon),
                    confidence=0.8, trigger="met", trigger_span=(0, 3)))
            store.save_article(article, None, "synthetic")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "synthetic.db"
        if not db.exists():
            seconds = build(db, args.events)
            print(f"built {args.events} events in {seconds:.1f} s")
        print(f"{'format':>8} {'rows':>8} {'seconds':>8} {'peak RSS MB':>12}")
        for fmt in ("csv", "jsonl", "parquet", "gdelt", "plover"):
            out = Path(folder) / f"out.{fmt}"
            result = json.loads(subprocess.run(
                [sys.executable, "-c", MEASURE, str(db), fmt, str(out)], check=True,
                capture_output=True, text=True).stdout)
            print(f"{fmt:>8} {result['rows']:>8} {result['seconds']:>8.1f} "
                  f"{result['peak_rss_mb']:>12.0f}")


if __name__ == "__main__":
    main()
