"""The ``whodid`` command line: parses arguments, calls the library, prints. Nothing else."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import click

from whodid.config import load_options
from whodid.model import Article, InputError
from whodid.run import code_inputs, pipeline_version
from whodid.store import EVENT_LIST_COLUMNS, Store, StoreError

DB_OPTION = click.option("--db", default="whodid.db", show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file.")


@click.group(name="whodid", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(pipeline_version(), "--version", prog_name="whodid")
def main() -> None:
    """whodid: turn news articles into political event data (who did what to whom, when, where)."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@DB_OPTION
@click.option("--out", "out_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write each coded article as a JSON line to FILE ('-': stdout).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (each loads spaCy once); default from the config (1).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="YAML file overriding the default options.")
def code(inputs: tuple[str, ...], db: str, out_path: str | None, workers: int | None,
         config_path: Path | None) -> None:
    """Code INPUTS (.txt, .html, .jsonl/.json files, folders, or - for stdin) into the database.

    Each bad input gets one error line naming the file (and line); the rest is coded. Articles
    already stored unchanged are skipped, so an interrupted run can simply be started again.
    Exit status 1 when nothing could be coded.
    """
    try:
        options = load_options(config_path).replace(workers=workers)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    out: TextIO | None = None
    if out_path == "-":
        out = sys.stdout
    elif out_path:
        out = open(out_path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    progress = _Progress(enabled=sys.stderr.isatty())
    try:
        with progress:
            summary = code_inputs(inputs, db, options, out=out, on_result=progress.update)
    except StoreError as e:
        raise click.ClickException(str(e)) from e
    finally:
        if out is not None and out is not sys.stdout:
            out.close()
    click.echo(summary.line(), err=out is sys.stdout)
    if summary.articles + summary.unchanged == 0:
        sys.exit(1)


class _Progress:
    """A rich progress bar on a terminal; error lines always go to stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), "[progress.description]{task.description}",
                                BarColumn(), "{task.completed} articles", TimeElapsedColumn(),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task("coding", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, result: Article | InputError) -> None:
        if isinstance(result, InputError):
            message = f"error: {result}"
            if self.bar is not None:
                self.bar.console.print(message, markup=False, highlight=False)
            else:
                click.echo(message, err=True)
        elif self.bar is not None:
            self.bar.advance(self.task)


@main.command()
@DB_OPTION
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N events.")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "jsonl"]),
              default="table", show_default=True, help="Output format.")
def events(db: str, limit: int | None, output_format: str) -> None:
    """List the stored events (none until the event stage has coded some)."""
    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; run 'whodid code' first")
    with Store(db) as store:
        _print_rows(store.iter_events(limit), EVENT_LIST_COLUMNS, output_format)


def _print_rows(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> None:
    """Print ``rows`` as a table, CSV or JSON Lines."""
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        count = 0
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
            count += 1
        console = Console(width=200 if not sys.stdout.isatty() else None)
        console.print(table)
        console.print(f"{count} events")


