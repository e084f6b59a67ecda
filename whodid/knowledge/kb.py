"""The actor knowledge base: countries, regions, organisations, people with dated roles, agents.

Shipped as data files in ``data/kb/`` (see the README for their formats and sizes). The options
``kb_folders`` and ``kb_files`` may name other layers: folders and files of the same formats,
loaded in order (``load_knowledge_base``). Actors that users add (``whodid actors add``/
``import``) and actors learned from the corpus come from the database and are merged in last,
when the pipeline is loaded.

Lookups the actors stage needs:
- ``entities_for_alias``: the entities an exact name, alias, demonym or capital means;
- ``people_with_surname``: the people whose name ends in a surname;
- ``nationality``: the country (or region/organisation) a modifier word names ("US", "Iraqi");
- ``agent``: the sector a title or group noun implies ("minister" GOV, "troop" MIL).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from whodid.knowledge.rules import (
    RuleFileError,
    packaged,
    read_tsv,
    yaml_item_lines,
    yaml_list,
)

KB_FOLDER = "kb"  # the packaged layer, under whodid/data/
# The Phoenix layer (scripts/convert_phoenix_actors.py), loaded below the others on request.
PHOENIX_FILE = "kb_phoenix/phoenix_actors.tsv"
PHOENIX_ROLE = "PETRARCH dictionary"
# The TSV files of a layer, by name; YAML files are lists of actor records.
COUNTRIES, AGENTS, ETHNIC_TERMS = "countries.tsv", "agents.tsv", "ethnic_religious.tsv"
YAML_SUFFIXES = (".yaml", ".yml")
CODE_PATTERN = re.compile(r"^[A-Z]{3}(?:[A-Z]{3})*$")
# Aliases written like this are matched case-sensitively: "US", "IS", "SDF", "KRG".
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9.&-]{0,7}$")


@dataclass(frozen=True)
class Role:
    """An office a person held from ``start`` to ``end`` (None: open), and the code it implies."""

    title: str
    code: str
    country: str | None = None
    sector: str | None = None
    ethnicity: str | None = None
    start: date | None = None
    end: date | None = None

    def holds_on(self, day: date) -> bool:
        """True when the role was held on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Entity:
    """A knowledge-base actor: a country, region, organisation or person."""

    id: str
    name: str
    kind: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    origin: str = "kb"

    def role_on(self, day: date | None, title_words: frozenset[str] = frozenset()) -> Role | None:
        """Return the role held on ``day`` (the one whose title shares ``title_words`` first).

        Without a day, the roles whose title shares words with ``title_words`` are preferred, then
        the most recent one.
        """
        if not self.roles:
            return None
        candidates = list(self.roles)
        if day is not None:
            candidates = [role for role in self.roles if role.holds_on(day)]
            if not candidates:
                return None
        if title_words:
            fitting = [r for r in candidates if title_words & _words(r.title)]
            candidates = fitting or candidates
        return max(candidates, key=lambda r: r.start or date.min)

    def last_role_before(self, day: date) -> Role | None:
        """Return the latest role that ended before ``day`` (for former officials)."""
        ended = [r for r in self.roles if r.end is not None and r.end < day]
        return max(ended, key=lambda r: r.end or date.min) if ended else None


@dataclass(frozen=True)
class Agent:
    """A title ("minister") or group noun ("troop") and the sector code it implies."""

    term: str
    sector: str | None
    kind: str


@dataclass
class KnowledgeBase:
    """The indexes over all entities and agents."""

    entities: dict[str, Entity] = field(default_factory=dict)
    alias_index: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    surname_index: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    agents: dict[str, Agent] = field(default_factory=dict)
    ethnic_terms: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, entity: Entity) -> None:
        """Add ``entity`` (replacing one of the same id) and index its names."""
        if entity.id in self.entities:
            self._unindex(self.entities[entity.id])
        self.entities[entity.id] = entity
        for alias in {entity.name, *entity.aliases}:
            if alias.strip():
                key = alias_key(alias)
                if entity.id not in self.alias_index[key]:
                    self.alias_index[key].append(entity.id)
        if entity.kind == "person":
            for name in {entity.name, *entity.aliases}:
                parts = name.split()
                if len(parts) >= 2:
                    surname = alias_key(parts[-1])
                    if entity.id not in self.surname_index[surname]:
                        self.surname_index[surname].append(entity.id)

    def _unindex(self, entity: Entity) -> None:
        for ids in (*self.alias_index.values(), *self.surname_index.values()):
            if entity.id in ids:
                ids.remove(entity.id)

    def entities_for_alias(self, text: str) -> list[Entity]:
        """Return the entities whose name or alias is ``text`` (acronyms compared exactly)."""
        found = [self.entities[i] for i in self.alias_index.get(alias_key(text), [])]
        return [e for e in found if _alias_fits(e, text)]

    def people_with_surname(self, surname: str) -> list[Entity]:
        """Return the people whose (alias) name ends in ``surname``."""
        return [self.entities[i] for i in self.surname_index.get(alias_key(surname), [])]

    def nationality(self, text: str) -> Entity | None:
        """Return the country, region or organisation a modifier like "US" or "Iraqi" names."""
        for entity in self.entities_for_alias(text):
            if entity.kind in ("country", "region", "organisation"):
                return entity
        return None

    def agent(self, term: str) -> Agent | None:
        """Return the agent (sector) a lower-case lemma phrase names, if any."""
        return self.agents.get(term.lower())

    def all_aliases(self) -> Iterator[tuple[str, Entity]]:
        """Yield (alias, entity) for every name and alias of every entity."""
        for entity in self.entities.values():
            for alias in {entity.name, *entity.aliases}:
                if alias.strip():
                    yield alias, entity


def alias_key(text: str) -> str:
    """Return the lookup key of a name: lower case, one space, typographic quotes made plain."""
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", text.lower())) - {"of", "the", "for", "and"}


def _alias_fits(entity: Entity, text: str) -> bool:
    """True when one of the entity's names is ``text``: in any case, but an acronym ("IS",
    "US", "SDF") only as written."""
    wanted = alias_key(text)
    for alias in (entity.name, *entity.aliases):
        if alias_key(alias) != wanted:
            continue
        if not ACRONYM.match(alias.replace(" ", "")) or " ".join(alias.split()) == " ".join(
                text.split()):
            return True
    return False


def _parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _columns(source: Traversable, wanted: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Yield the rows of a TSV file; RuleFileError at the first row when a column is missing."""
    for line, row in read_tsv(source):
        missing = [column for column in wanted if column not in row]
        if missing:
            raise RuleFileError(source, line, f"no column {', '.join(missing)} in the header")
        yield row


def countries_from_tsv(source: Traversable) -> Iterator[Entity]:
    """Yield a country entity for each row of a ``countries.tsv`` file (iso3, name, aliases,
    demonyms, capitals); demonyms and capitals are aliases.

    Capitals stand for the country as an actor ("Moscow said"), as in the Phoenix dictionaries.
    """
    for row in _columns(source, ("iso3", "name", "aliases", "demonyms", "capitals")):
        aliases = _split(row["aliases"]) + _split(row["demonyms"]) + _split(row["capitals"])
        yield Entity(id=row["iso3"], name=row["name"], kind="country", code=row["iso3"],
                     country=row["iso3"], aliases=aliases)


def agents_from_tsv(source: Traversable) -> Iterator[Agent]:
    """Yield the agents of an ``agents.tsv`` file (term, sector, kind)."""
    for row in _columns(source, ("term", "sector", "kind")):
        yield Agent(term=row["term"].lower(), sector=row["sector"] or None, kind=row["kind"])


def ethnic_terms_from_tsv(source: Traversable) -> Iterator[tuple[str, tuple[str, str]]]:
    """Yield (lower-case term, (code, kind)) for each row of an ``ethnic_religious.tsv`` file."""
    for row in _columns(source, ("term", "code", "kind")):
        yield row["term"].lower(), (row["code"], row["kind"])


def entities_from_file(source: Traversable, origin: str = "kb") -> list[Entity]:
    """Return the entities of a YAML list of actor records (``regions*`` files: regions);
    RuleFileError at the line of a record that is not one."""
    records = yaml_list(source)
    kind = "region" if source.name.startswith("regions") else None
    entities: list[Entity] = []
    for number, record in enumerate(records):
        try:
            if not isinstance(record, dict):
                raise TypeError(f"expected a mapping, found {type(record).__name__}")
            entities.extend(entities_from_records([record], kind, origin))
        except (KeyError, TypeError, ValueError) as e:
            line = yaml_item_lines(source)[number]
            name = f"record {record.get('id')!r}" if isinstance(record, dict) else "record"
            raise RuleFileError(source, line, f"{name}: {type(e).__name__}: {e}") from e
    return entities


def entities_from_records(records: Iterable[dict[str, Any]], kind: str | None,
                          origin: str = "kb") -> Iterator[Entity]:
    """Yield entities from YAML records (regions, organisations, people, user additions).

    A record with ``roles`` is a person; otherwise ``kind`` (or the record's own ``kind``:
    region, organisation; "igo", "armed_group"... count as organisation) decides.
    """
    for record in records:
        roles = tuple(
            Role(title=str(r.get("title", "")), code=str(r["code"]), country=r.get("country"),
                 sector=r.get("sector"), ethnicity=r.get("ethnicity"),
                 start=_parse_date(r.get("start")), end=_parse_date(r.get("end")))
            for r in record.get("roles") or [])
        own_kind = record.get("kind")
        if own_kind == "person" or (roles and own_kind is None and kind is None):
            record_kind = "person"
        elif kind is not None:
            record_kind = kind
        else:
            record_kind = "region" if own_kind == "region" else "organisation"
        code = record.get("code") or (roles[-1].code if roles else None)
        yield Entity(
            id=str(record["id"]), name=str(record["name"]), kind=record_kind, code=code,
            country=record.get("country") or (roles[-1].country if roles else None),
            sector=record.get("sector"), ethnicity=record.get("ethnicity"),
            religion=record.get("religion"),
            aliases=tuple(str(a) for a in record.get("aliases") or []), roles=roles,
            origin=origin)


def entities_from_actors_tsv(source: Traversable, origin: str = "phoenix") -> Iterator[Entity]:
    """Yield the entities of a compact actors TSV (``scripts/convert_phoenix_actors.py``):
    id, name, kind, aliases ('|'-list), roles (';'-list of "CODE START END", '-' for an open
    date), provenance. A role's country and sector are its code's first two parts."""
    for line, row in read_tsv(source):
        try:
            roles = tuple(_compact_role(text) for text in row["roles"].split(";") if text)
        except (KeyError, ValueError) as e:
            raise RuleFileError(source, line, f"{type(e).__name__}: {e}") from e
        yield Entity(id=row["id"], name=row["name"], kind=row["kind"],
                     code=roles[-1].code if roles else None,
                     country=roles[-1].country if roles else None,
                     aliases=_split(row["aliases"]), roles=roles, origin=origin)


def _compact_role(text: str) -> Role:
    """Return the role of "IRQGOV 2014-09-08 2018-10-25" ('-' for an open date)."""
    code, start, end = text.split()
    return Role(title=PHOENIX_ROLE, code=code, country=code[:3], sector=code[3:6] or None,
                start=None if start == "-" else date.fromisoformat(start),
                end=None if end == "-" else date.fromisoformat(end))


def validate_entity(entity: Entity) -> list[str]:
    """Return what is wrong with ``entity`` (empty when it is well formed)."""
    problems = []
    codes = [entity.code] if entity.code else []
    codes += [role.code for role in entity.roles]
    for code in codes:
        if not CODE_PATTERN.match(code):
            problems.append(f"{entity.id}: code {code!r} is not a CAMEO actor code")
    for role in entity.roles:
        if role.start and role.end and role.end < role.start:
            problems.append(f"{entity.id}: role {role.title!r} ends before it starts")
    if entity.kind != "person" and not entity.code:
        problems.append(f"{entity.id}: no code")
    return problems


def layer_files(folder: Traversable) -> list[Traversable]:
    """Return the knowledge-base files of a layer folder in loading order: ``countries.tsv``,
    the YAML files by name, ``agents.tsv``, ``ethnic_religious.tsv`` (other files are left)."""
    if not folder.is_dir():
        raise RuleFileError(folder, None, "not a folder of knowledge-base files")
    files = {item.name: item for item in folder.iterdir() if item.is_file()}
    yaml_names = sorted(name for name in files if name.endswith(YAML_SUFFIXES))
    return [files[name] for name in (COUNTRIES, *yaml_names, AGENTS, ETHNIC_TERMS)
            if name in files]


def add_file(kb: KnowledgeBase, source: Traversable) -> None:
    """Add the entries of one knowledge-base file to ``kb``, read as its name says
    (``layer_files``); RuleFileError for a file of another name."""
    if source.name == COUNTRIES:
        for entity in countries_from_tsv(source):
            kb.add(entity)
    elif source.name.endswith(YAML_SUFFIXES):
        for entity in entities_from_file(source):
            kb.add(entity)
    elif source.name == AGENTS:
        for agent in agents_from_tsv(source):
            kb.agents[agent.term] = agent
    elif source.name == ETHNIC_TERMS:
        kb.ethnic_terms.update(ethnic_terms_from_tsv(source))
    else:
        raise RuleFileError(source, None, f"not a knowledge-base file: expected {COUNTRIES}, "
                            f"{AGENTS}, {ETHNIC_TERMS} or a YAML list of actor records")


def kb_file_sizes() -> dict[str, int]:
    """Return the number of entries (rows or records) of each shipped knowledge-base file."""
    sizes = {}
    for source in layer_files(packaged(KB_FOLDER)):
        if source.name.endswith(YAML_SUFFIXES):
            sizes[source.name] = len(yaml_list(source))
        else:
            sizes[source.name] = sum(1 for _ in read_tsv(source))
    return dict(sorted(sizes.items()))


def add_below(kb: KnowledgeBase, entity: Entity) -> bool:
    """Add an entity of a lower layer with only the names no entity of ``kb`` has (ours win a
    name both have); False, and nothing added, when none of its names is left."""
    if entity.id in kb.entities:
        return False
    names = [n for n in dict.fromkeys((entity.name, *entity.aliases))
             if n.strip() and not kb.alias_index.get(alias_key(n))]
    if not names:
        return False
    kb.add(replace(entity, name=names[0], aliases=tuple(names[1:])))
    return True


def load_knowledge_base(extra: Iterable[Entity] = (), folders: Sequence[Path] | None = None,
                        files: Sequence[Path] = (), phoenix: bool = False) -> KnowledgeBase:
    """Return the knowledge base: the layer ``folders`` (None: the packaged one), then the
    extra ``files`` (a folder among them is a layer), then the ``extra`` entities (user-added,
    learned), each replacing an entity of the same id met before. With ``phoenix``, the Phoenix
    layer comes in below them all (``add_below``), with its dated roles.

    Raises RuleFileError naming the file (and line) of an entry that cannot be read.
    """
    kb = KnowledgeBase()
    layers: list[Traversable] = [packaged(KB_FOLDER)] if folders is None else list(folders)
    for folder in layers:
        for source in layer_files(folder):
            add_file(kb, source)
    for path in files:
        for source in layer_files(path) if path.is_dir() else [path]:
            add_file(kb, source)
    for entity in extra:
        kb.add(entity)
    if phoenix:
        for entity in entities_from_actors_tsv(packaged(PHOENIX_FILE)):
            add_below(kb, entity)
    return kb
