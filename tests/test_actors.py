"""The actors stage: mentions resolved to the right actor and CAMEO code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from whodid import Article, Mention, Options, Pipeline, read_inputs

from .conftest import SEEDS, SHARED, code_text, require_shared

CASES = yaml.safe_load((Path(__file__).parent / "data" / "actor_cases.yaml").read_text("utf-8"))

# Every entry of `actors` in ../shared/gold/seeds.jsonl: (seed, mention, person or group, code).
SEED_ACTORS = [
    ("000_912e81fc23c2b31a", "Barzani", "Masoud Barzani", "IRQGOV"),
    ("000_912e81fc23c2b31a", "Carter", "Ashton Carter", "USAGOV"),
    ("001_498e05537b24f498", "Barzani", "Masrour Barzani", "IRQGOV"),
    ("001_498e05537b24f498", "Barzano", "Masrour Barzani", "IRQGOV"),
    ("001_498e05537b24f498", "Mike Pompeo", "Mike Pompeo", "USAGOV"),
    ("001_498e05537b24f498", "Dan Brouillette", "Dan Brouillette", "USAGOV"),
    ("002_3fb3bd38c7072cf8", "Myles Caggins", "Myles Caggins", "USAMIL"),
    ("002_3fb3bd38c7072cf8", "Cagginz", "Myles Caggins", "USAMIL"),
    ("002_3fb3bd38c7072cf8", "SDF", "Syrian Democratic Forces", "SYRREB"),
    ("002_3fb3bd38c7072cf8", "SFD", "Syrian Democratic Forces", "SYRREB"),
    ("002_3fb3bd38c7072cf8", "ISIS", "Islamic State", "IMGMUSISI"),
]


def mention_at(article: Article, start: int, end: int) -> Mention | None:
    """Return the mention overlapping [start, end) the most, if any."""
    def overlap(m: Mention) -> int:
        return min(end, m.end) - max(start, m.start)

    overlapping = [m for m in article.mentions if overlap(m) > 0 and m.label != "GROUP"]
    return max(overlapping, key=overlap, default=None)


@pytest.fixture(scope="module")
def coded_seeds(pipeline: Pipeline, options: Options) -> dict[str, Article]:
    articles = [a for a in read_inputs([str(SEEDS)], options) if isinstance(a, Article)]
    return {a.id: a for a in pipeline(articles) if isinstance(a, Article)}


def test_the_seed_actor_list_is_the_gold_list() -> None:
    gold = SHARED / "gold" / "seeds.jsonl"
    require_shared(gold)
    entries = [(row["doc"].removesuffix(".txt"), a["mention"], a["name"], a["code"])
               for row in map(json.loads, gold.read_text("utf-8").splitlines())
               for a in row["actors"]]
    assert entries == SEED_ACTORS


@pytest.mark.parametrize(("seed", "text", "name", "code"), SEED_ACTORS,
                         ids=[f"{s[:3]}-{m}" for s, m, _, _ in SEED_ACTORS])
def test_seed_actor(coded_seeds: dict[str, Article], seed: str, text: str, name: str,
                    code: str) -> None:
    article = coded_seeds[seed]
    def names(mention: Mention) -> bool:  # "Barzani", "Barzani’s", "Colonel Myles Caggins"
        bare = mention.text.removesuffix("’s").removesuffix("'s")
        return bare == text or (mention.label == "PERSON" and bare.endswith(" " + text))

    found = [m for m in article.mentions if m.label != "GROUP" and names(m)]
    assert found, f"no mention of {text!r}"
    for mention in found:
        assert mention.actor is not None
        assert (mention.actor.name, mention.actor.code) == (name, code), mention


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['mention']}" for i, c in enumerate(CASES)])
def test_mention_in_context(pipeline: Pipeline, case: dict[str, Any]) -> None:
    article = code_text(pipeline, case["text"], case.get("published"))
    start = case["text"].index(case["mention"])
    mention = mention_at(article, start, start + len(case["mention"]))
    code = mention.actor.code if mention and mention.actor else None
    assert code == case["code"], (case["why"], mention)
    if case.get("name"):
        assert mention is not None and mention.actor is not None
        assert mention.actor.name == case["name"], (case["why"], mention)


def test_the_case_table_spans_countries_and_sectors() -> None:
    codes = [c["code"] for c in CASES if c["code"]]
    assert len(CASES) >= 150
    assert len({code[:3] for code in codes}) >= 40
    assert {code[3:6] for code in codes} >= {"GOV", "MIL", "COP", "REB", "OPP", "LEG", "JUD"}


@pytest.mark.parametrize(("text", "agent", "members"), [
    ("U.S. and South Korean troops started their annual drills.", "U.S. and South Korean troops",
     ["USAMIL", "KORMIL"]),
    ("French, British and German diplomats met in Vienna.", "French, British and German diplomats",
     ["FRAGOV", "GBRGOV", "DEUGOV"]),
    ("U.S. and Afghan special forces raided the compound.", "U.S. and Afghan special forces",
     ["USAMIL", "AFGMIL"]),
    ("U.S.-trained Afghan troops attacked the Taliban.", "U.S.-trained Afghan troops", []),
    ("The Iraqi army and police retook the town.", "The Iraqi army", []),
])
def test_an_agent_of_conjoined_countries_has_one_member_per_country(
        pipeline: Pipeline, text: str, agent: str, members: list[str]) -> None:
    article = code_text(pipeline, text, "2021-06-01")
    start = text.index(agent)
    mention = mention_at(article, start, start + len(agent))
    assert mention is not None and mention.label == "AGENT"
    assert [m.code for m in mention.members] == members
