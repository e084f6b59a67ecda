"""The PETRARCH2 verb dictionary converted into a pattern layer under our curated patterns."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from whodid import Pipeline
from whodid.knowledge.codebook import plover_of
from whodid.knowledge.petrarch_verbs import first_of_each_key, singular, verb_rows
from whodid.knowledge.rules import packaged, read_tsv
from whodid.stages.events.patterns import (
    LOWER_PATTERNS_FILE,
    PATTERNS_FILE,
    EventCoder,
    layered_patterns,
    load_patterns,
    parse_patterns,
)

from .conftest import code_text

ROOT = Path(__file__).parent.parent
DICTIONARY = Path("/work/shared/dictionaries/petrarch2/CAMEO.2.0.txt")

SAMPLE = """\
&FOOD
+FOOD
+RATION

&WEAPON_
+RIFLE

---  RUSH   [---]  ---
RUSH
HURRY {HURRIES HURRYING HURRIED }
+ASK_FOR {+ASKED_FOR} [020]
WIRE_+TAP
- * &FOOD                    [073]   # RUSH
- * (TO {BORDER POSTS})      [154]
- &MILITARY * ATTACKS        [195]   # RUSH
- * (BEFORE COURT)           [:173]  # RUSH
- * OFF AID                  [---]   # RUSH
- * UP &WEAPON               [042:043] # HURRY

---  ATTACK   [190]  ---
ATTACK
"""


def test_patterns_expand_synsets_and_keep_their_provenance() -> None:
    rows, _ = verb_rows(SAMPLE)
    food = next(r for r in rows if r.cameo == "073")
    assert (food.lemma, food.objects, food.plover) == ("rush", ("food", "ration"), "AID")
    assert food.line == 13 and food.original == "- * &FOOD [073] # RUSH"


def test_a_pattern_applies_to_the_verbs_its_comment_names_else_to_the_whole_block() -> None:
    rows, _ = verb_rows(SAMPLE)
    assert {r.lemma for r in rows if r.cameo == "073"} == {"rush"}
    border = [r for r in rows if r.cameo == "154"]
    assert {r.lemma for r in border} == {"rush", "hurry"}
    assert border[0].prep_objects == ("border posts", "border post")


def test_a_particle_and_a_paired_code_keep_the_sources_act() -> None:
    rows, _ = verb_rows(SAMPLE)
    hurry = next(r for r in rows if r.lemma == "hurry" and r.particle)
    assert (hurry.particle, hurry.objects, hurry.cameo) == ("up", ("rifle",), "042")


def test_verbs_with_a_code_of_their_own_or_their_blocks_get_a_bare_row() -> None:
    rows, _ = verb_rows(SAMPLE)
    bare = {(r.lemma, r.particle, r.cameo) for r in rows if not r.objects and not r.prep}
    assert bare == {("ask", "for", "020"), ("attack", "", "190")}


def test_what_the_pattern_format_cannot_say_is_left_out_with_its_reason() -> None:
    _, skipped = verb_rows(SAMPLE)
    reasons = {s.line: s.reason for s in skipped}
    assert "cannot say" in reasons[12]
    assert "before the verb" in reasons[15]
    assert "null code" in reasons[16] and "null code" in reasons[17]


@pytest.mark.parametrize(("plural", "word"), [
    ("rallies", "rally"), ("sanctions", "sanction"), ("talks", "talk"), ("crises", "crise"),
    ("marches", "march"), ("press", "press"), ("status", "status"), ("aid", "aid")])
def test_regular_plurals_get_their_singular(plural: str, word: str) -> None:
    assert singular(plural) == word


def test_the_first_row_of_a_requirement_wins_as_in_petrarch() -> None:
    rows, _ = verb_rows(SAMPLE + "- * ATTACK [190]\n- * ATTACK [193]\n")
    kept = [r.cameo for r in first_of_each_key(rows) if r.objects == ("attack",)]
    assert kept == ["190"]


def test_every_shipped_row_is_a_pattern_with_its_plover_category_and_provenance() -> None:
    source = packaged(LOWER_PATTERNS_FILE)
    patterns = list(parse_patterns(source))
    assert len(patterns) > 4000
    assert all(p.plover == plover_of(p.cameo) for p in patterns)
    assert all(row["provenance"].startswith("CAMEO.2.0.txt:") for _, row in read_tsv(source))


@pytest.mark.skipif(not DICTIONARY.exists(), reason="the PETRARCH2 dictionary is not here")
def test_the_shipped_layer_is_what_the_converter_makes(tmp_path: Path) -> None:
    out = tmp_path / "petrarch_patterns.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_petrarch_verbs.py"),
                    str(DICTIONARY), str(out)], check=True, capture_output=True,
                   env={"PYTHONPATH": str(ROOT)})
    assert out.read_text("utf-8") == packaged(LOWER_PATTERNS_FILE).read_text("utf-8")


def test_a_verb_we_curated_keeps_exactly_our_rows_under_the_layer() -> None:
    ours = load_patterns(packaged(PATTERNS_FILE))
    layered = layered_patterns(packaged(PATTERNS_FILE), (packaged(LOWER_PATTERNS_FILE),))
    assert all(layered[key] == rows for key, rows in ours.items())
    added = [p for key, rows in layered.items() if key not in ours for p in rows]
    assert added and all(p.particle for p in added)


def test_the_layer_codes_a_particle_verb_we_lack_and_changes_nothing_we_code(
        pipeline: Pipeline) -> None:
    layered = Pipeline(dataclasses.replace(pipeline.resources,
                                           events=EventCoder.load(petrarch=True)))
    text = "Syrian government forces wiped out the rebels in Homs."
    assert [(e.cameo, e.source and e.source.code, e.target and e.target.code)
            for e in code_text(layered, text, "2018-03-01").events] == [
        ("190", "SYRMIL", "SYRREB")]
    # no verb pattern of ours codes it (the classifier may rescue it: that is not a pattern)
    assert [e for e in code_text(pipeline, text, "2018-03-01").events
            if e.method != "classifier"] == []
    ours = "Turkish jets bombed Kurdish villages near Afrin."
    assert [e.cameo for e in code_text(layered, ours, "2018-03-01").events] == [
        e.cameo for e in code_text(pipeline, ours, "2018-03-01").events]


@pytest.mark.parametrize(("text", "lemma", "object_", "ours"), [
    ("Egyptian protesters staged a demonstration against the government in Cairo.", "stage",
     "demonstration", "141"),
    ("Israel closed the border with Gaza on Monday.", "close", "border", "191"),
    ("Iran clinched a deal with Iraq on oil exports.", "clinch", "deal", "057"),
    ("The European Union lifted sanctions on Iran.", "lift", "sanction", "085"),
    ("Russia moved troops to the Ukrainian border.", "move", "troop", "154"),
    ("Turkey lodged a protest with Greece over the incident.", "lodge", "protest", "114"),
])
def test_where_petrarch_codes_one_of_our_verbs_otherwise_ours_wins(
        pipeline: Pipeline, text: str, lemma: str, object_: str, ours: str) -> None:
    theirs = load_patterns(packaged(LOWER_PATTERNS_FILE))[("VERB", lemma)]
    assert any(object_ in p.objects and p.cameo[:2] != ours[:2] for p in theirs)
    layered = Pipeline(dataclasses.replace(pipeline.resources,
                                           events=EventCoder.load(petrarch=True)))
    assert [e.cameo for e in code_text(layered, text, "2018-03-01").events] == [ours]
