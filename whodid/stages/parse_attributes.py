"""The attribute rules of the spaCy model, applied without spaCy's Matcher, with the same result.

The stock ``attribute_ruler`` of en_core_web_sm sets POS, MORPH and LEMMA (and TAG and DEP of
spaces) from 179 Matcher patterns; its Matcher evaluates Python predicates (``IN``, ``REGEX``)
on every token and builds a Span per match, a seventh of spaCy's time. ``AttributeRules`` reads
the stock component's own rules when the model loads (``compile_rules``) and answers the same:

1. The stock component runs its Matcher over the Doc first, then applies the matches sorted by
   rule number, each setting its attributes on the token at the rule's ``index`` within the
   match; so every condition is tested on the Doc as the parser left it, and for each attribute
   the matched rule of highest number wins.
2. Which token conditions a token meets depends only on the token features they read (e.g.
   LOWER, TAG, DEP, IS_SPACE): the answer is computed once per distinct feature tuple and kept
   (``Rulebook.entry``), with the attributes that one-token rules set on such a token merged.
3. A rule of several tokens is tried only where a token meets its first condition.
4. The new attribute columns are written back at once with ``Doc.from_array``.

A rule the evaluator cannot read exactly (another key, operator, value type or an ``OP``
quantifier) makes ``compile_rules`` return None, and the stock component stays in place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id

if TYPE_CHECKING:
    import numpy as np
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.strings import StringStore
    from spacy.tokens import Doc

STOCK = "attribute_ruler"
FACTORY = "whodid_attribute_rules"
LEMMATIZER = "lemmatizer"
LEMMAS_FACTORY = "whodid_cached_lemmas"
# Token keys whose Matcher value is the Doc.to_array value: string hashes, then flags (0/1).
STRING_KEYS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "DEP": DEP}
FLAG_KEYS = {"IS_SPACE": IS_SPACE}
OPERATORS = ("IN", "NOT_IN", "REGEX")
# Attributes a rule may set: Token.set_struct_attr stores each as is and the lexeme keeps none.
SET_ATTRS = frozenset({POS, TAG, MORPH, LEMMA, DEP})
# Distinct feature tuples remembered before the memo starts afresh (memory bound, same answers).
MEMO_LIMIT = 200_000


class UnsupportedRule(ValueError):
    """A rule of the stock component that ``compile_rules`` cannot evaluate exactly."""


@dataclass(frozen=True)
class Check:
    """One test on one token feature: ``column`` of ``Rulebook.read``, ``operator`` one of
    "==", "IN", "NOT_IN", "REGEX", and its ``value`` (a hash, a set of hashes or a regex)."""

    column: int
    operator: str
    value: Any


@dataclass(frozen=True)
class Pattern:
    """One Matcher pattern of rule ``rule``: the condition numbers of its tokens, in order, and
    ``target``, the token of the match that takes the rule's attributes (0-based)."""

    rule: int
    conditions: tuple[int, ...]
    target: int


@dataclass(frozen=True)
class Entry:
    """What the rules say of a token with a given feature tuple: the conditions it meets, the
    one-token rules it matches (ascending), the row of ``Rulebook.written`` they leave (None:
    unchanged) and the patterns of several tokens whose first condition it meets."""

    met: frozenset[int]
    rules: tuple[int, ...]
    row: tuple[int | None, ...]
    starts: tuple[Pattern, ...]


@dataclass
class Rulebook:
    """The stock component's rules compiled: the features read (``read``, attribute ids), the
    distinct token conditions (each a tuple of ``Check``), the patterns, the attributes each
    rule sets (``attrs``), the attributes any rule sets (``written``) and the memo of entries.

    Built from them: ``index``, the conditions to test for a feature value (column, value) that
    one of their "==" or "IN" checks needs (the others, ``unindexed``, are tested always), and
    per condition the one-token rules it makes (``rules_of``) and the longer patterns it starts
    (``starts_of``), so a new feature tuple costs a few tests, not one per rule."""

    strings: StringStore
    read: tuple[int, ...]
    conditions: list[tuple[Check, ...]]
    patterns: list[Pattern]
    attrs: list[dict[int, int]]
    written: tuple[int, ...]
    memo: dict[tuple[int, ...], Entry] = field(default_factory=dict)
    # one Entry per distinct set of conditions met, shared by every memo key that meets it
    entries: dict[frozenset[int], Entry] = field(default_factory=dict)
    memo_limit: int = MEMO_LIMIT
    index: dict[tuple[int, int], list[int]] = field(init=False, default_factory=dict)
    unindexed: list[int] = field(init=False, default_factory=list)
    rules_of: dict[int, list[int]] = field(init=False, default_factory=dict)
    starts_of: dict[int, list[Pattern]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for number, checks in enumerate(self.conditions):
            keys = next(([(c.column, c.value)] if c.operator == "==" else
                         [(c.column, value) for value in c.value]
                         for c in checks if c.operator in ("==", "IN")), None)
            if keys is None:
                self.unindexed.append(number)
            for key in keys or ():
                self.index.setdefault(key, []).append(number)
        for pattern in self.patterns:
            if len(pattern.conditions) == 1:
                self.rules_of.setdefault(pattern.conditions[0], []).append(pattern.rule)
            else:
                self.starts_of.setdefault(pattern.conditions[0], []).append(pattern)

    def entry(self, features: tuple[int, ...]) -> Entry:
        """Return the Entry of a token whose ``read`` features are ``features`` (memoised)."""
        found = self.memo.get(features)
        if found is None:
            if len(self.memo) >= self.memo_limit:
                self.memo.clear()
            found = self.memo[features] = self.new_entry(features)
        return found

    def new_entry(self, features: tuple[int, ...]) -> Entry:
        """Return the Entry of ``features``: the conditions it meets among those ``index``
        names for its values and the ``unindexed`` ones, and what they make."""
        candidates = {number for column, value in enumerate(features)
                      for number in self.index.get((column, value), ())}
        met = frozenset(number for number in candidates.union(self.unindexed)
                        if all(self.passes(check, features)
                               for check in self.conditions[number]))
        shared = self.entries.get(met)
        if shared is not None:
            return shared
        rules = tuple(sorted({rule for number in met for rule in self.rules_of.get(number, ())}))
        starts = tuple(sorted((pattern for number in met
                               for pattern in self.starts_of.get(number, ())),
                              key=lambda pattern: pattern.rule))
        entry = self.entries[met] = Entry(met, rules, self.row(rules), starts)
        return entry

    def passes(self, check: Check, features: tuple[int, ...]) -> bool:
        """Return whether ``features`` pass ``check`` as the stock Matcher's predicate would."""
        value = features[check.column]
        if check.operator == "==":
            return bool(value == check.value)
        if check.operator == "IN":
            return value in check.value
        if check.operator == "NOT_IN":
            return value not in check.value
        return check.value.search(self.strings[value]) is not None

    def row(self, rules: Iterable[int]) -> tuple[int | None, ...]:
        """Return the ``written`` attributes that ``rules`` applied in ascending order leave on
        a token (None where none of them sets the attribute)."""
        merged: dict[int, int] = {}
        for rule in sorted(rules):
            merged.update(self.attrs[rule])
        return tuple(merged.get(attr) for attr in self.written)


def compile_rules(ruler: AttributeRuler) -> Rulebook | None:
    """Return the Rulebook of the stock ``ruler`` (its ``patterns``, normalised ``attrs`` and
    ``indices``), or None when one of its rules is not one the evaluator can read exactly."""
    try:
        return _compile(ruler)
    except UnsupportedRule:
        return None


def _compile(ruler: AttributeRuler) -> Rulebook:
    """Return the Rulebook of ``ruler``; raise UnsupportedRule for a rule it cannot read."""
    rules = cast("list[dict[str, Any]]", ruler.patterns)
    keys = sorted({str(key).upper() for rule in rules for pattern in rule["patterns"]
                   for spec in pattern for key in spec})
    unknown = [key for key in keys if key not in STRING_KEYS and key not in FLAG_KEYS]
    if unknown:
        raise UnsupportedRule(f"token keys {unknown}")
    read = tuple(sorted({STRING_KEYS.get(key) or FLAG_KEYS[key] for key in keys}))
    conditions: dict[str, int] = {}
    compiled: list[tuple[Check, ...]] = []
    patterns = []
    for number, (rule, attrs, index) in enumerate(zip(rules, ruler.attrs, ruler.indices,
                                                      strict=True)):
        if not set(attrs) <= SET_ATTRS:
            raise UnsupportedRule(f"rule {number} sets {rule['attrs']}")
        for pattern in rule["patterns"]:
            numbers = []
            for spec in pattern:
                text = json.dumps(spec, sort_keys=True)
                if text not in conditions:
                    conditions[text] = len(compiled)
                    compiled.append(compile_condition(spec, read, ruler.vocab.strings))
                numbers.append(conditions[text])
            target = index + len(numbers) if index < 0 else index
            if not 0 <= target < len(numbers):
                raise UnsupportedRule(f"rule {number}: index {index}")
            patterns.append(Pattern(number, tuple(numbers), target))
    written = tuple(sorted({attr for attrs in ruler.attrs for attr in attrs}))
    return Rulebook(ruler.vocab.strings, read, compiled, patterns,
                    [dict(attrs) for attrs in ruler.attrs], written)


def compile_condition(spec: dict[str, Any], read: tuple[int, ...],
                      strings: StringStore) -> tuple[Check, ...]:
    """Return the Checks of one Matcher token ``spec`` (e.g. ``{"TAG": "DT", "LOWER": {"IN":
    ["a", "an"]}}``) over the columns ``read``; raise UnsupportedRule for what it cannot read."""
    checks = []
    for key, value in spec.items():
        if not isinstance(key, str):
            raise UnsupportedRule(f"token key {key!r}")
        attr = STRING_KEYS.get(key.upper()) or FLAG_KEYS[key.upper()]
        column = read.index(attr)
        if key.upper() in FLAG_KEYS:
            if not isinstance(value, bool):
                raise UnsupportedRule(f"{key}: {value!r}")
            checks.append(Check(column, "==", int(value)))
        elif isinstance(value, str):
            checks.append(Check(column, "==", strings.add(value)))
        elif isinstance(value, dict) and value and set(value) <= set(OPERATORS):
            checks.extend(compile_operator(column, operator, argument)
                          for operator, argument in value.items())
        else:
            raise UnsupportedRule(f"{key}: {value!r}")
    return tuple(checks)


def compile_operator(column: int, operator: str, argument: Any) -> Check:
    """Return the Check of ``{operator: argument}`` on ``column``: IN and NOT_IN over a list of
    strings, REGEX of a string pattern (searched in the feature's text, as the Matcher does)."""
    if operator == "REGEX" and isinstance(argument, str):
        return Check(column, operator, re.compile(argument))
    if operator != "REGEX" and isinstance(argument, list) and all(
            isinstance(item, str) for item in argument):
        return Check(column, operator, frozenset(get_string_id(item) for item in argument))
    raise UnsupportedRule(f"{operator}: {argument!r}")


class AttributeRules:
    """The pipeline component that sets what the stock attribute ruler sets, from a Rulebook."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.rows: dict[tuple[int | None, ...], int] = {}
        self.values: list[list[int]] = []
        self.masks: list[list[bool]] = []

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, MORPH, LEMMA... of ``doc``'s tokens as the stock rules would; return it."""
        if not len(doc):
            return doc
        book = self.rulebook
        entries = [book.entry(features)
                   for features in map(tuple, doc.to_array(list(book.read)).tolist())]
        rows = [self.row_number(entry.row) for entry in entries]
        for position, merged in several_token_rows(book, entries).items():
            rows[position] = self.row_number(merged)
        columns = doc.to_array(list(book.written))
        doc.from_array(list(book.written), self.overwrite(columns, rows))  # type: ignore[arg-type]
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Yield each Doc of ``stream`` with its attributes set (``__call__``)."""
        for doc in stream:
            yield self(doc)

    def row_number(self, row: tuple[int | None, ...]) -> int:
        """Return the number of the distinct ``row`` (adding it to ``values`` and ``masks``)."""
        number = self.rows.get(row)
        if number is None:
            number = self.rows[row] = len(self.values)
            self.values.append([0 if value is None else value for value in row])
            self.masks.append([value is not None for value in row])
        return number

    def overwrite(self, columns: np.ndarray[Any, Any], rows: list[int]) -> np.ndarray[Any, Any]:
        """Return ``columns`` (one line a token) with each token's row of values in place of
        the old values where the row sets one."""
        import numpy

        values = numpy.array(self.values, dtype=numpy.uint64)[rows]
        masks = numpy.array(self.masks, dtype=bool)[rows]
        return numpy.where(masks, values, columns)


def several_token_rows(book: Rulebook, entries: list[Entry]) -> dict[int, tuple[int | None, ...]]:
    """Return, for each token that a rule of several tokens reaches, its row of ``written``
    values with all the rules that match it applied in order (one-token ones included)."""
    reached: dict[int, set[int]] = {}
    for start, entry in enumerate(entries):
        for pattern in entry.starts:
            end = start + len(pattern.conditions)
            if end <= len(entries) and all(
                    condition in entries[start + offset].met
                    for offset, condition in enumerate(pattern.conditions)):
                reached.setdefault(start + pattern.target, set()).add(pattern.rule)
    return {position: book.row(rules | set(entries[position].rules))
            for position, rules in reached.items()}


def make_attribute_rules(nlp: Language, name: str, stock: str) -> AttributeRules:
    """Return the AttributeRules compiled from ``nlp``'s component ``stock``."""
    rulebook = compile_rules(nlp.get_pipe(stock))  # type: ignore[arg-type]
    if rulebook is None:
        raise ValueError(f"the rules of {stock!r} cannot be compiled")
    return AttributeRules(rulebook)


def use_attribute_rules(nlp: Language) -> Language:
    """Put AttributeRules in place of ``nlp``'s stock attribute ruler (same name and position)
    when ``compile_rules`` reads all its rules; else leave ``nlp`` as it is. Return ``nlp``."""
    if STOCK in nlp.pipe_names and compile_rules(
            nlp.get_pipe(STOCK)) is not None:  # type: ignore[arg-type]
        replace_component(nlp, STOCK, FACTORY, make_attribute_rules)
    return nlp


def replace_component(nlp: Language, stock: str, factory: str,
                      make: Callable[[Language, str, str], Any]) -> None:
    """Put the component that ``make(nlp, name, stock)`` returns (registered as ``factory``) in
    place of ``nlp``'s component ``stock``, under the same name and at the same position."""
    if not Language.has_factory(factory):
        Language.factory(factory, default_config={"stock": stock}, func=make)
    nlp.add_pipe(factory, name=factory, after=stock, config={"stock": stock})
    nlp.remove_pipe(stock)
    nlp.rename_pipe(factory, stock)


class CachedLemmas:
    """The pipeline component that sets the lemmas the stock rule lemmatizer ``stock`` sets,
    asking it once per distinct (ORTH, POS, MORPH): its answer depends on nothing else.

    ``stock`` (taken out of the pipeline, this component's own) gets its "lemma_index" lists
    (up to 57,000 words for nouns) as frozensets: ``rule_lemmatize`` only asks whether a form is
    in one, which a list answers by a scan, a fifth of a millisecond a new word."""

    def __init__(self, stock: Lemmatizer, memo_limit: int = MEMO_LIMIT) -> None:
        index = stock.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            index[pos] = frozenset(words)
        self.stock = stock
        self.memo: dict[tuple[int, int, int], int] = {}
        self.memo_limit = memo_limit

    def __call__(self, doc: Doc) -> Doc:
        """Set the LEMMA of ``doc``'s tokens that have none (all of them when the stock one
        overwrites) as the stock lemmatizer would; return ``doc``."""
        import numpy

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        overwrite = self.stock.overwrite
        lemmas = [lemma if lemma and not overwrite else self.lemma(doc, i, (orth, pos, morph))
                  for i, (orth, pos, morph, lemma) in enumerate(rows)]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))  # type: ignore[arg-type]
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Yield each Doc of ``stream`` with its lemmas set (``__call__``)."""
        for doc in stream:
            yield self(doc)

    def lemma(self, doc: Doc, position: int, key: tuple[int, int, int]) -> int:
        """Return the hash of the stock lemma of ``doc[position]``, whose ORTH, POS and MORPH
        are ``key`` (memoised, but for a token without POS: each lemmatizing of one warns)."""
        found = self.memo.get(key)
        if found is None:
            found = self.stock.vocab.strings.add(self.stock.lemmatize(doc[position])[0])
            if key[1]:
                if len(self.memo) >= self.memo_limit:
                    self.memo.clear()
                self.memo[key] = found
        return found


def make_cached_lemmas(nlp: Language, name: str, stock: str) -> CachedLemmas:
    """Return the CachedLemmas of ``nlp``'s rule lemmatizer ``stock``."""
    return CachedLemmas(nlp.get_pipe(stock))  # type: ignore[arg-type]


def use_cached_lemmas(nlp: Language) -> Language:
    """Put CachedLemmas in place of ``nlp``'s lemmatizer (same name and position) when it is
    spaCy's English rule lemmatizer with its tables; else leave ``nlp`` as it is. Return it."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    stock = nlp.get_pipe(LEMMATIZER) if LEMMATIZER in nlp.pipe_names else None
    if (isinstance(stock, Lemmatizer) and type(stock) in (Lemmatizer, EnglishLemmatizer)
            and stock.mode == "rule"
            and all(table in stock.lookups for table in stock.get_lookups_config("rule")[0])):
        replace_component(nlp, LEMMATIZER, LEMMAS_FACTORY, make_cached_lemmas)
    return nlp
