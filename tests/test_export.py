"""Exports read back by the tools analysts use: pandas, DuckDB, csv, json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from whodid.cli import main
from whodid.export import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS

from .conftest import SEEDS, SHARED


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("export")
    db = folder / "seeds.db"
    run("code", str(SEEDS), "--db", str(db))
    events = len(run("events", "--db", str(db), "--format", "jsonl").splitlines())
    return db, events


def test_csv_and_jsonl_hold_one_row_per_event(coded: tuple[Path, int], tmp_path: Path) -> None:
    db, events = coded
    run("export", "--db", str(db), "--format", "csv", str(tmp_path / "e.csv"))
    frame = pd.read_csv(tmp_path / "e.csv")
    assert len(frame) == events and {"mentions", "articles", "outlets"} <= set(frame.columns)
    run("export", "--db", str(db), "--format", "jsonl", str(tmp_path / "e.jsonl"))
    rows = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert len(rows) == events and all(r["cameo"] and r["evidence"] for r in rows)


def test_parquet_is_a_dataset_by_year_and_month_that_pandas_and_duckdb_read(
        coded: tuple[Path, int], tmp_path: Path) -> None:
    db, events = coded
    out = tmp_path / "events.parquet"
    run("export", "--db", str(db), "--format", "parquet", str(out))
    assert (out / "year=2020" / "month=02").is_dir()
    assert (out / "year=unknown" / "month=unknown").is_dir()  # undated events
    assert len(pd.read_parquet(out)) == events
    pattern = str(out / "**" / "*.parquet")
    counted = duckdb.sql(f"SELECT year, count(*) FROM read_parquet('{pattern}', "
                         "hive_partitioning = true) GROUP BY year").fetchall()
    assert sum(n for _, n in counted) == events and ("2020", ) in {(y,) for y, _ in counted}


def test_gdelt_export_has_gdelts_columns_in_gdelts_order(coded: tuple[Path, int],
                                                        tmp_path: Path) -> None:
    codebook = SHARED / "codes" / "gdelt_events_columns.tsv"
    if codebook.exists():
        names = [row["name"] for row in csv.DictReader(codebook.open(), delimiter="\t")]
        assert tuple(names) == GDELT_EVENT_COLUMNS
        mention_names = [row["name"] for row in csv.DictReader(
            (SHARED / "codes" / "gdelt_mentions_columns.tsv").open(), delimiter="\t")]
        assert tuple(mention_names) == GDELT_MENTION_COLUMNS
    db, events = coded
    out = tmp_path / "events.gdelt"
    run("export", "--db", str(db), "--format", "gdelt", str(out))
    table = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_EVENT_COLUMNS),
                        dtype=str, keep_default_na=False)
    assert len(table) == events
    munich = table[table["ActionGeo_FullName"] == "Munich"]
    assert not munich.empty and set(munich["SQLDATE"]) <= {"20200214", "20200215"}
    assert "04" in set(munich["EventRootCode"]) and (munich["NumArticles"] == "1").all()
    mentions = pd.read_csv(out.with_name(out.name + ".mentions"), sep="\t", header=None,
                           names=list(GDELT_MENTION_COLUMNS), dtype=str)
    assert set(mentions["GLOBALEVENTID"]) == set(table["GLOBALEVENTID"])
    assert len(mentions) >= len(table)


def test_plover_records_follow_the_manual(coded: tuple[Path, int], tmp_path: Path) -> None:
    db, _ = coded
    out = tmp_path / "events.plover"
    run("export", "--db", str(db), "--format", "plover", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records
    for record in records:
        assert {"id", "date", "actor", "event", "event_text", "cite_info", "link"} <= set(record)
        assert isinstance(record["actor"], list) and isinstance(record["event"], list)
    munich = [r for r in records if (r.get("event_loc") or {}).get("resolved_place") == "Munich"]
    assert ["CONSULT"] in [r["event"] for r in munich]


def test_an_export_to_an_unwritable_place_is_a_clear_error(coded: tuple[Path, int],
                                                           tmp_path: Path) -> None:
    db, _ = coded
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv",
                                       str(tmp_path / "no" / "such" / "dir" / "e.csv")])
    assert result.exit_code == 1 and "cannot export to" in result.output
