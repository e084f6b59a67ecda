"""The gazetteer index: build time, load time and memory, and what each city floor buys.

    python benchmarks/gazetteer.py [--populations 5000,1000,500] [--gold PATH]

whodid uses one floor (``MIN_CITY_POPULATION``, 1,000); the others are what-ifs. For each
floor, the index is built and cached once (in the cache directory, under the key ``load_index``
would use), then loaded from the cache in a fresh process that reports its load time and the
resident memory the load adds, then the time and memory of the name sets the actors and events
stages filter from it (``place_names(5000)``, ``place_countries(15000)``): "total" is the
gazetteer's whole cost per process. With the GeoWebNews gold beside the checkout, the gold texts
are coded once and their places resolved again with each index: toponym recall, precision and
Acc@161km show the trade-off.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BUILD = """
from whodid.knowledge.gazetteer.build import build_index
from whodid.knowledge.gazetteer.cache import cache_directory, index_key, read_cached, write_cached
path = cache_directory() / f"gazetteer-{{index_key({population})}}.pickle"
if read_cached(path) is None:
    write_cached(build_index({population}), path)
"""

LOAD = """
import json, os, time
import psutil
from whodid.knowledge.gazetteer.cache import cache_directory, index_key, read_cached
process = psutil.Process(os.getpid())
before = process.memory_info().rss
started = time.perf_counter()  # what load_index does: the key, then the pickle
index = read_cached(cache_directory() / f"gazetteer-{{index_key({population})}}.pickle")
loaded = time.perf_counter()
loaded_rss = process.memory_info().rss
index.place_names(max(5000, {population})), index.place_countries(max(15000, {population}))
done = time.perf_counter()
print(json.dumps({{"load_s": loaded - started, "rows": index.size, "names": len(index.names),
                   "rss_mb": (loaded_rss - before) / 2**20, "views_s": done - loaded,
                   "total_mb": (process.memory_info().rss - before) / 2**20}}))
"""


def measure_load(population: int) -> dict[str, float]:
    """Return build-or-load time, load time, size and memory of the cached index, and the cost
    of its name sets, in fresh processes."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BUILD.format(population=population)], check=True,
                   capture_output=True)
    build_s = time.perf_counter() - started
    output = subprocess.run([sys.executable, "-c", LOAD.format(population=population)],
                            check=True, capture_output=True, text=True).stdout
    return {"first_run_s": build_s, **json.loads(output)}


def place_figures(gold: Path, populations: list[int]) -> dict[int, dict[str, object]]:
    """Return the toponym figures on ``gold`` with the index of each floor."""
    from whodid import Article, load_options, load_pipeline
    from whodid.evaluate.events import GoldDocument, gold_articles
    from whodid.evaluate.places import read_place_gold, score_places
    from whodid.knowledge.gazetteer.cache import cache_directory, index_key, read_cached
    from whodid.stages.places import find_places

    options = load_options()
    documents = read_place_gold(gold)
    records = [GoldDocument(d.id, d.text, d.published, []) for d in documents]
    coded = [a for a in load_pipeline(options)(list(gold_articles(records, None, options)))
             if isinstance(a, Article)]
    figures: dict[int, dict[str, object]] = {}
    for population in populations:
        index = read_cached(cache_directory() / f"gazetteer-{index_key(population)}.pickle")
        assert index is not None
        for article in coded:
            find_places(article, index)
        figures[population] = score_places(documents, {a.id: [p.to_dict() for p in a.places]
                                                       for a in coded}, index).figures()
    return figures


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--populations", default="5000,1000,500")
    parser.add_argument("--gold", default=str(REPO.parent / "shared" / "gold" /
                                              "geowebnews.visible.jsonl"))
    args = parser.parse_args()
    populations = [int(p) for p in args.populations.split(",")]
    loads = {population: measure_load(population) for population in populations}
    gold = Path(args.gold)
    figures = place_figures(gold, populations) if gold.exists() else {}
    print(f"{'min pop':>8} {'first run s':>11} {'load s':>7} {'RSS MB':>7} {'views s':>7} "
          f"{'total MB':>8} {'places':>8} {'names':>8} {'recall':>7} {'precision':>9} "
          f"{'Acc@161':>8}")
    for population, load in loads.items():
        found = figures.get(population, {})
        print(f"{population:>8} {load['first_run_s']:>11.2f} {load['load_s']:>7.2f} "
              f"{load['rss_mb']:>7.0f} {load['views_s']:>7.2f} {load['total_mb']:>8.0f} "
              f"{load['rows']:>8.0f} {load['names']:>8.0f} "
              f"{found.get('toponym_recall', '')!s:>7} "
              f"{found.get('toponym_precision', '')!s:>9} "
              f"{found.get('acc_161km', '')!s:>8}")


if __name__ == "__main__":
    main()
