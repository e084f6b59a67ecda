"""Convert PETRARCH2's verb dictionary into whodid's pattern layer.

    python scripts/convert_petrarch_verbs.py /work/shared/dictionaries/petrarch2/CAMEO.2.0.txt \
        whodid/data/events/petrarch_patterns.tsv

Rerun it when the dictionary or the conversion changes; the output is deterministic. Each row
keeps its provenance (file, line, original pattern); lines the pattern format cannot say are
counted by reason on stderr. See whodid/knowledge/petrarch_verbs.py for the rules.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from whodid.knowledge.petrarch_verbs import first_of_each_key, tsv_lines, usual_frames, verb_rows
from whodid.knowledge.rules import packaged, read_tsv

HEADER = """\
# PETRARCH2 verb patterns in whodid's pattern format: a lower layer under patterns.tsv.
# Converted by scripts/convert_petrarch_verbs.py from {name} (PETRARCH2, Open Event Data Alliance,
# MIT licence: Copyright (c) 2015 Open Event Data Alliance; see the LICENSE beside the source file).
# Do not edit by hand: fix the converter or add a curated row to patterns.tsv (which wins).
# Columns as in patterns.tsv; target_preps and reciprocal are those our curated rows give the
# same CAMEO code; provenance = source file:line: original text.
pos\tlemma\tobject\tprep\tprep_object\tparticle\tcameo\tplover\tmode\ttarget_preps\treciprocal\tnote\tprovenance
"""


def main(source: Path, target: Path) -> None:
    """Write the pattern layer of ``source`` to ``target``; report what was left out."""
    rows, skipped = verb_rows(source.read_text("latin-1"))
    rows = first_of_each_key(rows)
    frames = usual_frames([row for _, row in read_tsv(packaged("events/patterns.tsv"))])
    lines = list(tsv_lines(rows, frames, source.name))
    target.write_text(HEADER.format(name=source.name) + "\n".join(lines) + "\n", "utf-8")
    reasons = Counter(s.reason.split(":")[0] for s in skipped)
    print(f"{len(lines)} rows written to {target}; lines left out:", file=sys.stderr)
    for reason, count in reasons.most_common():
        print(f"  {count:5d}  {reason}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
