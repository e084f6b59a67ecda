"""Exports of the event store in the formats analysts load. Every writer streams rows from the
database, so memory stays flat however many events there are.

- ``csv`` / ``jsonl``: the cross-article events (``DEDUP_COLUMNS``), one row each;
- ``parquet``: the same rows as a dataset partitioned by ``year=YYYY/month=MM`` (``unknown``
  for undated events), readable by pandas, DuckDB, Spark;
- ``gdelt``: GDELT 2.0's events table (its 61 columns, in its order, tab-separated, no header
  as GDELT ships it; the column names are in ``gdelt_columns``) and its mentions table beside
  it (``OUT.mentions``). Fields whodid does not produce (tone, FIPS codes, ADM codes, actor
  type codes beyond the sector) stay empty;
- ``plover``: PLOVER JSON records (JSON Lines), one per event mention, with ``actor`` and
  ``recipient`` lists, ``event``, ``mode``, ``event_loc``, ``event_text``, ``size``,
  ``cite_info``, ``link`` (the cross-article event it reports) and ``method`` ("rules", or
  "classifier" for an event the classifier rescued).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from whodid.store import DEDUP_COLUMNS, EVENT_COLUMNS, EventFilter, Store

GDELT_EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)
FORMATS = ("csv", "jsonl", "parquet", "gdelt", "plover")
PARQUET_BATCH = 10_000


def export(store: Store, fmt: str, out: Path, where: EventFilter | None = None) -> int:
    """Write the store's events to ``out`` in ``fmt``; return the number of rows written."""
    where = where or EventFilter()
    if fmt == "parquet":
        return write_parquet(store.query_events(where), out)
    if fmt == "gdelt":
        return write_gdelt(store, where, out)
    with out.open("w", encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            return write_csv(store.query_events(where), handle)
        if fmt == "jsonl":
            return write_jsonl(store.query_events(where), handle)
        if fmt == "plover":
            return write_jsonl(plover_records(store.query_mention_details(where)), handle)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_dir(folder: Path, fmt: str, out: Path) -> int:
    """Write the events of ``folder`` (written by ``whodid code --out-dir``: the parts its
    manifest lists, in its order) to ``out`` as csv or jsonl, one row per event of an article
    (the columns of the database's events table); return the rows written. Raises OutDirError
    when ``folder`` has no manifest, ValueError for another format."""
    from whodid.outdir import OutDirError, iter_rows, read_manifest

    if fmt not in ("csv", "jsonl"):
        raise OutDirError(f"--from-dir exports csv or jsonl, not {fmt}: the folder is "
                          "Parquet already (read it with pyarrow.dataset or DuckDB)")
    manifest = read_manifest(folder)
    if manifest is None:
        raise OutDirError(f"{folder}: no manifest.json (not written by whodid code --out-dir)")
    with out.open("w", encoding="utf-8", newline="") as handle:
        rows = iter_rows(folder, manifest, "events")
        if fmt == "csv":
            return write_csv(rows, handle, EVENT_COLUMNS)
        return write_jsonl(rows, handle)


def write_csv(rows: Iterable[dict[str, Any]], handle: TextIO,
              columns: Iterable[str] = DEDUP_COLUMNS) -> int:
    writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_jsonl(rows: Iterable[dict[str, Any]], handle: TextIO) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _partition(row: dict[str, Any]) -> tuple[str, str]:
    value = str(row.get("date") or "")
    return (value[:4] or "unknown", value[5:7] if len(value) >= 7 else "unknown")


def write_parquet(rows: Iterable[dict[str, Any]], out: Path) -> int:
    """Write ``rows`` as a Parquet dataset under ``out``, partitioned by year and month (hive
    style: ``year=2020/month=02/part-0.parquet``), buffering at most ``PARQUET_BATCH`` rows per
    partition."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c, pa.float64() if c in ("goldstein", "confidence") else
                                 pa.int64() if c in ("quad_class", "mentions", "articles",
                                                     "outlets") else pa.string())
                        for c in DEDUP_COLUMNS])
    writers: dict[tuple[str, str], Any] = {}
    buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    written = 0

    def flush(partition: tuple[str, str]) -> None:
        if partition not in writers:
            folder = out / f"year={partition[0]}" / f"month={partition[1]}"
            folder.mkdir(parents=True, exist_ok=True)
            writers[partition] = pq.ParquetWriter(folder / "part-0.parquet", schema)
        writers[partition].write_batch(pa.RecordBatch.from_pylist(buffers.pop(partition),
                                                                  schema=schema))

    try:
        for row in rows:
            partition = _partition(row)
            buffers.setdefault(partition, []).append({c: row.get(c) for c in DEDUP_COLUMNS})
            written += 1
            if len(buffers[partition]) >= PARQUET_BATCH:
                flush(partition)
        for partition in list(buffers):
            flush(partition)
    finally:
        for writer in writers.values():
            writer.close()
    return written


def gdelt_id(cluster_id: str) -> int:
    """Return a stable positive integer id for a cross-article event (GDELT's GLOBALEVENTID)."""
    return int(cluster_id[:15], 16)


def _geo_type(feature: str | None, country: str | None) -> str:
    if feature is None:
        return ""
    if feature == "country":
        return "1"
    if feature == "admin1":
        return "2" if country == "USA" else "5"
    return "3" if country == "USA" else "4"


def write_gdelt(store: Store, where: EventFilter, out: Path) -> int:
    """Write GDELT 2.0 events (``out``) and mentions (``out`` + ``.mentions``) tables."""
    from whodid.knowledge.gazetteer import load_index

    index = load_index()
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        for event in store.query_events(where, details=True):
            writer.writerow(gdelt_event_row(event, index))
            count += 1
    mentions = out.with_name(out.name + ".mentions")
    with mentions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        for mention in store.query_mention_details(where):
            if mention["cluster_id"]:
                writer.writerow(gdelt_mention_row(mention))
    return count


def _compact(value: Any) -> str:
    return str(value or "").replace("-", "")


def gdelt_event_row(event: dict[str, Any], index: Any) -> list[Any]:
    """Return the 61 GDELT 2.0 event columns of a cross-article event (with its details)."""
    day = str(event.get("date") or "")
    fraction = ""
    if len(day) >= 10:
        fraction = f"{int(day[:4]) + (int(day[5:7]) - 1) / 12 + (int(day[8:10]) - 1) / 365:.4f}"
    place = index.by_id(int(event["geonameid"])) if event.get("geonameid") else None
    feature = place.feature if place is not None else None
    cameo = str(event["cameo"])

    def actor(prefix: str) -> list[Any]:
        code = event.get(f"{prefix}_code") or ""
        country = event.get(f"{prefix}_country") or ""
        sector = event.get(f"{prefix}_sector") or ""
        group = code[:6] if code.startswith("IGO") or code[3:6] in ("REB", "IMG") else ""
        return [code, event.get(f"{prefix}_name") or event.get(f"{prefix}_text") or "",
                country, group, "", "", "", sector, "", ""]

    action_geo = [_geo_type(feature, event.get("location_country")),
                  event.get("location_name") or "", "", "", "",
                  "" if event.get("lat") is None else event["lat"],
                  "" if event.get("lon") is None else event["lon"], ""]
    return [
        gdelt_id(str(event["id"])), _compact(day[:10]) if len(day) >= 10 else "",
        _compact(day[:7]) if len(day) >= 7 else "", day[:4], fraction,
        *actor("source"), *actor("target"),
        1, cameo, cameo[:3], cameo[:2], event.get("quad_class") or "",
        event.get("goldstein") if event.get("goldstein") is not None else "",
        event["mentions"], event["outlets"], event["articles"], "",
        *([""] * 8), *([""] * 8), *action_geo,
        _compact(str(event.get("coded_at") or "")[:19]).replace(":", "").replace("T", ""),
        event.get("url") or event.get("article_id") or "",
    ]


def gdelt_mention_row(mention: dict[str, Any]) -> list[Any]:
    """Return the 16 GDELT 2.0 mention columns of one stored mention."""
    def stamp(value: Any) -> str:
        text = _compact(str(value or "")[:10])
        return text + "000000" if len(text) == 8 else ""

    return [gdelt_id(str(mention["cluster_id"])), stamp(mention.get("date")),
            stamp(mention.get("published")), 1, mention.get("outlet") or "",
            mention.get("url") or mention.get("article_id") or "", mention["sentence"] + 1, -1,
            -1, mention.get("trigger_start") if mention.get("trigger_start") is not None else -1,
            0, round(float(mention["confidence"]) * 100), mention.get("doc_length") or "", "",
            "", ""]


def plover_records(mentions: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield one PLOVER JSON record per stored mention that is not negated."""
    for mention in mentions:
        if mention["negated"]:
            continue
        record: dict[str, Any] = {
            "id": mention["id"],
            "date": mention["date"][:10] if mention.get("date") and len(
                mention["date"]) >= 10 else mention.get("date"),
            "actor": [_plover_entity(mention, "source")] if mention.get("source_text") else [],
            "event": [mention["plover"]] if mention.get("plover") else [],
            "mode": [mention["mode"]] if mention.get("mode") else [],
            "event_text": [mention["evidence"]],
            "quad_code": mention.get("quad_class"),
            "link": mention.get("cluster_id"),
            "cite_info": {"corpus": "whodid", "url": mention.get("url"),
                          "title": mention.get("title"), "publication": mention.get("outlet"),
                          "language": "en", "codebook": "PLOVER 2.0 (whodid)",
                          "citation": mention["article_id"]},
            "coder": "whodid",
            "method": mention.get("method") or "rules",
        }
        if mention.get("target_text"):
            record["recipient"] = [_plover_entity(mention, "target")]
        if mention.get("location_name"):
            record["event_loc"] = {"extracted_place": mention["location_name"],
                                   "resolved_place": mention["location_name"],
                                   "geonameid": mention.get("geonameid"),
                                   "lat": mention.get("lat"), "lon": mention.get("lon"),
                                   "country_code": mention.get("location_country")}
        size = {q["kind"]: q["value"] for q in json.loads(mention.get("quantities") or "[]")
                if q.get("kind") in ("dead", "injured", "arrested")}
        if size:
            record["size"] = size
        yield record


def _plover_entity(mention: dict[str, Any], prefix: str) -> dict[str, Any]:
    code = mention.get(f"{prefix}_code") or ""
    return {"code": mention.get(f"{prefix}_country") or code[:3] or None,
            "sector": mention.get(f"{prefix}_sector"),
            "entity_text": mention.get(f"{prefix}_text"),
            "identifier_text": mention.get(f"{prefix}_name"),
            "cameo_code": code or None}

