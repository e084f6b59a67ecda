"""Features of a parsed sentence for the event classifier: what its verbs do to what, and how
real the main one is.

``parse_features(sentence)`` reads a spaCy Span (or Doc) parsed with whodid's English model and
returns strings, each prefixed by its kind (lemmas lower-cased, digits folded to 0):

- ``V:kidnap``: the lemma of each verb;
- ``M:impose``: the lemma of the main verb: the root of each sentence, or, when the root is a
  reporting verb ("said", ``REPORTING_VERBS``), the verb of the clause it reports;
- ``VO:impose|blockade``: a verb and its object (the subject of a passive counts as its object:
  "a blockade was imposed"), a named one by its entity type ("VO:attack|GPE");
- ``R:negated``, ``R:modal``, ``R:future``, ``R:passive``, ``R:conditional``, ``R:past``,
  ``R:present``, ``R:perfect``: how the main verb is told; and ``MR:impose|negated``, the main
  verb with each of them.

A verb + preposition + object and a verb + the verb of its open complement ("threatened to
impose") were tried too: by 5-fold cross-validation on the training corpus they did not help
(accuracy 0.799 with them, 0.801 without), nor on the visible gold sets, so they are left out.

The lists of words below are part of the features' definition: changing one changes the
features, and so the ``FEATURES`` version of ``whodid.knowledge.classifier``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

REPORTING_VERBS = frozenset({
    "say", "tell", "add", "state", "announce", "claim", "note", "explain", "reveal", "disclose",
    "report", "write", "tweet", "declare", "insist", "confirm", "acknowledge", "admit", "remark",
    "reply", "respond", "quote", "comment"})
MODALS = frozenset({"can", "could", "may", "might", "must", "should", "would", "shall"})
FUTURE = frozenset({"will", "'ll", "wo"})  # "won't" is "wo" + "n't"
CONDITIONS = frozenset({"if", "unless", "provided", "lest"})
OBJECTS = frozenset({"dobj", "obj", "attr", "dative", "oprd"})
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})

_DIGIT = re.compile(r"\d")


def parse_features(sentence: Span | Doc) -> list[str]:
    """Return the parse features of ``sentence`` (see the module's docstring), in the order of
    its tokens, then those of each sentence's main verb (that of each root)."""
    features = [f for token in sentence for f in token_features(token)]
    for root in (token for token in sentence if token.head.i == token.i):
        verb = main_verb(root)
        if verb is not None:
            features.extend(main_features(verb))
    return features


def lemma(token: Token) -> str:
    """Return the lower-cased lemma of ``token``, its digits folded to 0 (and any whitespace
    in it to "_")."""
    return _DIGIT.sub("0", "_".join((token.lemma_ or token.text).lower().split()))


def argument(token: Token) -> str:
    """Return how a verb's argument is named in a feature: its entity type when it is part of
    a named entity, a date or a number ("GPE", "DATE", "CARDINAL"), else its lemma."""
    return token.ent_type_ or lemma(token)


def token_features(token: Token) -> list[str]:
    """Return the features a verb tells by itself: its lemma and its objects; none for another
    word."""
    if token.pos_ != "VERB":
        return []
    verb = lemma(token)
    return [f"V:{verb}", *(f"VO:{verb}|{argument(child)}" for child in token.children
                           if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS)]


def main_verb(root: Token) -> Token | None:
    """Return the verb a sentence of ``root`` tells of: the root, or the verb of the clause a
    reporting root reports; None when that is no verb."""
    if lemma(root) in REPORTING_VERBS:
        reported = [c for c in root.children if c.dep_ in ("ccomp", "xcomp")
                    and c.pos_ in ("VERB", "AUX")]
        if reported:
            root = reported[0]
    return root if root.pos_ in ("VERB", "AUX") else None


def main_features(verb: Token) -> list[str]:
    """Return the main verb's features: its lemma, and each way it is told alone and with it."""
    name = lemma(verb)
    marks = reality_marks(verb)
    return [f"M:{name}", *(f"R:{m}" for m in marks), *(f"MR:{name}|{m}" for m in marks)]


def reality_marks(verb: Token) -> list[str]:
    """Return how ``verb`` is told: negated, modal, future, passive, conditional, and its
    tense (past, present or perfect; none for a bare infinitive under a modal)."""
    children = list(verb.children)
    auxiliaries = [lemma(c) for c in children if c.dep_ in ("aux", "auxpass")]
    marks = []
    if any(c.dep_ == "neg" for c in children):
        marks.append("negated")
    if any(a in MODALS for a in auxiliaries):
        marks.append("modal")
    if any(a in FUTURE for a in auxiliaries) or _going_to(verb):
        marks.append("future")
    if any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ == "auxpass" for c in children):
        marks.append("passive")
    if _conditional(verb):
        marks.append("conditional")
    marks.extend(_tense(verb, children))
    return marks


def _going_to(verb: Token) -> bool:
    """True for "is going to impose": the verb is the complement of a "going" with "to"."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.lower_ == "going" and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _conditional(verb: Token) -> bool:
    """True when the verb, or a clause that depends on it, is under "if", "unless"..."""
    clauses = [verb, *(c for c in verb.children if c.dep_ == "advcl")]
    return any(m.dep_ == "mark" and m.lower_ in CONDITIONS
               for clause in clauses for m in clause.children)


def _tense(verb: Token, children: list[Token]) -> list[str]:
    """Return ["past"], ["present"], ["perfect"] or [] from the verb's tag and auxiliaries."""
    if any(c.dep_ == "aux" and lemma(c) == "have" for c in children):
        return ["perfect"]
    tags = [verb.tag_, *(c.tag_ for c in children if c.dep_ in ("aux", "auxpass"))]
    if "VBD" in tags:
        return ["past"]
    if "VBZ" in tags or "VBP" in tags:
        return ["present"]
    return []
