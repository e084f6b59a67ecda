"""Code a corpus on a Slurm or PBS cluster: dask-jobqueue submits worker jobs, whodid codes.

    pip install "whodid[cluster]"
    python examples/cluster/jobqueue.py slurm news.jsonl --db news.db --jobs 20 \
        --queue normal --account myproject --venv $HOME/whodid-venv

Run it on the login node (or in a small job of its own): the Dask scheduler runs here, each
batch job starts ``cores`` single-threaded workers that each load whodid's pipeline once, and
this process is the one writer of the SQLite database. An interrupted run is simply started
again: what is stored is skipped.
"""

from __future__ import annotations

import argparse
from typing import Any

from dask_jobqueue import PBSCluster, SLURMCluster

from whodid import code_inputs, load_options

CLUSTERS: dict[str, Any] = {"slurm": SLURMCluster, "pbs": PBSCluster}


def job_cluster(kind: str, *, cores: int = 4, memory: str = "8GB",
                walltime: str = "08:00:00", queue: str | None = None,
                account: str | None = None, venv: str | None = None,
                host: str | None = None, dashboard_port: int = 8787) -> Any:
    """Return a dask-jobqueue cluster of ``kind`` (slurm or pbs) whose jobs each run ``cores``
    worker processes of one thread (spaCy is fastest one thread per process) with ``memory``
    in all (~600 MB a worker is enough), activating ``venv`` first. ``host``: the address the
    scheduler and its dashboard (at ``dashboard_port``; 0: any free port) listen on, one the
    compute nodes can reach (default: this node's hostname)."""
    return CLUSTERS[kind](
        cores=cores, processes=cores, memory=memory, walltime=walltime, queue=queue,
        account=account, job_name="whodid",
        job_script_prologue=[f"source {venv}/bin/activate"] if venv else [],
        scheduler_options={**({"host": host} if host else {}),
                           "dashboard_address": f"{host or ''}:{dashboard_port}"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(CLUSTERS))
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--db", default="whodid.db")
    parser.add_argument("--jobs", type=int, default=4, help="batch jobs to submit")
    parser.add_argument("--cores", type=int, default=4, help="worker processes per job")
    parser.add_argument("--memory", default="8GB", help="memory per job")
    parser.add_argument("--walltime", default="08:00:00")
    parser.add_argument("--queue")
    parser.add_argument("--account")
    parser.add_argument("--venv", help="virtual environment with whodid on the nodes")
    args = parser.parse_args()
    with job_cluster(args.kind, cores=args.cores, memory=args.memory, walltime=args.walltime,
                     queue=args.queue, account=args.account, venv=args.venv) as cluster:
        cluster.scale(jobs=args.jobs)
        summary = code_inputs(args.inputs, args.db, load_options(),
                              cluster=cluster.scheduler_address)
    print(summary.line())


if __name__ == "__main__":
    main()
