"""What an article has met so far: its organisations by acronym and last word, its people by
name and surname, indexed so that a short form is resolved in time independent of the
article's length.

The actors stage resolves short forms ("the Coalition", "SFD", "Barzani", "Myles Cagginz")
against the full names met in the same article. Scanning every candidate for every short form
made a big article's cost grow with the square of its length; these indexes answer the same
questions with the same answers (the first of equals in the article's order), by looking up
the word asked about, or by comparing it with each distinct name once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from whodid.knowledge.kb import Entity
from whodid.model import Mention
from whodid.stages.actors.spans import Candidate

WILDCARD = "\0"


class OrganisationsMet:
    """The organisations and regions named by an article's candidates (knowledge-base names),
    by their acronym and by the last word of their multi-word names."""

    def __init__(self, candidates: Sequence[Candidate], text_of: Callable[[Candidate], str],
                 acronym_min_length: int) -> None:
        self.acronym_min_length = acronym_min_length
        self.acronyms: dict[str, int] = {}  # an acronym, or one with a letter wildcarded
        self.exact: dict[str, int] = {}
        self.last_words: dict[str, int] = {}
        self.entities: list[Entity] = []
        for candidate in candidates:
            if not candidate.entities or candidate.entities[0].kind not in ("organisation",
                                                                            "region"):
                continue
            entity = candidate.entities[0]
            self.entities.append(entity)
            number = len(self.entities) - 1
            text = text_of(candidate)
            if text.isupper():
                self.exact.setdefault(text, number)
                for key in _wildcarded(text):
                    self.acronyms.setdefault(key, number)
            for alias in (entity.name, *entity.aliases):
                if len(alias.split()) >= 2:
                    self.last_words.setdefault(alias.split()[-1].lower(), number)

    def by_word(self, word: str) -> Entity | None:
        """Return the first organisation met whose acronym is ``word`` but for one letter or
        two swapped (an acronym of ``acronym_min_length`` letters or more), or one of whose
        multi-word names ends in ``word`` (capitalised, four letters or more)."""
        if word.isupper():
            if len(word) < self.acronym_min_length:
                return None
            found = [self.exact.get(word), *(self.acronyms.get(k) for k in _wildcarded(word)),
                     *(self.exact.get(k) for k in _swapped(word))]
        elif word[:1].isupper() and len(word) >= 4:
            found = [self.last_words.get(word.lower())]
        else:
            return None
        numbers = [n for n in found if n is not None]
        return self.entities[min(numbers)] if numbers else None


def _wildcarded(text: str) -> list[str]:
    """Return ``text`` with each of its characters in turn replaced by a wildcard: two texts of
    a length differ in at most one place when they share one of these."""
    return [text[:i] + WILDCARD + text[i + 1:] for i in range(len(text))]


def _swapped(text: str) -> list[str]:
    """Return ``text`` with each pair of neighbouring characters in turn swapped."""
    return [text[:i] + text[i + 1] + text[i] + text[i + 2:] for i in range(len(text) - 1)]


@dataclass
class PeopleMet:
    """The people an article has named in full (two words or more, resolved), in its order:
    by the words of their name and by the last word of their mention."""

    surname_similarity: float
    fuzzy_min_length: int
    full: list[tuple[Candidate, Mention]] = field(default_factory=list)
    names: list[tuple[tuple[str, ...], Mention, int]] = field(default_factory=list)
    _ends: dict[tuple[str, ...], tuple[int, Mention]] = field(default_factory=dict)
    _named: set[tuple[str, ...]] = field(default_factory=set)
    _same_name: dict[tuple[str, ...], tuple[tuple[int, Mention] | None, int]] = field(
        default_factory=dict)
    starts_by_last: dict[str, list[int]] = field(default_factory=dict)
    _at_start: dict[int, Mention] = field(default_factory=dict)
    _alike: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def add(self, candidate: Candidate, last_word: str) -> None:
        """Record ``candidate`` (resolved, in the article's order) when it is a person named
        in full; ``last_word`` is the text of its last token."""
        mention = candidate.mention
        if mention is None or candidate.label != "PERSON" or \
                candidate.end - candidate.start < 2 or mention.actor is None:
            return
        self.full.append((candidate, mention))
        self.starts_by_last.setdefault(last_word, []).append(candidate.start)
        self._at_start[candidate.start] = mention
        self._alike.clear()
        words = tuple((mention.actor.name or mention.text).split())
        if mention.resolved_by in ("kb", "title") and words not in self._named:
            self._named.add(words)
            self.names.append((words, mention, candidate.start))
            for length in range(1, len(words)):  # "De Mistura" opening a sentence is "de Mistura"
                self._ends.setdefault(tuple(w.lower() for w in words[-length:]),
                                      (candidate.start, mention))

    def same_full_name(self, words: Sequence[str], position: int) -> Mention | None:
        """Return the first known (``kb`` or ``title``) full name met that ``words`` misspell
        (as many words, each equal or similar, not all equal: "Myles Cagginz") or that ends in
        ``words`` and starts before token ``position`` ("Stafford Smith" after "Clive Stafford
        Smith")."""
        key = tuple(words)
        found, checked = self._same_name.get(key, (None, 0))
        if found is None:
            for other_words, mention, start in self.names[checked:]:
                if len(other_words) == len(key) and other_words != key and all(
                        a.lower() == b.lower() or
                        fuzz.ratio(a.lower(), b.lower()) >= self.surname_similarity
                        for a, b in zip(key, other_words, strict=True)):
                    found = (start, mention)
                    break
            self._same_name[key] = (found, len(self.names))
        ending = self._ends.get(tuple(w.lower() for w in key))
        options = [f for f in (found, ending if ending and ending[0] < position else None) if f]
        return min(options, key=lambda f: f[0])[1] if options else None

    def by_surname(self, surname: str, position: int) -> Mention | None:
        """Return the full mention met whose last word is ``surname`` (or nearly): the nearest
        before token ``position``, an exact one before a near one; else the nearest after."""
        best: tuple[tuple[int, int, int], int] | None = None
        for last, score in self._alike_surnames(surname):
            starts = self.starts_by_last[last]
            at = bisect_left(starts, position)
            for start in ([starts[at - 1]] if at else []) + ([starts[at]] if at < len(starts)
                                                             else []):
                distance = (0 if start < position else 1, score, abs(start - position))
                if best is None or distance < best[0]:
                    best = (distance, start)
        return self._at_start[best[1]] if best else None

    def _alike_surnames(self, surname: str) -> list[tuple[str, int]]:
        """Return the last words met equal to ``surname`` (score 0) or similar (score 1)."""
        if surname not in self._alike:
            alike = []
            for last in self.starts_by_last:
                if last.lower() == surname.lower():
                    alike.append((last, 0))
                elif min(len(last), len(surname)) >= self.fuzzy_min_length and \
                        fuzz.ratio(last.lower(), surname.lower()) >= self.surname_similarity:
                    alike.append((last, 1))
            self._alike[surname] = alike
        return self._alike[surname]
