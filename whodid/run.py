"""Coding runs: read inputs, skip what is already stored, code the rest, and store it.

1. Inputs are read lazily (``whodid.stages.read``); bad input becomes an InputError and the
   run goes on.
2. An article whose id, content hash and pipeline version are already stored is skipped, so a run
   started again after a crash resumes where it stopped and re-coding a corpus is a no-op.
3. The rest go in batches through the Pipeline: in this process, or in ``workers`` processes that
   each load spaCy once. At most two batches per worker are in flight, so memory stays bounded.
4. This process is the one writer: each coded article is stored in its own transaction with the
   people it taught (learned actors), then written to ``out`` (JSON Lines of
   ``Article.to_dict()``) and reported to ``on_result``.
5. The run and its errors are recorded in the ``runs`` table.

Steps 4 and 5 are ``store_coded`` and ``recorded_run``. ``store_batch`` joins the two for
articles coded elsewhere (``POST /api/code?store=true``): they are stored as ``whodid code``
stores, in a run of their own.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

from whodid.config import Options
from whodid.idset import SeenIds
from whodid.knowledge.kb import Entity, entities_from_records
from whodid.model import Article, InputError
from whodid.pipeline import Pipeline, load_pipeline
from whodid.stages.actors.resolve import learned_people
from whodid.stages.dates import reference_day
from whodid.stages.read import alternative_id, content_hash, read_inputs, source_file
from whodid.store import ArticleNotStored, Store, article_line

ResultHandler = Callable[[Article | InputError], None]


@dataclass
class RunSummary:
    """What a run did: articles coded and skipped as unchanged, sentences, events, errors, time."""

    run_id: int
    articles: int = 0
    unchanged: int = 0
    sentences: int = 0
    events: int = 0
    errors: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """Return the one-line summary ``whodid code`` prints at the end."""
        return (f"{self.articles} articles coded, {self.unchanged} unchanged, "
                f"{self.sentences} sentences, {self.events} events, {self.errors} errors "
                f"in {self.seconds:.1f} s (run {self.run_id})")


def pipeline_version() -> str:
    """Return the version that stored articles are coded with (whodid's own version)."""
    return version("whodid")


@contextmanager
def recorded_run(store: Store, inputs: Sequence[str], options: Options,
                 current_version: str) -> Iterator[RunSummary]:
    """Record a run of ``inputs`` coded with ``options`` by ``current_version`` in the runs
    table around the ``with`` block, which counts into the yielded RunSummary: started on
    entry, finished with the summary's counts and time when the block ends normally. A block
    that raises leaves the run 'running', as a killed process does; the next run on this host
    marks such runs, whose process is gone, 'interrupted'."""
    started = time.perf_counter()
    store.mark_interrupted(run_id for run_id, pid, host in store.running_runs()
                           if host in (None, socket.gethostname()) and not _alive(pid))
    run_id = store.start_run(inputs, dataclasses.asdict(options), current_version,
                             (os.getpid(), socket.gethostname()))
    summary = RunSummary(run_id)
    yield summary
    summary.seconds = time.perf_counter() - started
    store.finish_run(run_id, dataclasses.asdict(summary), summary.seconds)


def _alive(pid: int | None) -> bool:
    """Return True when a process ``pid`` exists on this host (None: unknown, an older run)."""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def store_coded(store: Store, article: Article, summary: RunSummary, current_version: str,
                line: str | None = None) -> InputError | None:
    """Store one coded ``article`` in the run of ``summary``: its rows (replacing earlier ones
    of its id) and the people it introduced (learned actors, dated by the article); add its
    sentences and events to ``summary``. ``line`` is the article's JSON line (``article_line``)
    when the caller has made it. Drops ``article.doc``. Return the article's error when a value
    of it cannot be stored (nothing of it is), else None."""
    article.doc = None
    try:
        store.save_article(article, summary.run_id, current_version, line)
    except ArticleNotStored as e:
        return InputError(article.source, str(e))
    day = reference_day(article)
    store.remember_actors([person_record(e) for e in learned_people(article)], article.id,
                          day.isoformat() if day else None)
    summary.articles += 1
    summary.sentences += len(article.sentences)
    summary.events += len(article.events)
    return None


def store_batch(db_path: str | Path, articles: Iterable[Article], inputs: Sequence[str],
                options: Options, on_error: Callable[[InputError], None] | None = None
                ) -> RunSummary:
    """Store ``articles``, coded elsewhere from ``inputs`` with ``options``, into the database
    at ``db_path`` as one run, the way ``code_inputs`` stores what it codes: each under an id
    of its own source (``_own_id``), an id another source holds being a collision, reported
    and not stored. Hand each error to ``on_error``; return the run's summary."""
    current_version = pipeline_version()
    seen = SeenIds()
    with Store(db_path) as store, recorded_run(store, inputs, options,
                                               current_version) as summary:
        for article in articles:
            article_id = _own_id(article, seen, store, current_version)
            if article_id is None:
                error: InputError | None = collision_error(article, seen, store)
            else:
                _give_id(article, article_id)
                seen.add(article.id, article.source)
                error = store_coded(store, article, summary, current_version)
            if error is not None:
                summary.errors += 1
                store.record_run_error(summary.run_id, error)
                if on_error is not None:
                    on_error(error)
    return summary


def code_inputs(inputs: Sequence[str], db_path: str | Path, options: Options,
                out: TextIO | None = None, on_result: ResultHandler | None = None,
                cluster: str | None = None, out_dir: str | Path | None = None,
                part_size: int | None = None) -> RunSummary:
    """Code every article of ``inputs`` into the database at ``db_path`` with ``options``,
    writing each to ``out`` and handing each result to ``on_result`` when given; return the
    run's summary. With ``cluster`` (``tcp://HOST:PORT`` or ``local:N``), the articles are
    coded by the workers of that Dask cluster instead (``whodid.cluster``). With ``out_dir``,
    they go into Parquet parts of ``part_size`` articles there instead of the database, which
    is only read for the actors added to it, when it exists (``whodid.dirrun``)."""
    if out_dir is not None:
        from whodid.dirrun import code_into_dir
        from whodid.outdir import PART_SIZE

        return code_into_dir(inputs, Path(out_dir), options, database_actors(db_path),
                             on_result, cluster, part_size or PART_SIZE)
    current_version = pipeline_version()
    with Store(db_path) as store, recorded_run(store, inputs, options,
                                               current_version) as summary:

        def report(result: Article | InputError) -> None:
            """Count and log ``result`` when it is an error; hand it to ``on_result``."""
            if isinstance(result, InputError):
                summary.errors += 1
                store.record_run_error(summary.run_id, result)
            if on_result is not None:
                on_result(result)

        def unchanged(article: Article) -> None:
            """Count an article stored unchanged; write its stored JSON to ``out``."""
            summary.unchanged += 1
            if out is not None:
                out.write(json.dumps(store.article_json(article.id), ensure_ascii=False) + "\n")
            report(article)

        to_code = _articles_to_code(read_inputs(inputs, options), store, current_version,
                                    unchanged, report)
        extra = stored_actors(store)
        batches = _batches(to_code, options.batch_size)
        for result in _code_batches(batches, options, extra, cluster):
            if isinstance(result, Article):
                line = article_line(result)  # stored and written: made once
                error = store_coded(store, result, summary, current_version, line)
                if error is not None:
                    report(error)
                    continue
                if out is not None:
                    out.write(line + "\n")
                    out.flush()
            report(result)
    return summary


def _articles_to_code(items: Iterable[Article | InputError], store: Store, current_version: str,
                      unchanged: Callable[[Article], None],
                      report: ResultHandler) -> Iterator[Article]:
    """Yield the articles that need coding, each under an id of its own source
    (``_own_id``); hand errors, id collisions and unchanged articles on. The ids read are kept
    compact (``SeenIds``, about 8 bytes each), the rest is asked of the store article by
    article: memory stays flat over millions of articles."""
    seen = SeenIds()
    for item in items:
        if isinstance(item, InputError):
            report(item)
            continue
        article_id = _own_id(item, seen, store, current_version)
        if article_id is None:
            report(collision_error(item, seen, store))
            continue
        _give_id(item, article_id)
        seen.add(item.id, item.source)
        if store.is_current(item.id, item.content_hash, current_version):
            unchanged(item)
        else:
            yield item


def collision_error(article: Article, seen: SeenIds, store: Store) -> InputError:
    """Return the error of an article whose id another source holds (read earlier in this
    run, in ``seen``, or stored)."""
    holder = (f"first read from {_first_source(seen, store, article.id)}"
              if article.id in seen else f"stored from {store.article_source(article.id)}")
    return InputError(article.source, f"duplicate article id {article.id!r} ({holder}); "
                      "skipped (give one of them another id)")


def _give_id(article: Article, article_id: str) -> None:
    """Give ``article`` the id it is stored under (its content hash covers the id)."""
    if article_id != article.id:
        article.id = article_id
        article.content_hash = content_hash(article)


def _own_id(article: Article, seen: SeenIds, store: Store,
            current_version: str) -> str | None:
    """Return the id ``article`` is stored under: its own id, unless another source holds it
    (read earlier in this run, or stored from another file with other content); then the
    alternative id of a file-named article (``alternative_id``), unless that is held too.
    None: a real collision (two inputs giving the same id)."""
    alternative = alternative_id(article)
    for candidate in (article.id, alternative):
        if candidate is None:
            continue
        if candidate in seen:
            if _same_file(_first_source(seen, store, candidate), article.source):
                return None  # a file read twice, or two records of a file with one id
            continue
        stored = store.article_source(candidate)
        if stored is None or _same_file(stored, article.source) or (
                candidate == article.id and
                store.is_current(candidate, article.content_hash, current_version)):
            return candidate
    return None


def _same_file(source: str, other: str) -> bool:
    """Return True when two article sources are the same file (``batch.jsonl:12`` is in
    ``batch.jsonl``), however its path was written."""
    first, second = source_file(source), source_file(other)
    return first == second or Path(first).resolve() == Path(second).resolve()


def _first_source(seen: SeenIds, store: Store, article_id: str) -> str:
    """Return where this run first read ``article_id`` (an id in ``seen``): kept for the latest
    ids read, asked of the store for older ones (they are stored by then)."""
    return seen.source(article_id) or store.article_source(article_id) or "earlier in this run"


def duplicate_error(article: Article, first_source: str | None) -> InputError:
    """Return the error of an article whose id was read before in this run (at
    ``first_source`` when known)."""
    where = f"first read from {first_source}" if first_source else "read before in this run"
    return InputError(article.source, f"duplicate article id {article.id!r} ({where}); skipped")


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Yield ``articles`` in lists of at most ``size``."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


CODING_ORIGINS = ("user", "petrarch")


def database_actors(db_path: str | Path) -> list[Entity]:
    """Return the coding actors stored in the database at ``db_path`` (none when there is no
    such file; it is never created)."""
    if not Path(db_path).exists():
        return []
    with Store(db_path, read_only=True) as store:
        return stored_actors(store)


def stored_actors(store: Store, origins: Sequence[str] = CODING_ORIGINS) -> list[Entity]:
    """Return the stored actors of ``origins`` as entities.

    By default, those users added or imported: the actors that coding uses. Learned people are
    stored for review (``whodid actors --origin learned``; promote one with ``whodid actors
    export --origin learned`` and ``whodid actors add``): coding never depends on what earlier
    articles or runs happened to teach (same input, same output).
    """
    result: list[Entity] = []
    for record in store.actor_records(origins=tuple(origins)):
        result.extend(entities_from_records([record], None, origin=record["origin"]))
    return result


def person_record(entity: Entity) -> dict[str, Any]:
    """Return the actor record (the ``whodid actors add`` YAML shape) of a learned person."""
    return {"id": entity.id, "name": entity.name, "aliases": list(entity.aliases),
            "roles": [{"title": r.title, "code": r.code, "country": r.country,
                       "sector": r.sector, "start": r.start, "end": r.end}
                      for r in entity.roles]}


def _code_batches(batches: Iterable[list[Article]], options: Options,
                  extra_actors: Sequence[Entity],
                  cluster: str | None = None) -> Iterator[Article | InputError]:
    """Yield the coded articles of ``batches`` in input order: in this process, in worker
    processes or on a Dask cluster. With nothing to code (a rerun of a finished corpus), no
    model is loaded, no worker started and no cluster reached."""
    remaining = iter(batches)
    first = next(remaining, None)
    if first is None:
        return
    batches = chain([first], remaining)
    if cluster is not None:
        from whodid.cluster import code_on_cluster  # Dask is imported only when used

        yield from code_on_cluster(batches, options, extra_actors, cluster)
        return
    if options.workers <= 1:
        pipelines: list[Pipeline] = []  # loaded with the first batch: none when all is stored
        for batch in batches:
            if not pipelines:
                pipelines.append(load_pipeline(options, extra_actors))
            yield from pipelines[0](batch)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(options.workers, mp_context=context, initializer=_start_worker,
                             initargs=(options, extra_actors, os.getpid())) as executor:
        in_flight: deque[Future[list[Article | InputError]]] = deque()
        for batch in batches:
            in_flight.append(executor.submit(_code_in_worker, batch))
            if len(in_flight) >= 2 * options.workers:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


# The one pipeline of a worker process, loaded by the pool's initializer (once per process).
_worker_pipeline: list[Pipeline] = []


def _start_worker(options: Options, extra_actors: Sequence[Entity], parent: int) -> None:
    """Make this worker die with its parent (killed or not), then load its pipeline."""
    _die_with_parent(parent)
    _worker_pipeline.append(load_pipeline(options, extra_actors))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (``PR_SET_PDEATHSIG``): a run killed
    with -9 must not leave workers of hundreds of MB holding its terminal; exit at once when
    the parent is already gone. Elsewhere, nothing."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _code_in_worker(batch: list[Article]) -> list[Any]:
    results = _worker_pipeline[0](batch)
    for result in results:
        if isinstance(result, Article):
            result.doc = None  # a spaCy Doc does not cross processes
    return results
