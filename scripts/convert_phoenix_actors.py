"""Convert the Phoenix actor dictionaries into whodid's Phoenix knowledge-base layer.

    python scripts/convert_phoenix_actors.py /work/shared/dictionaries/petrarch2 \
        whodid/data/kb_phoenix/phoenix_actors.yaml

Reads Phoenix.Countries, Phoenix.International and Phoenix.MilNonState (.actors.txt, Latin-1)
with whodid's PETRARCH reader (whodid/knowledge/importers.py) and writes one YAML list of actor
records, each with its provenance (file:line of its primary phrase). Deterministic: rerun it
when the dictionaries or the reader change. The layer is loaded with the option phoenix_actors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from whodid.knowledge.importers import parse_petrarch_actors

FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
         "Phoenix.MilNonState.actors.txt")
HEADER = """\
# The Phoenix actor dictionaries of PETRARCH2 (Open Event Data Alliance, MIT licence:
# Copyright (c) 2015 Open Event Data Alliance) as whodid actor records: a knowledge-base layer
# below the curated one (option phoenix_actors). Converted by scripts/convert_phoenix_actors.py;
# do not edit by hand. provenance = source file:line of the record's primary phrase.
"""


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
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
    target.write_text(HEADER + text, "utf-8")
    print(f"{len(records)} records written to {target}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
