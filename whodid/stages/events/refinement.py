"""How the words around a trigger make its pattern's code specific.

``refined_code`` turns a generic code into the one the sentence says: an appeal, demand, intent,
rejection or threat by the act it is about, a fight by its instrument, a move by its mission;
``serves_a_protest`` tells a demand that only states what a protest is for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whodid.stages.events.patterns import (
    OBJECTS,
    SUBJECTS,
    EventCoder,
    Pattern,
    _counted,
    _modifier_lemmas,
    pattern_for,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


def serves_a_protest(token: Token, patterns: dict[tuple[str, str], list[Pattern]]) -> bool:
    """True for a demand or complaint that states what a protest is for: "marched ... demanding
    the resignation", "staged demonstrations to demand reforms", "started a hunger strike to
    protest the failure"."""
    if token.dep_ not in ("advcl", "xcomp", "acl") or token.head.i == token.i:
        return False
    head = token.head
    pattern = pattern_for(head, patterns)
    if pattern is None:
        pattern = next((pattern_for(c, patterns) for c in head.children if c.dep_ in OBJECTS
                        and pattern_for(c, patterns) is not None), None)
    return pattern is not None and pattern.plover == "PROTEST"


def refined_code(token: Token, cameo: str, coder: EventCoder) -> str:
    """Return a generic code made specific by what the words say: an appeal, demand, intent,
    rejection or threat by the act it is about ("threatened to launch a strike" -> 138,
    "agreed to hold talks" -> 036); a fight by its instrument ("aircraft struck" -> 195), a
    code by who did it ("peacekeepers arrived" -> 074: a root that is a whole code)."""
    rules = coder.rules
    codes = rules.complement_codes.get(cameo[:2])
    if codes is not None and len(cameo) <= 3 and cameo.endswith("0"):
        act = _complement_act(token, coder.patterns, rules.aspect_verbs)
        if act is not None:
            if cameo[:2] == "03" and act[:2] in rules.threat_roots:
                codes = rules.complement_codes["13"]  # "vowed to crush the rebels": a threat
            for length in (4, 3, 2):
                if act[:length] in codes:
                    return codes[act[:length]]
    doers = [_counted(c) for c in token.children if c.dep_ in SUBJECTS]  # "a batch of troops"
    doers += [c for p in token.children if p.dep_ == "agent" for c in p.children
              if c.dep_ == "pobj"]
    subjects = {c.lemma_.lower() for c in doers}
    subjects |= {m for c in doers for m in _modifier_lemmas(c)}  # "peacekeeping troops"
    for words, root, code in rules.instrument_codes:
        generic = cameo.startswith(root) and len(cameo) <= 3 and cameo.endswith("0")
        if (generic or cameo == root) and subjects & words:
            return code
    mission = rules.mission_codes.get(cameo)
    return mission if mission is not None and _for_a_mission(token, rules.mission_words) else cameo


def _for_a_mission(token: Token, words: frozenset[str]) -> bool:
    """True when a phrase of the trigger names the mission a move serves: "sent troops to the
    UN peacekeeping force", "deployed as peacekeepers", "arrived to join the mission"."""
    return any(t.lemma_.lower() in words for c in token.children
               if c.dep_ in ("prep", "xcomp", "advcl", "npadvmod") for t in c.subtree)


def _complement_act(token: Token, patterns: dict[tuple[str, str], list[Pattern]],
                    aspect_verbs: frozenset[str] = frozenset()) -> str | None:
    """Return the code of the act a trigger is about: the verb of its clause ("urged China to
    resume talks"; through a verb of phase: "vowed to continue to clear"), its "for" object
    ("appealed for aid") or its object ("demanded a ceasefire")."""
    for child in token.children:
        found: Token | None = None
        if child.dep_ in ("xcomp", "ccomp") or (child.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children)):
            found = child  # "sworn to fight" may parse as an adverbial clause
            if found.lemma_.lower() in aspect_verbs and pattern_for(found, patterns) is None:
                found = next((c for c in found.children if c.dep_ == "xcomp"), found)
        elif child.dep_ == "prep" and child.lower_ in ("for", "to"):
            found = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
        elif child.dep_ in OBJECTS:
            found = child
        for candidate in _with_its_nouns(found):
            pattern = pattern_for(candidate, patterns)
            if pattern is not None and pattern.cameo[:2] not in ("02", "10", "13", "03", "12"):
                return pattern.cameo
    return None


def _with_its_nouns(token: Token | None) -> list[Token]:
    """Return ``token`` and the nouns of its "in"/"of" phrases ("$1.5 billion in aid")."""
    if token is None:
        return []
    return [token] + [pobj for prep in token.children if prep.dep_ == "prep"
                      and prep.lower_ in ("in", "of") for pobj in prep.children
                      if pobj.dep_ == "pobj"]
