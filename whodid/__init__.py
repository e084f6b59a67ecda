"""whodid: turn news articles into political event data: who did what to whom, when and where.

The map of the public API:

- ``code_inputs``: code files, folders or stdin into a SQLite store (the ``whodid code`` command).
- ``Pipeline`` / ``load_pipeline``: the ordered stages, to code Articles in your own program.
- ``read_inputs``, ``clean``: the read and clean stages on their own.
- ``Store``: the SQLite event store.
- ``Options`` / ``load_options``: every setting, from the commented default ``data/config.yaml``.
- The data model: ``Article``, ``Sentence``, ``Mention``, ``Actor``, ``Place``, ``Event``,
  ``Participant``, ``Location``, ``Dateline``, ``RemovedSpan``, ``InputError``.
"""

from importlib.metadata import version

from whodid.config import Options, load_options
from whodid.model import (
    Actor,
    Article,
    Dateline,
    DateMention,
    Event,
    InputError,
    Location,
    Mention,
    Participant,
    Place,
    Quantity,
    RemovedSpan,
    Sentence,
)
from whodid.pipeline import PIPELINE, Pipeline, load_pipeline
from whodid.run import RunSummary, code_inputs
from whodid.stages.clean import clean
from whodid.stages.read import read_inputs
from whodid.store import Store

__version__ = version("whodid")

__all__ = [
    "PIPELINE",
    "Actor",
    "Article",
    "DateMention",
    "Dateline",
    "Event",
    "InputError",
    "Location",
    "Mention",
    "Options",
    "Participant",
    "Pipeline",
    "Place",
    "Quantity",
    "RemovedSpan",
    "RunSummary",
    "Sentence",
    "Store",
    "__version__",
    "clean",
    "code_inputs",
    "load_options",
    "load_pipeline",
    "read_inputs",
]
