"""Coding runs into a Parquet folder (``whodid code --out-dir DIR``; the format is
``whodid.outdir``).

1. DIR is locked, its manifest read (or begun) and checked against this run's options; parts an
   interrupted run left unlisted are removed.
2. Inputs are read lazily; an article whose id and content hash DIR holds is skipped (counted
   unchanged), a duplicate id or an id DIR holds with other content is an error.
3. The rest is cut into chunks of ``part_size`` articles in input order. In this process or in
   ``workers`` processes, the chunks are coded batch by batch and this process (the writer)
   writes each chunk's parts; on a Dask cluster each worker codes a chunk and writes its parts.
4. Chunk by chunk, in input order, the parts enter the manifest, so what the manifest lists is
   always complete.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, count, islice
from pathlib import Path

from whodid.config import Options
from whodid.idset import IdSet, SeenIds
from whodid.knowledge.kb import Entity
from whodid.model import Article, InputError
from whodid.outdir import (
    PART_SIZE,
    TABLES,
    ChunkResult,
    ChunkTarget,
    commit,
    done_articles,
    finish_run,
    locked,
    open_manifest,
    options_digest,
    remove_unlisted,
    start_run,
    write_chunk,
    write_manifest,
)
from whodid.run import (
    ResultHandler,
    RunSummary,
    _batches,
    _code_batches,
    duplicate_error,
    pipeline_version,
)
from whodid.stages.read import read_inputs


def code_into_dir(inputs: Sequence[str], out_dir: Path, options: Options,
                  extra_actors: Sequence[Entity] = (), on_result: ResultHandler | None = None,
                  cluster: str | None = None, part_size: int = PART_SIZE) -> RunSummary:
    """Code every article of ``inputs`` not yet in ``out_dir`` into Parquet parts there, with
    ``options`` and ``extra_actors`` (the actors added to the database); hand each result to
    ``on_result`` (on a cluster, the article as read: its rows are in the parts). Return the
    run's summary (its ``run_id`` is the manifest's run number). Raises OutDirError when
    ``out_dir`` cannot take this run."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    version = pipeline_version()
    digest = options_digest(version, dataclasses.asdict(options),
                            [dataclasses.asdict(e) for e in extra_actors])
    with locked(out_dir):
        manifest = open_manifest(out_dir, version, digest)
        remove_unlisted(out_dir, manifest)
        done = done_articles(out_dir, manifest)
        summary = RunSummary(start_run(manifest, inputs))
        write_manifest(out_dir, manifest)
        for table in TABLES:
            (out_dir / table).mkdir(exist_ok=True)

        def report(result: Article | InputError) -> None:
            """Count ``result`` when it is an error; hand it to ``on_result``."""
            if isinstance(result, InputError):
                summary.errors += 1
            if on_result is not None:
                on_result(result)

        to_code = _articles_to_code(read_inputs(inputs, options), done, summary, report)
        chunks = _batches(to_code, part_size)
        target = ChunkTarget(str(out_dir), summary.run_id, 0)
        for result in _coded_chunks(chunks, options, extra_actors, cluster, target, report):
            commit(manifest, result, out_dir)
            summary.articles += len(result.coded)
            summary.sentences += result.sentences
            summary.events += result.events
            for error in result.errors:
                report(error)
        remove_unlisted(out_dir, manifest)  # the parts of chunks whose workers all died
        summary.seconds = time.perf_counter() - started
        finish_run(manifest, out_dir, {"unchanged": summary.unchanged, "errors": summary.errors,
                                       "seconds": round(summary.seconds, 3)})
    return summary


def _articles_to_code(items: Iterable[Article | InputError], done: tuple[IdSet, IdSet],
                      summary: RunSummary, report: ResultHandler) -> Iterator[Article]:
    """Yield the articles DIR does not hold; count those it holds, hand errors on."""
    done_ids, done_pairs = done
    seen = SeenIds()
    for item in items:
        if isinstance(item, InputError):
            report(item)
        elif item.id in seen:
            report(duplicate_error(item, seen.source(item.id)))
        else:
            seen.add(item.id, item.source)
            if (item.id, item.content_hash) in done_pairs:
                summary.unchanged += 1
                report(item)
            elif item.id in done_ids:
                report(InputError(item.source, f"article id {item.id!r} is already in the "
                                  "folder with other content; skipped (code changed articles "
                                  "into a new --out-dir)"))
            else:
                yield item


def _coded_chunks(chunks: Iterable[list[Article]], options: Options,
                  extra_actors: Sequence[Entity], cluster: str | None, target: ChunkTarget,
                  report: ResultHandler) -> Iterator[ChunkResult]:
    """Yield the result of each chunk, in input order: written by the cluster's workers, or
    coded here or in worker processes and written by this process. With nothing to code, no
    cluster is reached and no model loaded."""
    remaining = iter(chunks)
    first_chunk = next(remaining, None)
    if first_chunk is None:
        return
    chunks = chain([first_chunk], remaining)
    if cluster is not None:
        from whodid.cluster import code_chunks_on_cluster  # Dask is imported only when used

        for chunk, result in code_chunks_on_cluster(chunks, options, extra_actors, cluster,
                                                    target):
            coded = {article_id for article_id, _ in result.coded}
            for article in chunk:
                if article.id in coded:
                    report(article)
            yield result
        return
    sizes: deque[int] = deque()

    def batches() -> Iterator[list[Article]]:
        for chunk in chunks:
            sizes.append(len(chunk))
            yield from _batches(chunk, options.batch_size)

    results = _code_batches(batches(), options, extra_actors)
    for number in count():
        first = next(results, None)
        if first is None:
            return
        items = chain([first], islice(results, sizes.popleft() - 1))
        yield write_chunk(_reported(items, report),
                          dataclasses.replace(target, chunk=number))


def _reported(items: Iterable[Article | InputError],
              report: ResultHandler) -> Iterator[Article | InputError]:
    """Pass ``items`` on, reporting each coded article (errors are reported with the chunk)."""
    for item in items:
        if isinstance(item, Article):
            report(item)
        yield item
