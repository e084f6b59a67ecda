"""Is an event real? Negation, modality, intent, threats, conditions, reported speech and
figurative use of a trigger.

``reality_of`` says whether a trigger's clause is real, negated, announced for the future or
unreal (conditional, hypothetical, imagined, denied, intended); a future act becomes an intent
(``intent_code``) or a threat (``threat_code``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whodid.stages.events.patterns import OBJECTS, SUBJECTS, EventRules

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


COPULAS = frozenset({"be", "remain", "seem", "appear", "look"})
TEMPORAL_PREPOSITIONS = frozenset({"after", "during", "before", "following", "since", "ahead",
                                   "until", "throughout", "amid"})


def figurative(token: Token, rules: EventRules, named: frozenset[str] = frozenset()) -> bool:
    """True when the trigger's object is no one to act upon: "fight the coronavirus",
    "battle corruption"; not when the trigger's pattern ``named`` that object as what the act
    is about ("investigating alleged war crimes", "opened fire"; a named "war crime" names
    "crime")."""
    heads = {item.split()[-1] for item in named}
    return any(c.dep_ in OBJECTS and c.lemma_.lower() in rules.figurative_objects
               and c.lemma_.lower() not in heads for c in token.children)


def tells_no_act(token: Token, cameo: str, rules: EventRules,
                 named: frozenset[str] = frozenset()) -> bool:
    """True when a trigger coded ``cameo`` tells no act whatever its tense or mood: a word of a
    date ("retook Palmyra in March"), figurative (``named``: the objects its pattern lists),
    the publishing or naming of something, a warning of what could happen, a promise not to
    act, a description ("an alliance backed by the US"), a fighter's record ("forces who have
    fought Isis") or a statement told as a rejection ("declined to comment")."""
    return token.ent_type_ in ("DATE", "TIME") or \
        figurative(token, rules, named) or published(token, rules) or \
        naming(token, rules) or idle_warning(token, rules) or \
        promised_not_to(token, rules) or descriptive(token, rules) or \
        record(token, rules) or statement_refused(token, cameo, rules) or \
        accidental(token, cameo, rules)


def accidental(token: Token, cameo: str, rules: EventRules) -> bool:
    """True when force (18-20) is done by an accident, nature or disease
    (``rules.accident_causes``): "a fire killed two children", "injured in a stampede"."""
    if cameo[:2] not in ("18", "19", "20"):
        return False
    doers = [c for c in token.children if c.dep_ in SUBJECTS]
    doers += [p for c in token.children if c.dep_ in ("agent", "prep") and c.lower_ in (
        "by", "in") for p in c.children if p.dep_ == "pobj"]
    return any((d.lemma_.lower() in rules.accident_causes or " ".join(
        [*(m.lower_ for m in d.lefts if m.dep_ == "compound"), d.lemma_.lower()])
        in rules.accident_causes) and not _made_by_someone(d) for d in doers)


def _made_by_someone(cause: Token) -> bool:
    """True for a cause someone made: "a fire set by the militants", "a blaze started by"."""
    return any(c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children)
               for c in cause.children)


def published(token: Token, rules: EventRules) -> bool:
    """True when a verb of releasing or issuing acts on information, not on people: "released
    opposing accounts of the call", "a video released by the society"."""
    if token.lemma_.lower() not in rules.publishing_verbs:
        return False
    acted_on = [c for c in token.children if c.dep_ in (*OBJECTS, "nsubjpass")]
    if token.dep_ == "acl" and token.tag_ == "VBN":
        acted_on.append(token.head)  # "a video released by ..."
    return any(t.lemma_.lower() in rules.published_objects for t in acted_on)


def reality_of(token: Token, rules: EventRules) -> str:
    """Return "real", "negated", "future", "refused" or "unreal" for the clause of a trigger.

    An event noun takes the reality of the verb it depends on ("promised to continue military
    aid": unreal); one named after a temporal preposition ("after the meeting") refers to an event
    told elsewhere and is "unreal" here, and so does a gerund a noun governs ("a record of
    bombing civilians"); a noun is never announced by its verb's future ("the war will end").
    An act announced in the negative future ("would not attend"), decided against ("voted not
    to attend") or ruled out ("lifting the ban is out of the question") is "refused"; one
    forecast ("is expected to hold talks", "the talks are due to resume") or in what a
    possibility governs ("may deduce that the pullout means") is "unreal".
    """
    negated = False
    current = token
    if token.tag_ == "VBG" and token.dep_ == "pcomp" and token.head.head.pos_ in ("NOUN", "PROPN"):
        return "unreal"  # "a track record of bombing civilians": a kind of act, not one act
    if token.pos_ in ("NOUN", "PROPN"):
        claimed = token.head.head.lemma_.lower() in rules.claim_nouns
        culprit = token.head.head.lemma_.lower() in rules.culpability_words
        if token.dep_ == "pobj" and not claimed and (
                token.head.lower_ in TEMPORAL_PREPOSITIONS
                or (token.head.lower_ in rules.purpose_prepositions and not culprit)):
            return "unreal"  # "after the meeting"; not "responsible for the massacre"
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_.lower() \
                in rules.possibility_nouns | rules.topic_nouns | rules.background_nouns:
            return "unreal"  # "the prospect of a Turkish offensive", "the cradle of the uprising"
        if any(c.dep_ in ("det", "preconj") and c.lower_ in ("no", "neither")
               for c in token.children):
            negated = True  # "no attack", "neither the withdrawal nor ..."
        below = token
        while current.pos_ in ("NOUN", "PROPN", "ADP", "ADJ") and current.head.i != current.i \
                and current.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "prep", "attr", "conj",
                                     "acomp"):
            below, current = current, current.head  # "was not aware of any talks": "was"
        if current.pos_ not in ("VERB", "AUX"):
            return "negated" if negated else "real"
        if below.dep_ in ("nsubj", "nsubjpass") and _foretold(current, rules):
            return "unreal"  # "a Turkish offensive is now likely", "remains a real possibility"
        if current.lemma_.lower() in rules.unreal_verbs | rules.content_verbs:
            return "unreal"  # "denied the attack", "stressed the Coalition's commitment"
    if token.dep_ == "acomp" and token.lemma_.lower() in rules.stative_participles:
        current = token.head  # "Iran is not opposed to talks": the copula carries the clause
    if ruled_out(token, rules.ruling_out_words):
        return "refused"  # "lifting the ban is out of the question"
    reality = _clause_reality(token, current, negated, rules)
    if token.pos_ in ("NOUN", "PROPN") and reality in ("future", "refused") and \
            not _undertaken(token, current, rules):
        return "unreal"  # "the war will end", "the talks would not take place"
    return reality


def _undertaken(noun: Token, verb: Token, rules: EventRules) -> bool:
    """True for an event noun that is the object of a verb of phase (``aspect_verbs``: "will
    begin a military operation", "would resume air strikes"): the verb announces the act."""
    return noun.dep_ in ("dobj", "obj") and noun.head.i == verb.i and \
        verb.lemma_.lower() in rules.aspect_verbs


def _clause_reality(token: Token, current: Token, negated: bool, rules: EventRules) -> str:
    """Return the reality of the clause of ``current`` (the trigger, or the verb an event noun
    ``token`` depends on), going up through the clauses that govern it; a conjunct shares the
    modal and negation of the verb it is conjoined to ("would prohibit aid and would deny
    entry") unless it has a subject of its own, and what governs that verb in any case."""
    level, announced, sibling = 0, False, False
    for _ in range(6):
        children = list(current.children)
        own = [] if sibling else children  # a clause conjoined has its own negation and modals
        sibling = False
        negated = negated or _negation_among(own)
        if any(c.dep_ == "mark" and c.lower_ in rules.conditional_markers for c in children):
            return "unreal"
        modals = {c.lower_ for c in own if c.dep_ == "aux"}
        if level == 0 and modals & (rules.future_auxiliaries | rules.hypothetical_modals) and any(
                c.dep_ == "advmod" and c.lower_ in rules.likelihood_adverbs for c in own):
            return "unreal"  # "Russia will probably veto the resolution": a guess
        if level == 0 and negated and modals & {"can", "ca"}:
            return "refused"  # "it cannot accept any more refugees"
        if level == 0 and modals & rules.hypothetical_modals - {"would"}:
            return "unreal"
        if level == 0 and "would" in modals:
            clause = current
            while clause.dep_ == "conj" and clause.head.i != clause.i:
                clause = clause.head  # "said it would release ... and would allow"
            if clause.head.lemma_.lower() not in rules.reporting_verbs or clause.dep_ != "ccomp":
                return "unreal"
            announced = True  # "said it would send aid", unless what governs it is unreal
        if level == 0 and modals & rules.future_auxiliaries:
            announced = True
        if level > 0 and modals & (rules.future_auxiliaries | rules.hypothetical_modals):
            return "unreal"  # "would blockade Paris to demand an end": the demand is a purpose
        if _forecast(current, rules):
            return "unreal"  # "is likely to attack", "the talks are due to resume"
        if current.dep_ == "xcomp" and current.head.lower_ in rules.intent_adjectives:
            negated = negated or _negated_frame(current.head)  # "was not ready to meet"
            return "refused" if negated else "future"  # "ready to host", "prepared to impose"
        if negated and current.dep_ == "xcomp" and \
                current.head.lemma_.lower() in rules.decision_verbs:
            return "refused"  # "voted not to attend", "vowed not to return the Golan Heights"
        if current.dep_ in ("acl", "ccomp") and current.head.pos_ in ("NOUN", "PROPN") and \
                current.head.lemma_.lower() in rules.unreal_verbs | rules.possibility_nouns \
                | rules.denial_objects:
            return "unreal"  # "its demand that Israel ease", "his promise to bring the troops
            # home", "denied charges that it tortured a priest" (the charge is what is told)
        if current.dep_ == "ccomp" and current.head.i != current.i and any(
                c.dep_ == "aux" and c.lower_ in rules.hypothetical_modals
                for c in current.head.children):
            return "unreal"  # "may deduce that the US pullout means"
        if (current.dep_ == "ccomp" or _infinitive_clause(current)) and any(
                c.dep_ in OBJECTS and c.lemma_.lower() in rules.unreal_verbs
                | rules.possibility_nouns | rules.request_nouns for c in current.head.children):
            return "unreal"  # "reiterated its demand that Israel ease", "rejected pleas to free"
        if current.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp") and \
                current.head.lemma_.lower() in rules.unreal_verbs | rules.stance_adjectives \
                and current.head.i != current.i:
            return "unreal"  # "believed that ...", "are sceptical that Russia will withdraw"
        if current.dep_ == "pcomp" and current.head.lower_ in rules.topic_prepositions and \
                current.head.head.lemma_.lower() not in rules.culpability_words:
            return "unreal"  # "talked about developing relations" (not "is guilty of violating")
        if current.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in rules.fact_markers
                                           for c in children):
            break  # "prepared to impose martial law as street battles raged": told as a fact
        if current.dep_ in ("xcomp", "advcl") and current.head.i != current.i:
            current, level = current.head, level + 1  # "not here to make guarantees"
            continue
        if current.dep_ == "conj" and current.head.i != current.i:
            # a conjunct with a subject of its own is its own clause: "were not charged, and
            # the authorities called on ..." (what governs both still counts)
            sibling = any(c.dep_ in (*SUBJECTS, "nsubjpass") for c in children)
            current = current.head
            continue
        break
    if announced:
        return "refused" if negated else "future"
    return "negated" if negated else "real"


def _negation_among(children: list[Token]) -> bool:
    """True when a clause's own ``children`` negate it: "did not attack", "no longer demand",
    a subject that is no one ("Neither Armenia nor Azerbaijan has released", "no country")."""
    return any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") or (
        c.dep_ == "advmod" and any(g.dep_ == "neg" for g in c.children)) for c in children) or \
        any(c.dep_ in SUBJECTS and _no_one(c) for c in children)


def _negated_frame(adjective: Token) -> bool:
    """True when an adjective of intent is negated, on itself or on its copula ("is not ready
    to meet", "was never willing to negotiate")."""
    words = list(adjective.children)
    if adjective.dep_ == "acomp":
        words += list(adjective.head.children)
    return any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in words)


def ruled_out(token: Token, words: frozenset[str]) -> bool:
    """True for the subject clause of "is out of the question" ("lifting the ban is out of
    question"): ``words`` are the nouns "out of" rules out with."""
    if token.dep_ != "csubj" or token.head.lemma_.lower() != "be":
        return False
    return any(p.lower_ == "out" and any(
        o.lower_ == "of" and any(q.lemma_.lower() in words for q in o.children)
        for o in p.children) for p in token.head.children if p.dep_ == "prep")


def _infinitive_clause(verb: Token) -> bool:
    """True for a "to" clause the parser hung on the verb ("rejected calls to release the
    worker": "release" under "rejected"), not a clause of time or cause ("as troops met")."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                        for c in verb.children) and \
        not any(c.dep_ == "mark" for c in verb.children)


def _forecast(verb: Token, rules: EventRules) -> bool:
    """True for a verb a forecast governs ("is expected to hold", "is likely to attack", "it is
    likely that Russia will attack", "it seems possible that Turkey attacked") or whose subject
    is forecast ("the talks are due to resume": "are" with "due")."""
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in rules.expectation_words:
        return True
    if verb.dep_ == "ccomp" and verb.head.i != verb.i and (
            verb.head.lemma_.lower() in rules.expectation_words or any(
                c.dep_ in ("acomp", "oprd") and c.lemma_.lower() in rules.expectation_words
                for c in verb.head.children)):
        return True
    return any(c.dep_ == "acomp" and c.lemma_.lower() in rules.expectation_words and any(
        x.dep_ == "xcomp" for x in c.children) for c in verb.children)


def _foretold(verb: Token, rules: EventRules) -> bool:
    """True for a verb that makes its subject a likelihood, not an event told: "is likely",
    "remains a real possibility", "is an option", a copula with a likelihood in its
    prepositional phrase ("is not beyond the realms of possibility", "is now in prospect")."""
    if any((c.dep_ in ("acomp", "oprd") and c.lemma_.lower() in rules.expectation_words)
           or (c.dep_ == "attr" and c.lemma_.lower() in rules.likelihood_nouns)
           for c in verb.children):
        return True
    return verb.lemma_.lower() in COPULAS and any(
        c.dep_ == "prep" and any(t.lemma_.lower() in rules.likelihood_nouns for t in c.subtree)
        for c in verb.children)


def planned_journey(token: Token, cameo: str, rules: EventRules) -> bool:
    """True for a journey (a visit pattern) the writer schedules in the future with no one
    announcing it ("the foreign minister will travel to Paris for talks on Tuesday"): a plan,
    neither an act nor an intent; "Modi said he will travel to Tokyo" is an intent."""
    return token.lemma_.lower() in rules.journey_verbs and cameo[:3] in rules.visit_codes \
        and not reported(token, rules)


def attempted(token: Token, cameo: str, rules: EventRules) -> bool:
    """True for a violent act attempted ("tried to assassinate the governor", "an attempt to
    kill him was thwarted"): the attack took place; it is as real as the attempt."""
    return cameo[:2] in rules.attempted_roots and token.dep_ in ("xcomp", "acl") and \
        token.head.i != token.i and token.head.lemma_.lower() in rules.attempt_words


def promised_not_to(token: Token, rules: EventRules) -> bool:
    """True for a decision or promise not to act ("vowed not to return the Golan Heights"):
    the refused act is the event (``reality_of``: "refused"), not a promise."""
    return token.lemma_.lower() in rules.decision_verbs and any(
        c.dep_ == "xcomp" and any(n.dep_ == "neg" for n in c.children) for c in token.children)


def descriptive(token: Token, rules: EventRules) -> bool:
    """True for support told as what describes a noun ("the campaign, led by the SDF and
    supported by the US", "an alliance backed by the US") or a view held told so ("Turkey,
    which views the militia as terrorists"): a standing relation, no act."""
    if token.dep_ == "relcl" and token.lemma_.lower() in rules.stance_verbs:
        return True  # "Turkey, which views the militia as terrorists"
    described = token.dep_ == "acl" or (token.dep_ == "conj" and token.head.dep_ == "acl")
    return token.lemma_.lower() in rules.relation_verbs and token.tag_ == "VBN" and described


def record(token: Token, rules: EventRules) -> bool:
    """True for a fight told in the perfect in a relative clause that describes an actor ("Kurdish
    forces who have fought with the US against Isis", "militias that had battled the army for
    decades"): what the actor is known for, no act done then. A clause that dates the fight ("who
    have fought the army since Monday") still tells one."""
    clause = token.head if token.dep_ == "conj" else token
    if clause.dep_ != "relcl" or token.lemma_.lower() not in rules.record_verbs:
        return False
    if not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in clause.children):
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") and not _within_duration(t, token, rules)
                   for t in token.subtree)


def verbal_clash(token: Token, cameo: str, rules: EventRules) -> bool:
    """True for a fight by a preposition with a view or a statement ("clashed with Trump's
    assessment", "battled against the decision"): a disagreement told in words
    (``rules.disagreement_code``), no violence."""
    return cameo[:2] in rules.fight_roots and any(
        pobj.dep_ == "pobj" and pobj.lemma_.lower() in rules.view_objects
        for prep in token.children if prep.dep_ == "prep"
        and prep.lower_ in rules.view_prepositions for pobj in prep.children)


def _within_duration(word: Token, verb: Token, rules: EventRules) -> bool:
    """True when ``word`` hangs on ``verb`` through a preposition of duration ("for decades")."""
    while word.i != verb.i and word.head.i != word.i:
        if word.dep_ == "prep" and word.lower_ in rules.duration_prepositions:
            return True
        word = word.head
    return False


def statement_refused(token: Token, cameo: str, rules: EventRules) -> bool:
    """True for a rejection that is a statement (CAMEO 01, never coded): declining to comment
    ("declined to comment on the report": 011) or denying an accusation ("rejected accusations
    of genocide", "rejected claims it covered up": 016)."""
    if cameo[:2] != "12":
        return False
    return any((c.dep_ == "xcomp" and c.lemma_.lower() in rules.statement_verbs)
               or (c.dep_ in OBJECTS and c.lemma_.lower() in rules.denial_objects)
               for c in token.children)


def naming(token: Token, rules: EventRules) -> bool:
    """True for a verb that names what it follows or its object: "a documentary called The
    Brits", "what it called its direct involvement in terrorism"."""
    if token.lemma_.lower() not in rules.naming_verbs:
        return False
    if any(c.dep_ == "oprd" or (c.dep_ in OBJECTS and c.lower_ == "what")
           for c in token.children):
        return True  # "called it a crime", "what it called its direct involvement"
    return token.dep_ in ("acl", "advcl") and token.tag_ == "VBN" and not any(
        c.dep_ == "agent" for c in token.children)


def idle_warning(token: Token, rules: EventRules) -> bool:
    """True for a warning of what could happen or of what is ("warned that the militiamen
    could encounter resistance", "warned: al-Qaeda is regrouping"): no one is threatened. A
    warning is a threat with no clause, or with one of what will be done ("warned it would
    retaliate") or done on a condition ("has the power to let refugees go if ...")."""
    if token.lemma_.lower() not in rules.warning_verbs:
        return False
    clauses = [c for c in token.children if c.dep_ == "ccomp"]
    return bool(clauses) and not any(
        a.dep_ == "aux" and a.lower_ in rules.future_auxiliaries | {"would"}
        for c in clauses for a in c.children) and not any(
        t.dep_ == "mark" and t.lower_ in rules.conditional_markers - {"whether"}
        for c in clauses for t in c.subtree)


def on_condition(token: Token, rules: EventRules, threatening: bool = False) -> bool:
    """True when an announced act has a condition: "will withdraw its force unless...", "would
    meet the mediator if he came"; with ``threatening`` only a condition that makes the act a
    threat ("unless"): a cooperative act offered "if" something happens is still an intent."""
    markers = rules.threat_markers if threatening else rules.conditional_markers
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in markers
                                         for m in c.children) for c in token.children)


def threat_code(cameo: str, rules: EventRules, conditional: bool = False) -> str | None:
    """Return the CAMEO 13 code of a hostile act announced for the future, or of any act
    announced on a condition ("will withdraw unless"); None for others."""
    codes = rules.complement_codes["13"]
    if cameo[:2] not in rules.threat_roots and not conditional:
        return None
    for length in (4, 3, 2):
        if cameo[:length] in codes:
            return codes[cameo[:length]]
    return "130"


def _no_one(subject: Token) -> bool:
    """True for a subject that denies its referent: "neither X nor Y", "no country", "none"."""
    if subject.lower_ in ("none", "nobody", "neither"):
        return True
    return any(c.dep_ in ("preconj", "det") and c.lower_ in ("neither", "no")
               for c in subject.children)


def refusal(cameo: str, plover: str, rules: EventRules) -> tuple[str, str, str]:
    """Return (code, category, reality) of an act refused ("would not attend the talks" ->
    125 REJECT, real); an act that is no cooperation ("will not attack") stays a negated act."""
    if intent_code(cameo, rules) is None and cameo[:2] != "03":
        return cameo, plover, "negated"
    codes = rules.complement_codes["12"]
    code = next((codes[cameo[:n]] for n in (4, 3, 2) if cameo[:n] in codes), "120")
    return code, "REJECT", "real"


def intent_code(cameo: str, rules: EventRules) -> str | None:
    """Return the CAMEO 03 intent code for a promised cooperative act (None for others)."""
    for length in (4, 3, 2):
        code = rules.intent_codes.get(cameo[:length])
        if code is not None:
            return code
    return None


def reported(token: Token, rules: EventRules) -> bool:
    """True when ``token`` stands in a clause that a reporting verb governs ("Hungary said it
    will support")."""
    return reporting_verb(token, rules) is not None


def reporting_verb(token: Token, rules: EventRules) -> Token | None:
    """Return the reporting verb that governs the clause of ``token`` ("said" in "Hungary said
    it will support"), None when no reporting verb does."""
    current = token
    for _ in range(6):
        if current.head.i == current.i:
            return None
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in rules.reporting_verbs:
            return current.head
        current = current.head
    return None


def in_quote(sentence: Span) -> bool:
    """True when ``sentence`` has a quotation mark (it is, or is part of, a quote)."""
    text = sentence.text  # a span's text is built anew at each reading
    return any(ch in text for ch in "“”\"")
