"""Convert the Phoenix actor dictionaries into whodid's Phoenix knowledge-base layer.

    python scripts/convert_phoenix_actors.py /work/shared/dictionaries/petrarch2 \
        whodid/data/kb_phoenix/phoenix_actors.tsv

Reads Phoenix.Countries, Phoenix.International and Phoenix.MilNonState (.actors.txt, Latin-1)
with whodid's PETRARCH reader (whodid/knowledge/importers.py) and writes one compact TSV of
actors (read by whodid.knowledge.kb.entities_from_actors_tsv), each with its provenance (file:line
of its primary phrase). Deterministic: rerun it
when the dictionaries or the reader change. The layer is loaded with the option phoenix_actors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from whodid.knowledge.importers import parse_petrarch_actors

FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
         "Phoenix.MilNonState.actors.txt")
HEADER = """\
# The Phoenix actor dictionaries of PETRARCH2 (Open Event Data Alliance, MIT licence:
# Copyright (c) 2015 Open Event Data Alliance) as whodid actor records: a knowledge-base layer
# below the curated one (option phoenix_actors). Converted by scripts/convert_phoenix_actors.py;
# do not edit by hand. roles: ';'-list of "CODE START END" ('-': open); provenance = source
# file:line of the record's primary phrase.
id\tname\tkind\taliases\troles\tprovenance
"""


def actor_line(record: dict[str, Any]) -> str:
    """Return the TSV line of an actor record."""
    roles = ";".join(f"{r['code']} {r['start'] or '-'} {r['end'] or '-'}" for r in record["roles"])
    aliases = "|".join(a.replace("|", "/") for a in record["aliases"])
    cells = (record["id"], record["name"], record["kind"], aliases, roles, record["provenance"])
    return "\t".join(cell.replace("\t", " ") for cell in cells) + "\n"


def main(folder: Path, target: Path) -> None:
    """Write the records of the Phoenix dictionaries in ``folder`` to ``target``."""
    records, seen = [], set()
    for name in FILES:
        found, problems = parse_petrarch_actors((folder / name).read_text("latin-1"))
        for record in found:
            if record["id"] in seen:
                continue  # the first file that names an actor gives it
            seen.add(record["id"])
            record["provenance"] = f"{name}:{record.pop('line')}"
            records.append(record)
        print(f"{name}: {len(found)} records, {len(problems)} lines left out", file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(HEADER + "".join(map(actor_line, records)), "utf-8")
    print(f"{len(records)} records written to {target}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
