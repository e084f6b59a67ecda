"""Coding on a Dask distributed cluster (``whodid code --cluster ADDRESS``).

1. ``ADDRESS`` is ``tcp://HOST:PORT`` (an existing scheduler, e.g. started by dask-jobqueue on
   Slurm or PBS) or ``local:N`` (a LocalCluster of N single-threaded worker processes on
   127.0.0.1, for one machine and the tests).
2. A worker plugin (``PipelinePlugin``) loads the pipeline once per worker when the worker joins,
   including workers that join later.
3. The client sends batches of read Articles to the workers, at most two per worker in flight
   (counted as workers join or leave; memory in proportion to a batch, not the corpus), and
   takes the coded Articles back in input order; the caller (``whodid.run``) stays the one
   writer.
4. A worker that dies has its batch given to another worker by the scheduler; a batch that kills
   workers again and again becomes one InputError per article, never the run's end.
5. With ``--out-dir`` (``code_chunks_on_cluster``), a task is a chunk of articles that the
   worker codes batch by batch and writes as Parquet parts (``whodid.outdir``) into a folder
   all workers reach; only the chunk's ids, counts and errors come back to the client, which
   keeps the manifest.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from distributed import Client, Future, LocalCluster, WorkerPlugin, get_worker
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from whodid.config import Options
from whodid.knowledge.kb import Entity
from whodid.model import Article, InputError
from whodid.outdir import ChunkResult, ChunkTarget, write_chunk
from whodid.pipeline import PIPELINE, Pipeline, Resources, Stage

PLUGIN_NAME = "whodid-pipeline"
LOCAL_PREFIX = "local:"


@dataclass(frozen=True)
class ClusterAddress:
    """Where to run: ``local_workers`` > 0 for a LocalCluster, else the scheduler ``address``."""

    address: str
    local_workers: int = 0


def parse_cluster(text: str) -> ClusterAddress:
    """Return the ClusterAddress of ``tcp://HOST:PORT``, ``local`` (2 workers) or ``local:N``.

    Raises ValueError on anything else."""
    if text == "local":
        return ClusterAddress(text, 2)
    if text.startswith(LOCAL_PREFIX):
        count = text[len(LOCAL_PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"{text!r}: expected local:N with N >= 1 workers")
        return ClusterAddress(text, int(count))
    if text.startswith(("tcp://", "tls://")) and ":" in text.split("://", 1)[1]:
        return ClusterAddress(text)
    raise ValueError(f"{text!r}: expected tcp://HOST:PORT or local:N")


@contextmanager
def cluster_client(cluster: ClusterAddress) -> Iterator[Client]:
    """Yield a Client of ``cluster``: a new LocalCluster bound to 127.0.0.1 (closed on exit),
    or a connection to the running scheduler. Raises ConnectionError when no scheduler answers
    there within Dask's ``distributed.comm.timeouts.connect`` (30 s by default)."""
    if not cluster.local_workers:
        try:
            client = Client(cluster.address)
        except OSError as e:
            raise ConnectionError(f"no Dask scheduler answers at {cluster.address}: {e}") from e
        with client:
            yield client
        return
    with LocalCluster(n_workers=cluster.local_workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0",
                      silence_logs=logging.ERROR) as local, Client(local) as client:
        yield client


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once in each worker that joins the cluster."""

    name = PLUGIN_NAME

    def __init__(self, options: Options, extra_actors: Sequence[Entity],
                 stages: Sequence[Stage] = PIPELINE) -> None:
        self.options = options
        self.extra_actors = tuple(extra_actors)
        self.stages = tuple(stages)
        self.pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        self.pipeline = Pipeline(Resources.load(self.options, self.extra_actors), self.stages)


def code_on_worker(batch: list[Article]) -> list[Article | InputError]:
    """Code ``batch`` with the pipeline this worker's plugin loaded (the task of a batch)."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, PipelinePlugin) and plugin.pipeline is not None
    results = plugin.pipeline(batch)
    for result in results:
        if isinstance(result, Article):
            result.doc = None  # a spaCy Doc does not cross processes
    return results


def code_batches_on_cluster(batches: Iterable[list[Article]], client: Client,
                            plugin: PipelinePlugin) -> Iterator[Article | InputError]:
    """Yield the coded articles of ``batches`` in input order, coded by ``client``'s workers."""
    client.register_plugin(plugin, name=PLUGIN_NAME)
    jobs = ((batch, client.submit(code_on_worker, batch, pure=False, retries=1))
            for batch in batches)
    for batch, future in _in_order(jobs, client):
        yield from _batch_results(batch, future)


def code_chunk_on_worker(chunk: list[Article], target: ChunkTarget) -> ChunkResult:
    """Code ``chunk`` batch by batch with this worker's pipeline and write its Parquet parts
    (``whodid code --out-dir``); return what it gave."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, PipelinePlugin) and plugin.pipeline is not None
    pipeline, size = plugin.pipeline, plugin.options.batch_size
    return write_chunk((result for start in range(0, len(chunk), size)
                        for result in pipeline(chunk[start:start + size])), target)


def code_chunks_on_cluster(chunks: Iterable[list[Article]], options: Options,
                           extra_actors: Sequence[Entity], address: str,
                           target: ChunkTarget) -> Iterator[tuple[list[Article], ChunkResult]]:
    """Yield each of ``chunks`` with its result, in input order: coded on the cluster at
    ``address``, whose workers write the parts into ``target.out_dir`` (a folder they all
    reach) as chunk 0, 1, 2... of ``target.run``."""
    with cluster_client(parse_cluster(address)) as client:
        client.register_plugin(PipelinePlugin(options, extra_actors), name=PLUGIN_NAME)
        jobs = ((chunk, client.submit(code_chunk_on_worker, chunk,
                                      dataclasses.replace(target, chunk=number), pure=False,
                                      retries=1))
                for number, chunk in enumerate(chunks))
        for number, (chunk, future) in enumerate(_in_order(jobs, client)):
            results = _batch_results(chunk, future)
            if len(results) == 1 and isinstance(results[0], ChunkResult):
                yield chunk, results[0]
            else:  # its workers died: one error per article
                yield chunk, ChunkResult(number, errors=results)


def _in_order(jobs: Iterable[tuple[list[Article], Future[Any]]],
              client: Client) -> Iterator[tuple[list[Article], Future[Any]]]:
    """Yield the (articles, future) of ``jobs`` in order, drawing the next job (submitting
    its task) only while fewer than ``in_flight_limit`` are in flight."""
    in_flight: deque[tuple[list[Article], Future[Any]]] = deque()
    for job in jobs:
        in_flight.append(job)
        # Asked again each time: workers of a batch system join (and leave) during the run.
        if len(in_flight) >= in_flight_limit(client):
            yield in_flight.popleft()
    while in_flight:
        yield in_flight.popleft()


def in_flight_limit(client: Client) -> int:
    """Return how many batches may be in flight: two per worker now in the cluster, so each
    worker has the next batch at hand (at least two while the first workers start)."""
    return 2 * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))


def _batch_results(batch: list[Article], future: Future[Any]) -> list[Any]:
    """Return the results of ``batch``'s task (a list of them, or one ChunkResult in a list);
    when its workers died, one error per article."""
    try:
        result = future.result()
        results: list[Any] = result if isinstance(result, list) else [result]
    except (KilledWorker, FutureCancelledError) as e:
        return [InputError(article.source, f"article {article.id!r}: the workers coding its "
                           f"batch died: {type(e).__name__}: {e}") for article in batch]
    finally:
        future.release()
    return results


def code_on_cluster(batches: Iterable[list[Article]], options: Options,
                    extra_actors: Sequence[Entity],
                    address: str) -> Iterator[Article | InputError]:
    """Yield the coded articles of ``batches`` in input order, coded on the cluster at
    ``address`` (see ``parse_cluster``)."""
    with cluster_client(parse_cluster(address)) as client:
        yield from code_batches_on_cluster(batches, client,
                                           PipelinePlugin(options, extra_actors))
