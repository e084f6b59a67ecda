"""The pipeline: the ordered list of stages, what each requires and assigns, and the runner.

    read -> clean -> parse -> actors -> events -> dates -> places -> quantities -> repeats -> store

Each stage reads some Article fields and sets others, nested ones included (``events.date`` is
the date of every event); ``check_stages`` reports a stage that needs a field no earlier stage
set. Read and store are the pipeline's two ends: reading turns inputs
into Articles (``whodid.stages.read``), storing writes them in one process (``whodid.store``);
the stages in between run on batches of Articles in any process (``Pipeline``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whodid.config import Options
from whodid.knowledge.gazetteer import GazetteerIndex, load_index
from whodid.knowledge.kb import Entity, load_knowledge_base
from whodid.model import Article, InputError
from whodid.stages.actors.resolve import find_actors
from whodid.stages.actors.spans import ActorFinder
from whodid.stages.clean import clean
from whodid.stages.dates import find_dates
from whodid.stages.events.second_opinion import SecondOpinion
from whodid.stages.events.stage import EventCoder, code_events
from whodid.stages.parse import load_nlp, parse
from whodid.stages.places import find_places
from whodid.stages.quantities import find_quantities
from whodid.stages.repeats import mark_repeats

if TYPE_CHECKING:
    from spacy.language import Language



@dataclass
class Resources:
    """What the stages share within one process, loaded once: options, spaCy, the actor KB,
    the event patterns, the gazetteer, and the event classifier's second opinion (None when
    ``Options.second_opinion`` is off)."""

    options: Options
    nlp: Language
    actors: ActorFinder
    events: EventCoder
    gazetteer: GazetteerIndex
    opinion: SecondOpinion | None = None

    @classmethod
    def load(cls, options: Options, extra_actors: Sequence[Entity] = ()) -> Resources:
        """Load the spaCy model and the knowledge base (with ``extra_actors`` from the store)."""
        nlp = load_nlp(options.spacy_model)
        return cls(options=options, nlp=nlp,
                   actors=ActorFinder(nlp, load_knowledge_base(
                       extra_actors, options.kb_folders, options.kb_files,
                       options.phoenix_actors)),
                   events=EventCoder.load(options.event_patterns, options.event_rules,
                                          options.petrarch_verbs),
                   gazetteer=load_index(),
                   opinion=SecondOpinion.load() if options.second_opinion else None)


BatchFunction = Callable[[list[Article], Resources], list[Article]]


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: its name, the Article fields it reads and sets, and its batch function.

    ``run`` is None for the two ends (read, store), which the runner drives itself.
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: BatchFunction | None = None


def _clean_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [clean(article) for article in articles]


def _parse_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return parse(articles, resources.nlp, resources.options.batch_size)


def _actors_batch(articles: list[Article], resources: Resources) -> list[Article]:
    """Resolve each article's actors. Nothing learned from one article changes another: the
    people an article introduces are stored for review (``whodid actors``), so the same article
    codes the same whatever was coded before it, in this process or another."""
    return [find_actors(article, resources.actors) for article in articles]


def _events_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [code_events(article, resources.events, resources.opinion) for article in articles]


def _dates_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [find_dates(article) for article in articles]


def _places_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [find_places(article, resources.gazetteer) for article in articles]


def _quantities_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [find_quantities(article) for article in articles]


def _repeats_batch(articles: list[Article], resources: Resources) -> list[Article]:
    return [mark_repeats(article) for article in articles]


READ = Stage(
    "read",
    requires=(),
    assigns=("id", "source", "raw_text", "title", "published", "outlet", "url", "removed",
             "content_hash"),
)
CLEAN = Stage("clean", requires=("raw_text", "removed"), assigns=("text", "removed", "dateline",
                                                                  "outlet"), run=_clean_batch)
PARSE = Stage("parse", requires=("text",), assigns=("doc", "sentences"), run=_parse_batch)
ACTORS = Stage("actors", requires=("doc", "text", "published", "removed"), assigns=("mentions",),
               run=_actors_batch)
EVENTS = Stage("events", requires=("doc", "mentions", "text", "id"),
               assigns=("events", "events.source", "events.target", "events.cameo",
                        "events.negated", "events.method"),
               run=_events_batch)
DATES = Stage("dates", requires=("doc", "events", "published", "removed"),
              assigns=("dates", "events.date", "events.date_precision"), run=_dates_batch)
PLACES = Stage("places", requires=("doc", "mentions", "dateline", "events"),
               assigns=("places", "events.location"), run=_places_batch)
QUANTITIES = Stage("quantities", requires=("doc", "events"),
                   assigns=("quantities", "events.quantities"), run=_quantities_batch)
REPEATS = Stage("repeats", requires=("events.source", "events.target", "events.cameo",
                                     "events.negated", "events.date", "events.location"),
                assigns=("events.repeat_of",), run=_repeats_batch)
STORE = Stage("store", requires=("id", "content_hash", "text", "removed", "sentences",
                                 "mentions", "events", "dates", "places", "quantities",
                                 "events.date", "events.location", "events.repeat_of"),
              assigns=())

PIPELINE: tuple[Stage, ...] = (READ, CLEAN, PARSE, ACTORS, EVENTS, DATES, PLACES, QUANTITIES,
                               REPEATS, STORE)


def check_stages(stages: Sequence[Stage]) -> list[str]:
    """Return one message per field a stage requires that no earlier stage assigns (empty: fine).

    Nested fields count on their own: a stage that sets ``events`` does not set ``events.date``.
    """
    problems: list[str] = []
    assigned: set[str] = set()
    for stage in stages:
        for field_name in stage.requires:
            if field_name not in assigned:
                problems.append(f"stage {stage.name!r} requires {field_name!r}, "
                                "which no earlier stage assigns")
        assigned.update(stage.assigns)
    return problems


class Pipeline:
    """The stages between read and store, with their resources loaded once for this process."""

    def __init__(self, resources: Resources, stages: Sequence[Stage] = PIPELINE) -> None:
        problems = check_stages(stages)
        if problems:
            raise ValueError("; ".join(problems))
        self.resources = resources
        self.stages = [stage for stage in stages if stage.run is not None]
        self._current = ""

    def __call__(self, articles: list[Article]) -> list[Article | InputError]:
        """Run every stage over ``articles``; an article a stage fails on becomes an InputError.

        The batch runs as one; when a stage raises, its articles are retried one by one so that
        only the failing article is lost.
        """
        try:
            return list(self._run(articles))
        except Exception as e:
            if len(articles) == 1:
                return [self._error(articles[0], e)]
        results: list[Article | InputError] = []
        for article in articles:
            try:
                results.extend(self._run([article]))
            except Exception as e:
                results.append(self._error(article, e))
        return results

    def _run(self, articles: list[Article]) -> list[Article]:
        for stage in self.stages:
            assert stage.run is not None
            self._current = stage.name
            articles = stage.run(articles, self.resources)
        return articles

    def _error(self, article: Article, error: Exception) -> InputError:
        """Return the InputError for an article that made a stage raise ``error``."""
        return InputError(article.source, f"article {article.id!r} failed in stage "
                          f"{self._current!r}: {type(error).__name__}: {error}")


def load_pipeline(options: Options, extra_actors: Sequence[Entity] = ()) -> Pipeline:
    """Return a Pipeline with its resources loaded for ``options`` (call once per process)."""
    return Pipeline(Resources.load(options, extra_actors))
