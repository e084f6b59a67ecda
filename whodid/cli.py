"""The ``whodid`` command line: parses arguments, calls the library, prints. Nothing else."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import click
import yaml

from whodid.config import Options, load_options
from whodid.export import FORMATS as EXPORT_FORMATS
from whodid.model import Article, InputError
from whodid.outdir import OutDirError
from whodid.run import code_inputs, pipeline_version
from whodid.show import rows_table
from whodid.store import DEDUP_COLUMNS, EVENT_LIST_COLUMNS, EventFilter, Store, StoreError
from whodid.store.actor_listing import actor_matches, actor_record, actor_row, known_actors

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
@click.option("--cluster", metavar="ADDRESS",
              help="Code on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
                   "(N worker processes on this machine). Replaces --workers.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write Parquet parts and a manifest into DIR, not the database (README).")
@click.option("--part-size", type=click.IntRange(min=1), help="Articles per part (500).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="YAML file overriding the default options.")
def code(inputs: tuple[str, ...], db: str, out_path: str | None, workers: int | None,
         cluster: str | None, out_dir: Path | None, part_size: int | None,
         config_path: Path | None) -> None:
    """Code INPUTS (.txt, .html, .jsonl/.json files, folders, or - for stdin) into the database.

    Each bad input gets one error line naming the file (and line); the rest is coded. Articles
    already stored unchanged are skipped, so an interrupted run can simply be started again.
    Exit status 1 when nothing could be coded.
    """
    if (out_dir and out_path) or (part_size and not out_dir):
        raise click.UsageError("--out and --out-dir: choose one; --part-size needs --out-dir")
    try:
        options = load_options(config_path).replace(workers=workers)
        if cluster is not None:
            from whodid.cluster import parse_cluster

            parse_cluster(cluster)
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
            summary = code_inputs(inputs, db, options, out=out, on_result=progress.update,
                                  cluster=cluster, out_dir=out_dir, part_size=part_size)
    except (StoreError, ConnectionError, OutDirError) as e:
        raise click.ClickException(str(e)) from e
    except sqlite3.Error as e:  # the database failed mid-run (disk full): stored work is kept
        raise click.ClickException(f"{db}: {e}; the articles stored before it are kept, "
                                   "run again to resume") from e
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


def _filter_options(command: Any) -> Any:
    """Add the event filter options shared by `events` and `stats`."""
    options = [
        click.option("--actor", help="Source or target: actor code prefix (IRQ, USAGOV) or a "
                                     "part of its name."),
        click.option("--cameo", help="CAMEO code prefix (04, 0874)."),
        click.option("--plover", help="PLOVER category (CONSULT, ASSAULT...)."),
        click.option("--country", help="ISO3 country of the source, target or location."),
        click.option("--since", help="Events dated on or after this ISO date."),
        click.option("--until", help="Events dated on or before this ISO date (or month, year)."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                     help="Only events at least this confident."),
        click.option("--search", help="Words of the evidence (SQLite FTS5 syntax: "
                                      "'Munich', 'peshmerga AND coalition', 'talk*')."),
        click.option("--background", is_flag=True,
                     help="Keep background events too: those dated over a year before their "
                          "article was published (history it recalls), left out by default."),
        click.option("--include-incomplete", is_flag=True, default=False,
                     help="Also events missing a side their category needs (kept in the "
                          "database, left out by default)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _event_filter(values: dict[str, Any]) -> EventFilter:
    return EventFilter(**{k: values.get(k) for k in (
        "actor", "cameo", "plover", "country", "since", "until", "min_confidence", "search")},
        background=bool(values.get("background")),
        include_incomplete=bool(values.get("include_incomplete")))


def _writable_store(db: str) -> Store:
    """Open ``db`` to write it (creating and migrating it as needed)."""
    try:
        return Store(db)
    except StoreError as e:
        raise click.ClickException(str(e)) from e


def _open_store(db: str) -> Store:
    """Open ``db`` to read it (never creating or writing it: a read-only mount works)."""
    try:
        return Store(db, read_only=True)
    except StoreError as e:
        raise click.ClickException(str(e)) from e


COMPACT_COLUMNS = ("date", "source_code", "target_code", "cameo", "plover", "evidence")
EVENT_ORDERS = ("newest", "oldest", "mentions", "confidence")


@main.command()
@DB_OPTION
@_filter_options
@click.option("--mentions", is_flag=True,
              help="List every mention (one row per article sentence) instead of events.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows.")
@click.option("--sort", "order", type=click.Choice(EVENT_ORDERS), default="newest",
              show_default=True, help="Events newest or oldest first, or the most mentioned "
                                      "or most confident first (not with --mentions).")
@click.option("--columns", help="Comma-separated columns to show (any of the csv header); "
                                "the table's default is date, source, target, CAMEO, PLOVER "
                                "and the evidence cut to the terminal's width, csv and jsonl "
                                "have every column.")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "jsonl"]),
              default="table", show_default=True, help="Output format.")
def events(db: str, mentions: bool, limit: int | None, order: str, columns: str | None,
           output_format: str, **filters: Any) -> None:
    """List the stored events, newest first: one row per event across articles, with how many
    mentions, articles and outlets report it (--mentions: one row per mention)."""
    where = _event_filter(filters)
    every = (*EVENT_LIST_COLUMNS, "outlet") if mentions else (*DEDUP_COLUMNS, "background")
    compact = (*COMPACT_COLUMNS[:-1], "background", "evidence") if (
        where.background and not mentions) else COMPACT_COLUMNS
    chosen = _chosen_columns(columns, every, compact if output_format == "table" else None)
    with _open_store(db) as store:
        try:
            rows = store.query_mentions(where, limit) if mentions else store.query_events(
                where, limit, order=order)
            _print_rows(rows, chosen or (every if mentions else DEDUP_COLUMNS), output_format,
                        "mentions" if mentions else "events", whole_rows=chosen is None)
        except sqlite3.OperationalError as e:
            raise click.ClickException(f"cannot select events: {e}") from e


def _chosen_columns(option: str | None, known: tuple[str, ...],
                    default: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Return the columns ``--columns`` names (checked against ``known``), else ``default``."""
    if not option:
        return default
    names = tuple(name.strip() for name in option.split(",") if name.strip())
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise click.BadParameter(f"unknown column(s) {', '.join(unknown) or '(none)'}; choose "
                                 f"from {', '.join(known)}", param_hint="--columns")
    return names


@main.command()
@DB_OPTION
@_filter_options
@click.option("--by", type=click.Choice(["month", "dyad", "root", "plover", "goldstein"]),
              default="month", show_default=True,
              help="Count events by month, by dyad (source country -> target country), by CAMEO "
                   "root or PLOVER category; or the monthly mean Goldstein score per dyad.")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output format.")
def stats(db: str, by: str, output_format: str, **filters: Any) -> None:
    """Aggregate the stored events (each event once, however many articles report it)."""
    from whodid.store import aggregate

    with _open_store(db) as store:
        try:
            rows, columns = aggregate(store.query_events(_event_filter(filters)), by)
        except sqlite3.OperationalError as e:
            raise click.ClickException(f"cannot select events: {e}") from e
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False))
    else:
        _print_rows(rows, columns, output_format, "rows")


@main.command("export")
@DB_OPTION
@_filter_options
@click.option("--format", "output_format", required=True,
              type=click.Choice(EXPORT_FORMATS),
              help="csv/jsonl: one row per event across articles; parquet: the same as a "
                   "dataset partitioned by year/month; gdelt: GDELT 2.0 events table and "
                   "OUT.mentions; plover: PLOVER JSON records, one per mention.")
@click.option("--from-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Export the events of a `whodid code --out-dir` folder (csv, jsonl).")
@click.argument("out", type=click.Path(path_type=Path))
def export_command(db: str, output_format: str, out: Path, from_dir: Path | None,
                   **filters: Any) -> None:
    """Export the stored events to OUT (a file; a folder for parquet), streaming."""
    from whodid.export import export, export_dir

    if from_dir is not None and any(value not in (None, False) for value in filters.values()):
        raise click.UsageError("--from-dir exports every event: filters do not apply")
    try:
        if from_dir is not None:
            count = export_dir(from_dir, output_format, out)
        else:
            with _open_store(db) as store:
                count = export(store, output_format, out, _event_filter(filters))
    except (sqlite3.OperationalError, OSError, OutDirError) as e:
        raise click.ClickException(f"cannot export to {out}: {e}") from e
    click.echo(f"{count} {'records' if output_format == 'plover' else 'events'} written to {out}")


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--allow-write", is_flag=True,
              help="Let POST /api/code?store=true store what it codes (needs --token).")
@click.option("--token", envvar="WHODID_TOKEN",
              help="Bearer token for writes (or the WHODID_TOKEN environment variable).")
def serve(db: str, host: str, port: int, allow_write: bool, token: str | None) -> None:
    """Serve the database: JSON API (/api, schema at /openapi.json) and pages (events, event,
    dyad timeline, map, actors), offline and read-only unless --allow-write."""
    import uvicorn

    from whodid.serve.routes import ServerSettings, create_app

    _open_store(db).close()  # one line now, not a 503 on every page, for a bad database
    if allow_write and not token:
        raise click.ClickException("--allow-write needs --token (or WHODID_TOKEN)")
    app = create_app(ServerSettings(Path(db), allow_write=allow_write, token=token))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@DB_OPTION
@click.argument("article_id")
def article(db: str, article_id: str) -> None:
    """Show a stored article's clean text with its events; on a terminal the evidence spans and
    actor mentions are highlighted."""
    from whodid.show import render_article

    with _open_store(db) as store:
        stored = store.article_json(article_id)
    if stored is None:
        raise click.ClickException(f"{article_id}: no such article in {db}")
    render_article(stored)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score these predictions (JSON lines of articles, as `code --out` writes) "
                   "instead of coding the gold texts.")
@click.option("--texts", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the articles a gold file names by `doc` (default: "
                   "../corpus/seeds beside the gold file).")
@click.option("--errors", is_flag=True,
              help="List per document the missed gold events and the false events, each with "
                   "its class (wrong type, wrong source, wrong target, missing side, leak, "
                   "not found); for toponym gold, each missed toponym with its class.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Options file to code the gold texts with (layers on or off).")
def evaluate(gold: Path, pred: Path | None, texts: Path | None, errors: bool,
             config_path: Path | None) -> None:
    """Score event coding against GOLD (seeds or PLOVER gold format); last line is JSON.

    Without --pred, codes the gold texts with the current pipeline (nothing is stored).
    Toponym gold (GeoWebNews format) is scored for places; five-class sentences (ConfliBERT
    format) for the quad class of the rules alone, the event classifier alone and their
    combination. Event gold is coded as configured (the main figures) and also by the rules
    alone (rules_*) and the combination (combination_*), with the classifier alone's type-only
    figures (classifier_*); a reliability table shows the share of correct keys per
    confidence bin, and gold events that carry a location (`where`) are scored for where the
    events happened.
    """
    from whodid.evaluate.errors import document_errors, reliability
    from whodid.evaluate.figures import event_figures, place_counts, quad_figures
    from whodid.evaluate.places import is_place_gold
    from whodid.evaluate.quad import is_quad_gold

    try:
        if is_place_gold(gold) or is_quad_gold(gold):
            if is_place_gold(gold):
                scored = place_counts(gold, pred)
                figures = {"gold": str(gold), **scored.figures()}
                if errors:
                    _print_rows([vars(m) for m in scored.misses], ("document", "error_class",
                                "text", "predicted", "km"), "table", "misses")
            else:
                figures = quad_figures(gold, pred)
            _print_rows([{"figure": k, "value": "" if v is None else v}
                         for k, v in figures.items()], ("figure", "value"), "table", "figures")
            click.echo(json.dumps(figures))
            return
        documents, articles, counts, figures = event_figures(gold, pred, texts, config_path)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    if errors:
        _print_errors(document_errors(documents, articles))
    _print_rows(({"confidence": f"{b.low:.1f}-{b.high:.1f}", "keys": b.keys,
                  "correct": b.correct, "share correct": b.share}
                 for b in reliability(documents, articles)),
                ("confidence", "keys", "correct", "share correct"), "table", "confidence bins")
    for example in counts.leak_examples:
        click.echo(f"leak: {example}")
    _print_rows([{"figure": k, "value": "" if v is None else v} for k, v in figures.items()],
                ("figure", "value"), "table", "figures")
    click.echo(json.dumps(figures))


def _print_errors(documents: Iterable[Any]) -> None:
    """Print the missed and false events of each document (``document_errors``)."""
    for document in documents:
        click.echo(f"== {document.id}")
        for e in document.errors:
            pair = f"{e.source or '-'} -> {e.target or '-'}"
            click.echo(f"  {e.kind:6} {e.error_class:12} {e.type:18} {pair:22} "
                       f"{e.evidence[:90]!r}")


@main.command()
@click.option("--extra", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON Lines file of more training sentences in the corpus format "
                   "(repeat the option for several files).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (default: the packaged model, the one whodid "
                   "loads).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the cross-validation folds.")
def train(extra: tuple[Path, ...], out_path: Path | None, seed: int) -> None:
    """Rebuild the event classifier from the shipped training corpus plus --extra files.

    Prints 5-fold cross-validated accuracy and macro-F1 on the training sentences: they show
    the model fits sentences like those it was trained on and prove nothing about news it never
    saw (judge it with `whodid evaluate` on gold sets). Same files and seed, same model.
    """
    from whodid.knowledge.classifier import (
        cross_validate,
        default_model_path,
        fit,
        read_training,
        shipped_corpus,
    )

    try:
        records = read_training([*shipped_corpus(), *extra])
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    validation = cross_validate(records, folds=5, seed=seed)
    click.echo(f"{validation.sentences} training sentences; {validation.folds}-fold "
               f"cross-validation: accuracy {validation.accuracy:.3f}, macro-F1 "
               f"{validation.macro_f1:.3f} (on sentences like the training ones: this proves "
               "nothing about unseen news)")
    out = out_path or default_model_path()
    try:
        fit(records, seed=seed).save(out)
    except OSError as e:
        raise click.ClickException(f"{out}: cannot write the model: {e.strerror or e}") from e
    click.echo(f"model written to {out} ({out.stat().st_size / 1e6:.1f} MB)")


ACTOR_COLUMNS = ("id", "origin", "kind", "name", "code", "country", "roles", "aliases")


@main.group(invoke_without_command=True)
@DB_OPTION
@click.option("--origin", type=click.Choice(
    ["all", "kb", "user", "petrarch", "phoenix", "learned"]),
              default="all", show_default=True, help="Which actors to list.")
@click.option("--search", help="Only actors whose name or alias contains TEXT.")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "jsonl"]),
              default="table", show_default=True, help="Output format.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Options file naming your own knowledge-base layers.")
@click.pass_context
def actors(ctx: click.Context, db: str, origin: str, search: str | None,
           output_format: str, config_path: Path | None) -> None:
    """List known actors (knowledge base, added, imported, learned), or manage them.

    Without a subcommand, lists actors. The knowledge base ships with whodid; `actors add`
    and `actors import` put more in the database; people first met with a title while coding
    ("US Secretary of Energy Dan Brouillette") are learned and listed with origin "learned".
    """
    ctx.obj = load_options(config_path)
    if ctx.invoked_subcommand is not None:
        return
    rows = (actor_row(entity) for entity in known_actors(db, origin, ctx.obj)
            if search is None or actor_matches(entity, search))
    _print_rows(rows, ACTOR_COLUMNS, output_format, "actors")


@actors.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
def actors_add(file: Path, db: str) -> None:
    """Add the actors of a YAML FILE (the knowledge-base format; see README) to the database."""
    from whodid.knowledge.kb import entities_from_records, validate_entity
    from whodid.knowledge.rules import RuleFileError, read_yaml

    try:
        records = read_yaml(file)
    except RuleFileError as e:
        raise click.ClickException(str(e)) from e
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise click.ClickException(f"{file}: expected a YAML list of actor records")
    problems = []
    for index, record in enumerate(records, start=1):
        if not record.get("id") or not record.get("name"):
            problems.append(f"{file}: record {index}: needs an id and a name")
            continue
        try:
            for entity in entities_from_records([record], None, origin="user"):
                problems += [f"{file}: record {index}: {p}" for p in validate_entity(entity)]
        except (KeyError, ValueError, TypeError) as e:
            problems.append(f"{file}: record {index}: {type(e).__name__}: {e}")
    if problems:
        raise click.ClickException("\n".join(problems))
    with _writable_store(db) as store:
        count = store.add_actor_records(records, "user")
    click.echo(f"{count} actors added to {db}")


@actors.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
def actors_import(file: Path, db: str) -> None:
    """Import a PETRARCH/TABARI actors dictionary FILE (NAME_ [CODE yymmdd-yymmdd], +aliases)."""
    from whodid.knowledge.importers import parse_petrarch_actors

    records, problems = parse_petrarch_actors(file.read_text("utf-8", errors="replace"))
    for problem in problems:
        where = f"{file}:{problem.line}" if problem.line else str(file)
        click.echo(f"warning: {where}: {problem.message}", err=True)
    with _writable_store(db) as store:
        count = store.add_actor_records(records, "petrarch")
    click.echo(f"{count} actors imported into {db} ({len(problems)} lines skipped)")


@actors.command("export")
@click.option("--origin", type=click.Choice(
    ["all", "kb", "user", "petrarch", "phoenix", "learned"]),
              default="all", show_default=True, help="Which actors to export.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, allow_dash=True),
              default="-", help="YAML file to write ('-': stdout).")
@DB_OPTION
@click.pass_obj
def actors_export(options: Options, origin: str, out_path: str, db: str) -> None:
    """Export actors as YAML in the format `whodid actors add` reads."""
    records = [actor_record(entity) for entity in known_actors(db, origin, options)]
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    if out_path == "-":
        click.echo(text, nl=False)
    else:
        Path(out_path).write_text(text, "utf-8")


def _print_rows(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: str,
                noun: str = "events", whole_rows: bool = True) -> None:
    """Print ``rows`` as a table, CSV or JSON Lines (whole rows, unless not ``whole_rows``:
    then only ``columns``). A table never wraps: each cell stays on one line, the evidence is
    cut to what the terminal's width leaves it."""
    if fmt == "jsonl":
        for row in rows:
            shown = row if whole_rows else {c: row[c] for c in columns}
            click.echo(json.dumps(shown, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    else:
        click.echo(rows_table(rows, columns, noun, shutil.get_terminal_size((200, 24)).columns),
                   nl=False)
