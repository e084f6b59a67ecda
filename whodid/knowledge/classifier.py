"""A learned second opinion: which PLOVER category (or none) a sentence reports.

The model is a linear classifier over TF-IDF features, trained on the corpus we wrote ourselves
(``data/training/*.jsonl``, see its README) and shipped as ``data/models/event_classifier.npz``.
Inference needs only numpy, so loading stays fast:

1. two kinds of features of the lower-cased text, digits folded to 0: ``word_features``, word
   unigrams and bigrams (``\\b\\w\\w+\\b`` tokens), and ``char_features``, character 2-5-grams
   inside each whitespace-separated word padded with spaces (scikit-learn's ``char_wb``);
2. for each kind, the term frequencies of its known features, sublinear (1 + log tf), times
   their idf, scaled to unit length (so words weigh as much as the far more numerous
   character n-grams);
3. one score per label (coefficients . both vectors + intercept), softmax into probabilities.

Labels are the 16 PLOVER categories and ``NONE`` (no event, or only a statement).
``train(corpus_paths, extra_paths, seed)`` fits the same features with scikit-learn's
multinomial logistic regression (imported only to train), deterministically: the files are read
in order and the solver (L-BFGS) is deterministic; ``seed`` fixes the folds of
``cross_validate``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from whodid.knowledge.codebook import PLOVER_CATEGORIES, PLOVER_QUAD
from whodid.knowledge.rules import RuleFileError, packaged

NONE = "NONE"
LABELS = (NONE, *PLOVER_CATEGORIES)
FEATURES = "word-1-2+char_wb-2-5/v1"  # changes whenever a feature function does; checked on load
MODEL_NAME = "models/event_classifier.npz"
CORPUS_FOLDER = "training"
REGULARISATION_C = 30.0  # inverse L2 strength; 5-fold accuracy 0.72 at 3, 0.75 from 10 to 100
# each label's errors weigh inversely to its share of the corpus (NONE is a fifth of it, a
# category about a twentieth): 5-fold accuracy 0.755 against 0.744 unweighted (parts a-e)
CLASS_WEIGHT = "balanced"

_WORD = re.compile(r"\b\w\w+\b")
_DIGIT = re.compile(r"\d")

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class TrainingRecord:
    """One sentence of a training file: its text and label (a PLOVER category or NONE)."""

    id: str
    text: str
    label: str


@dataclass(frozen=True)
class EventClassifier:
    """The linear model: ``vocabulary`` maps a feature to its column of ``idf`` and of
    ``weights`` (features x labels); the word features come first, in columns below
    ``word_columns``. ``metadata`` says how it was trained."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    word_columns: int
    idf: FloatArray
    weights: FloatArray
    intercept: FloatArray
    metadata: dict[str, Any] = field(default_factory=dict)
    # of each whitespace-separated word met: the columns of its known word unigrams and
    # character n-grams, and its words (for the bigrams, which span words): most words recur,
    # and cutting them up again is most of the cost of a sentence
    _known: dict[str, tuple[npt.NDArray[np.intp], tuple[str, ...]]] = field(
        default_factory=dict, repr=False, compare=False)

    def probabilities(self, text: str) -> dict[str, float]:
        """Return the probability of every label for the sentence ``text``."""
        return dict(zip(self.labels, self.probability_row(text).tolist(), strict=True))

    def top(self, text: str) -> tuple[str, float]:
        """Return the most probable label of ``text`` and its probability."""
        row = self.probability_row(text)
        best = int(row.argmax())
        return self.labels[best], float(row[best])

    def probability_row(self, text: str) -> FloatArray:
        """Return the probabilities of the labels of ``text``, in the order of ``labels``."""
        columns, values = self._vector(text)
        scores: FloatArray = self.intercept + values @ self.weights[columns]
        exp: FloatArray = np.exp(scores - scores.max())
        probabilities: FloatArray = exp / exp.sum()
        return probabilities

    def _vector(self, text: str) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Return the columns (ascending) and TF-IDF values of the known features of
        ``text``, the word and the character features each scaled to unit length."""
        known = [self._known_columns(chunk) for chunk in _folded(text).split()]
        words = [word for _, chunk_words in known for word in chunk_words]
        bigrams = [c for c in map(self.vocabulary.get, _bigrams(words)) if c is not None]
        found = np.concatenate([np.array(bigrams, dtype=np.intp),
                                *(columns for columns, _ in known)])
        columns, tf = np.unique(found, return_counts=True)
        values = (1.0 + np.log(tf.astype(np.float32))) * self.idf[columns]
        split = int(np.searchsorted(columns, self.word_columns))
        for kind in (values[:split], values[split:]):  # views: scaled in place
            norm = np.sqrt(kind @ kind)
            if norm:
                kind /= norm
        return columns, values

    def _known_columns(self, chunk: str) -> tuple[npt.NDArray[np.intp], tuple[str, ...]]:
        """Return the columns of the known word unigrams and character n-grams of a folded
        whitespace-separated ``chunk``, and its words (cached). The words of a text are those of
        its chunks in turn: a word never spans a space."""
        known = self._known.get(chunk)
        if known is None:
            if len(self._known) > 500_000:  # bound the memory of a long run
                self._known.clear()
            words = tuple(_WORD.findall(chunk))
            grams = [f"w {w}" for w in words] + _char_grams(chunk)
            known = (np.array([c for c in map(self.vocabulary.get, grams) if c is not None],
                              dtype=np.intp), words)
            self._known[chunk] = known
        return known

    def save(self, path: Path) -> None:
        """Write the model to ``path`` (a compressed .npz of plain arrays, no pickles)."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            np.savez_compressed(
                out, labels=np.array(self.labels), vocabulary=_bytes("\n".join(terms)),
                word_columns=np.array(self.word_columns), idf=self.idf, weights=self.weights,
                intercept=self.intercept,
                metadata=_bytes(json.dumps(self.metadata, sort_keys=True)))


def _bytes(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _folded(text: str) -> str:
    """Return ``text`` lower-cased, its whitespace runs as one space and its digits as 0."""
    return _DIGIT.sub("0", " ".join(text.lower().split()))


def _word_grams(folded: str) -> list[str]:
    words = _WORD.findall(folded)
    return [f"w {w}" for w in words] + _bigrams(words)


def _bigrams(words: Sequence[str]) -> list[str]:
    return [f"w {a} {b}" for a, b in pairwise(words)]


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [f"c{padded[i:i + n]}" for n in range(2, 6) for i in range(len(padded) - n + 1)]


def word_features(text: str) -> list[str]:
    """Return the word unigrams and bigrams of ``text``, each prefixed with "w "."""
    return _word_grams(_folded(text))


def char_features(text: str) -> list[str]:
    """Return the character 2-5-grams of each space-padded word of ``text``, prefixed "c"."""
    return [gram for word in _folded(text).split() for gram in _char_grams(word)]


def default_model_path() -> Path:
    """Return the path of the packaged model (``whodid/data/models/event_classifier.npz``)."""
    return Path(str(packaged(MODEL_NAME)))


def load_classifier(path: Path | Traversable | None = None) -> EventClassifier:
    """Load a model written by ``EventClassifier.save`` (default: the packaged one).

    Raises RuleFileError naming the file when it is missing, unreadable, or was made with other
    features than this version's.
    """
    source = path if path is not None else packaged(MODEL_NAME)
    try:
        with source.open("rb") as stream, np.load(stream, allow_pickle=False) as arrays:
            metadata = json.loads(arrays["metadata"].tobytes().decode("utf-8"))
            terms = arrays["vocabulary"].tobytes().decode("utf-8").split("\n")
            model = EventClassifier(
                labels=tuple(str(label) for label in arrays["labels"]),
                vocabulary={term: column for column, term in enumerate(terms)},
                word_columns=int(arrays["word_columns"]), idf=arrays["idf"],
                weights=arrays["weights"], intercept=arrays["intercept"],
                metadata=metadata)
    except (OSError, KeyError, ValueError) as e:
        raise RuleFileError(str(source), None, f"not an event classifier model: {e}") from e
    if metadata.get("features") != FEATURES:
        raise RuleFileError(str(source), None, f"model made with features "
                            f"{metadata.get('features')!r}, this whodid uses {FEATURES!r}: "
                            "rebuild it with 'whodid train'")
    return model


# --- training data -------------------------------------------------------------------------

def shipped_corpus() -> list[Path]:
    """Return the shipped training files (``whodid/data/training/*.jsonl``), sorted."""
    folder = Path(str(packaged(CORPUS_FOLDER)))
    return sorted(folder.glob("*.jsonl"))


def read_training_file(path: Path) -> list[TrainingRecord]:
    """Return the records of a training JSON Lines file.

    Each line is an object with at least ``text`` and ``plover`` (a PLOVER category, or null
    for a sentence without an event or with only a statement); ``id``, ``event``, ``quad``,
    ``source`` and ``target``, when present, are checked too. Raises RuleFileError
    "FILE:LINE: reason" at the first bad line.
    """
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise RuleFileError(str(path), None, f"cannot read: {e}") from e
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise RuleFileError(str(path), number, f"malformed JSON: {e.msg}") from e
        problem = record_problem(record)
        if problem:
            raise RuleFileError(str(path), number, problem)
        records.append(TrainingRecord(str(record.get("id") or f"{path.name}:{number}"),
                                      record["text"], record["plover"] or NONE))
    return records


def record_problem(record: Any) -> str | None:
    """Return what is wrong with one training record (None when nothing is)."""
    if not isinstance(record, dict):
        return f"expected a JSON object, found {type(record).__name__}"
    text, plover = record.get("text"), record.get("plover", ...)
    if not isinstance(text, str) or not text.strip():
        return "needs a non-empty 'text'"
    if plover is ... or (plover is not None and plover not in PLOVER_QUAD):
        return f"'plover' must be one of {', '.join(PLOVER_CATEGORIES)} or null, not {plover!r}"
    if "event" in record and record["event"] != (plover is not None):
        return "'event' must be true exactly when 'plover' is set"
    if "quad" in record and record["quad"] != PLOVER_QUAD.get(plover or "", 0):
        return f"'quad' of {plover or 'no event'} is {PLOVER_QUAD.get(plover or '', 0)}"
    for role in ("source", "target"):
        span = record.get(role)
        if span is not None and not _span_fits(span, text):
            return f"'{role}' span does not match the text at its start and end"
    return None


def _span_fits(span: Any, text: str) -> bool:
    return (isinstance(span, dict) and isinstance(span.get("start"), int)
            and isinstance(span.get("end"), int)
            and text[span["start"]:span["end"]] == span.get("text"))


def read_training(paths: Iterable[Path]) -> list[TrainingRecord]:
    """Return the records of every file in ``paths``, in order."""
    return [record for path in paths for record in read_training_file(path)]


# --- training ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CrossValidation:
    """Figures of a k-fold cross-validation on the training data."""

    folds: int
    sentences: int
    accuracy: float
    macro_f1: float


def _estimator(seed: int) -> Any:
    """Return the scikit-learn pipeline that ``fit`` fits: TF-IDF of the word and of the
    character features (each kept when in two sentences or more), then a multinomial logistic
    regression whose labels weigh inversely to their frequency."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(*(TfidfVectorizer(analyzer=kind, sublinear_tf=True, min_df=2)
                     for kind in (word_features, char_features))),
        LogisticRegression(C=REGULARISATION_C, class_weight=CLASS_WEIGHT, max_iter=5000,
                           random_state=seed))


def fit(records: Sequence[TrainingRecord], seed: int = 0) -> EventClassifier:
    """Fit a classifier on ``records``."""
    import sklearn

    estimator = _estimator(seed).fit([r.text for r in records], [r.label for r in records])
    (_, words), (_, chars) = estimator[0].transformer_list
    regression = estimator[-1]
    coefficients, intercept = regression.coef_, regression.intercept_
    if len(coefficients) == 1:  # two labels: scikit-learn keeps the second one's score only
        coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    classes = [str(label) for label in regression.classes_]
    order = [classes.index(label) for label in LABELS if label in classes]
    return EventClassifier(
        labels=tuple(classes[i] for i in order),
        vocabulary={**{str(term): int(column) for term, column in words.vocabulary_.items()},
                    **{str(term): len(words.idf_) + int(column)
                       for term, column in chars.vocabulary_.items()}},
        word_columns=len(words.idf_),
        idf=np.concatenate([words.idf_, chars.idf_]).astype(np.float32),
        weights=np.ascontiguousarray(coefficients[order].T, dtype=np.float32),
        intercept=intercept[order].astype(np.float32),
        metadata={"features": FEATURES, "seed": seed, "sentences": len(records),
                  "C": REGULARISATION_C, "class_weight": CLASS_WEIGHT,
                  "scikit-learn": sklearn.__version__,
                  "labels": dict(sorted(Counter(r.label for r in records).items()))})


def train(corpus_paths: Sequence[Path] | None = None, extra_paths: Sequence[Path] = (),
          seed: int = 0) -> EventClassifier:
    """Train a classifier on the files ``corpus_paths`` (default: the shipped corpus) plus
    ``extra_paths`` (a user's files in the same format)."""
    corpus = shipped_corpus() if corpus_paths is None else corpus_paths
    return fit(read_training([*corpus, *extra_paths]), seed)


def cross_validate(records: Sequence[TrainingRecord], folds: int = 5,
                   seed: int = 0) -> CrossValidation:
    """Return the accuracy and macro-F1 of stratified ``folds``-fold cross-validation (the folds
    shuffled with ``seed``). They measure sentences like the training ones, not unseen news."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, labels = [r.text for r in records], [r.label for r in records]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(_estimator(seed), texts, labels, cv=splitter)
    return CrossValidation(folds, len(records), round(float(accuracy_score(labels, predicted)), 4),
                           round(float(f1_score(labels, predicted, average="macro")), 4))
