"""The gazetteer index: build time, load time and memory, and what each city threshold buys.

    python benchmarks/gazetteer.py [--populations 5000,1000,500] [--gold PATH]

For each minimum city population: the index is built (and cached) once, then loaded from the
cache in a fresh process that reports its load time and the resident memory the load adds.
With the GeoWebNews gold beside the checkout, the gold texts are coded once and their places
resolved again with each index: toponym recall, precision and Acc@161km show the trade-off.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LOAD = """
import json, os, time
import psutil
import whodid.knowledge.gazetteer_index as gazetteer_index
process = psutil.Process(os.getpid())
before = process.memory_info().rss
started = time.perf_counter()
index = gazetteer_index.load_index({population})
elapsed = time.perf_counter() - started
print(json.dumps({{"load_s": elapsed, "rows": index.size, "names": len(index.names),
                   "rss_mb": (process.memory_info().rss - before) / 2**20}}))
"""


def measure_load(population: int) -> dict[str, float]:
    """Return load time, size and memory of the cached index, in a fresh process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", LOAD.format(population=population)], check=True,
                   capture_output=True)  # builds and caches it if needed
    build_s = time.perf_counter() - started
    output = subprocess.run([sys.executable, "-c", LOAD.format(population=population)],
                            check=True, capture_output=True, text=True).stdout
    return {"first_run_s": build_s, **json.loads(output)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--populations", default="5000,1000,500")
    parser.add_argument("--gold", default=str(REPO.parent / "shared" / "gold" /
                                              "geowebnews.visible.jsonl"))
    args = parser.parse_args()
    populations = [int(p) for p in args.populations.split(",")]
    gold = Path(args.gold)
    coded = None
    if gold.exists():
        from whodid import Article, load_options, load_pipeline
        from whodid.evaluate.events import GoldDocument, gold_articles
        from whodid.evaluate.places import read_place_gold

        options = load_options()
        documents = read_place_gold(gold)
        records = [GoldDocument(d.id, d.text, d.published, []) for d in documents]
        coded = [a for a in load_pipeline(options)(list(gold_articles(records, None, options)))
                 if isinstance(a, Article)]
    print(f"{'min pop':>8} {'first run s':>11} {'load s':>7} {'RSS MB':>7} {'places':>8} "
          f"{'names':>8} {'recall':>7} {'precision':>9} {'Acc@161':>8}")
    for population in populations:
        load = measure_load(population)
        figures: dict[str, object] = {}
        if coded is not None:
            from whodid.evaluate.places import score_places
            from whodid.knowledge.gazetteer_index import load_index
            from whodid.stages.places import find_places

            index = load_index(population)
            for article in coded:
                find_places(article, index)
            figures = score_places(documents, {a.id: [p.to_dict() for p in a.places]
                                               for a in coded}, index).figures()
        print(f"{population:>8} {load['first_run_s']:>11.2f} {load['load_s']:>7.2f} "
              f"{load['rss_mb']:>7.0f} {load['rows']:>8.0f} {load['names']:>8.0f} "
              f"{figures.get('toponym_recall', '')!s:>7} "
              f"{figures.get('toponym_precision', '')!s:>9} "
              f"{figures.get('acc_161km', '')!s:>8}")


if __name__ == "__main__":
    main()
