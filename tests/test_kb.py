"""The knowledge base data and the PETRARCH dictionary reader."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from whodid.knowledge.importers import parse_petrarch_actors, phrase_to_name
from whodid.knowledge.kb import (
    PHOENIX_FILE,
    Entity,
    Role,
    add_below,
    entities_from_actors_tsv,
    kb_file_sizes,
    load_knowledge_base,
    validate_entity,
)
from whodid.knowledge.rules import RuleFileError, packaged

from .conftest import REPO


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_knowledge_base()


def test_every_shipped_entity_is_well_formed(kb) -> None:  # type: ignore[no-untyped-def]
    problems = [p for entity in kb.entities.values() for p in validate_entity(entity)]
    assert problems == []


def test_the_readme_states_the_size_of_every_knowledge_base_file() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name, size in kb_file_sizes().items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}` |")),
                   None)
        assert row is not None, f"README has no row for {name}"
        assert row.endswith(f"| {size} |"), f"README says {row!r}; {name} has {size} entries"


@pytest.mark.parametrize(("name", "day", "code"), [
    ("Masoud Barzani", date(2016, 11, 23), "IRQGOV"),
    ("Masrour Barzani", date(2020, 2, 14), "IRQGOV"),
    ("Mike Pompeo", date(2017, 6, 1), "USASPY"),
    ("Mike Pompeo", date(2019, 6, 1), "USAGOV"),
    ("Ashton Carter", date(2016, 11, 23), "USAGOV"),
])
def test_people_hold_the_role_of_the_day(kb, name: str, day: date, code: str) -> None:  # type: ignore[no-untyped-def]
    (person,) = [e for e in kb.entities_for_alias(name) if e.kind == "person"]
    role = person.role_on(day)
    assert role is not None and role.code == code


def test_an_organisation_can_change_code_with_the_date(kb) -> None:  # type: ignore[no-untyped-def]
    (taliban,) = kb.entities_for_alias("Taliban")
    assert taliban.role_on(date(2010, 1, 1)).code == "AFGREB"
    assert taliban.role_on(date(2022, 1, 1)).code == "AFGGOV"


def test_acronyms_match_only_in_capitals(kb) -> None:  # type: ignore[no-untyped-def]
    assert [e.code for e in kb.entities_for_alias("IS")] == ["IMGMUSISI"]
    assert kb.entities_for_alias("is") == []
    assert [e.code for e in kb.entities_for_alias("US")] == ["USA"]
    assert kb.entities_for_alias("us") == []


def test_petrarch_records_restrictions_and_comments() -> None:
    text = ("<!-- header\nspanning lines -->\n"
            "BARACK_OBAMA_  [USAELI] ; a comment\n+PRESIDENT_OBAMA_\n"
            "\t[USAGOV 090120-170120]\n\t[USAELI >170120]\n"
            "ABU_BAKR_AL-BAGHDADI_ [IMGMUSISI 100516-191027] # inline restriction\n"
            "JAMES_BYRNES_\n\t[USAELI 18970101-450703]\n\t[USAGOV <470121]\n"
            "+ORPHAN_IS_FINE_HERE_\n"
            "NO_CODE_AT_ALL_\n")
    records, problems = parse_petrarch_actors(text)
    by_name = {r["name"]: r for r in records}
    assert set(by_name) == {"Barack Obama", "Abu Bakr Al-Baghdadi", "James Byrnes"}
    obama = by_name["Barack Obama"]
    assert obama["aliases"] == ["President Obama"]
    assert [(r["code"], r["start"], r["end"]) for r in obama["roles"]] == [
        ("USAELI", None, None), ("USAGOV", "2009-01-20", "2017-01-20"),
        ("USAELI", "2017-01-20", None)]
    assert by_name["Abu Bakr Al-Baghdadi"]["roles"][0]["start"] == "2010-05-16"
    byrnes = by_name["James Byrnes"]["roles"]
    assert (byrnes[0]["start"], byrnes[0]["end"], byrnes[1]["end"]) == (
        "1897-01-01", "1945-07-03", "1947-01-21")
    assert by_name["James Byrnes"]["aliases"] == ["Orphan Is Fine Here"]
    assert [p.message for p in problems] == ["'No Code At All' has no code; skipped"]


def test_bad_restrictions_are_reported_with_their_line() -> None:
    records, problems = parse_petrarch_actors("GOOD_ [IRQ]\nBAD_ [IRQGOV 2020-2021]\n")
    assert [r["name"] for r in records] == ["GOOD"]
    assert problems[0].line == 2 and "unreadable" in problems[0].message


@pytest.mark.parametrize(("phrase", "name"), [
    ("MASOUD_BARZANI_", "Masoud Barzani"), ("UN", "UN"), ("SDF_", "SDF"),
    ("ISLAMIC_STATE_", "Islamic State")])
def test_dictionary_phrases_become_names(phrase: str, name: str) -> None:
    assert phrase_to_name(phrase) == name


PEOPLE = """\
- id: aram-test
  name: Aram Testian
  roles:
    - {title: Mayor of Qamishli, code: SYRGOV, country: SYR, start: 2019-01-01}
"""


def test_extra_files_and_folders_add_to_the_packaged_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(PEOPLE, "utf-8")
    layer = tmp_path / "layer"
    layer.mkdir()
    (layer / "agents.tsv").write_text("# a layer's agents\nterm\tsector\tkind\n"
                                      "water carrier\tCVL\tgroup\n", "utf-8")
    kb = load_knowledge_base(files=[tmp_path / "people.yaml", layer])
    (person,) = kb.entities_for_alias("Aram Testian")
    assert person.role_on(date(2020, 1, 1)).code == "SYRGOV"
    assert kb.agent("water carrier") is not None and kb.agent("minister") is not None
    assert kb.entities_for_alias("Masoud Barzani")


def test_layer_folders_replace_the_packaged_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(PEOPLE, "utf-8")
    (tmp_path / "notes.txt").write_text("not a knowledge-base file", "utf-8")
    kb = load_knowledge_base(folders=[tmp_path])
    assert [e.id for e in kb.entities.values()] == ["aram-test"]


@pytest.mark.parametrize(("name", "text", "where"), [
    ("people.yaml", PEOPLE + "- {id: no-name, code: SYRGOV}\n", ":5: record 'no-name': KeyError"),
    ("people.yaml", "- id: x\n  name: [unclosed\n", ":3: not valid YAML"),
    ("agents.tsv", "term\tsector\tkind\nsoldier\tMIL\n", ":2: 2 tab-separated fields"),
    ("agents.tsv", "term\tkind\nsoldier\tgroup\n", ":2: no column sector"),
    ("people.txt", "", ": not a knowledge-base file"),
])
def test_a_bad_knowledge_base_file_names_the_file_and_line(tmp_path: Path, name: str, text: str,
                                                            where: str) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_knowledge_base(files=[path])
    assert str(caught.value).startswith(f"{path}{where}")


def test_a_lower_layer_adds_only_the_names_the_curated_layers_lack() -> None:
    kb = load_knowledge_base()
    ours = kb.entities_for_alias("Masoud Barzani")
    theirs = Entity(id="petrarch:masoud-barzani", name="Masoud Barzani",
                    aliases=("Kak Masoud", "Mesud Barzaniyi"), kind="person", origin="phoenix",
                    roles=(Role("PETRARCH dictionary", "IRQGOV", start=date(1990, 1, 1)),))
    assert add_below(kb, theirs)
    assert kb.entities_for_alias("Masoud Barzani") == ours
    added = kb.entities_for_alias("Mesud Barzaniyi")
    assert [e.id for e in added] == ["petrarch:masoud-barzani"]
    assert [e.id for e in kb.entities_for_alias("Kak Masoud")] == [o.id for o in ours]
    assert not add_below(kb, Entity(id="x", name="Masoud Barzani", kind="person"))


@pytest.mark.skipif(os.environ.get("WHODID_SKIP_SLOW") == "1", reason="loads 26,000 actors")
def test_the_phoenix_layer_brings_dated_people_under_the_curated_ones() -> None:
    kb = load_knowledge_base(phoenix=True)
    (abadi,) = kb.entities_for_alias("Haider al-Abadi")
    assert abadi.origin == "kb"
    (ghali,) = kb.entities_for_alias("Boutros Boutros-Ghali")
    assert ghali.origin == "phoenix"
    role = ghali.role_on(date(1994, 5, 1))
    assert role is not None and role.code == "IGOUNO"
    assert ghali.role_on(date(1994, 5, 1)) != ghali.role_on(date(2000, 5, 1))


def test_compact_actor_lines_give_dated_roles_and_report_a_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "actors.tsv"
    good.write_text("id\tname\tkind\taliases\troles\tprovenance\n"
                    "p:x\tAli Test\tperson\tA. Test|Test Ali\t"
                    "IRQGOV 2014-09-08 -;IRQELI - -\tf:1\n", "utf-8")
    (ali,) = entities_from_actors_tsv(good)
    assert ali.aliases == ("A. Test", "Test Ali")
    role = ali.role_on(date(2015, 1, 1))
    assert role is not None and (role.code, role.country, role.sector) == ("IRQGOV", "IRQ", "GOV")
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tname\tkind\taliases\troles\tprovenance\n"
                   "p:y\tY\tperson\t\tIRQGOV 2014\tf:2\n", "utf-8")
    with pytest.raises(RuleFileError, match=r"bad.tsv:2"):
        list(entities_from_actors_tsv(bad))


PHOENIX = Path("/work/shared/dictionaries/petrarch2")


@pytest.mark.skipif(not PHOENIX.exists(), reason="the Phoenix dictionaries are not here")
def test_the_shipped_phoenix_layer_is_what_the_converter_makes(tmp_path: Path) -> None:
    out = tmp_path / "phoenix_actors.tsv"
    subprocess.run([sys.executable, str(REPO / "scripts" / "convert_phoenix_actors.py"),
                    str(PHOENIX), str(out)], check=True, capture_output=True,
                   env={"PYTHONPATH": str(REPO)})
    assert out.read_text("utf-8") == packaged(PHOENIX_FILE).read_text("utf-8")
