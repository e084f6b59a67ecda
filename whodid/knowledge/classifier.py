"""A learned second opinion: which PLOVER category (or none) a sentence reports.

The model is a linear classifier over TF-IDF features, trained on the corpus we wrote ourselves
(``data/training/*.jsonl``, see its README) and shipped as ``data/models/event_classifier.npz``.
Inference needs only numpy (and the sentence's spaCy parse, which the pipeline has already made),
so loading stays fast:

1. three kinds of features: of the lower-cased text, digits folded to 0, ``word_features``,
   word unigrams and bigrams (``\\b\\w\\w+\\b`` tokens), and ``char_features``, character
   2-5-grams inside each whitespace-separated word padded with spaces (scikit-learn's
   ``char_wb``); of the parse, ``sentence_features.parse_features``: verb lemmas, verb + object
   and verb + preposition + object pairs, the main verb (the one a "said" reports) and how it
   is told (negated, modal, future, passive, conditional, its tense), so that a paraphrase or
   another voice of one act shares features and "did not arrest" differs from "arrested";
2. for each kind, the term frequencies of its known features, sublinear (1 + log tf), times
   their idf, scaled to unit length (so words weigh as much as the far more numerous
   character n-grams), the parse features then to ``PARSE_WEIGHT``;
3. one score per label (coefficients . the vectors + intercept), softmax into probabilities.

Labels are the 16 PLOVER categories and ``NONE`` (no event, or only a statement). The model is
given a sentence's Span (the events stage) or a text, which it parses with the spaCy model its
training sentences were parsed with (``metadata["parser"]``, loaded on first use).
``train(corpus_paths, extra_paths, seed)`` parses the sentences with whodid's spaCy model and
fits the same features with scikit-learn's multinomial logistic regression (imported only to
train), deterministically: the files are read in order, the parse and the solver (L-BFGS) are
deterministic; ``seed`` fixes the folds of ``cross_validate``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from whodid.knowledge.codebook import PLOVER_CATEGORIES, PLOVER_QUAD
from whodid.knowledge.rules import RuleFileError, packaged
from whodid.knowledge.sentence_features import parse_features

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

NONE = "NONE"
LABELS = (NONE, *PLOVER_CATEGORIES)
# changes whenever a feature function does (sentence_features included); checked on load
FEATURES = "word-1-2+char_wb-2-5+parse/v2"
MODEL_NAME = "models/event_classifier.npz"
CORPUS_FOLDER = "training"
REGULARISATION_C = 30.0  # inverse L2 strength; 5-fold accuracy 0.72 at 3, 0.75 from 10 to 100
# each label's errors weigh inversely to its share of the corpus (NONE is a fifth of it, a
# category about a twentieth): 5-fold accuracy 0.755 against 0.744 unweighted (parts a-e)
CLASS_WEIGHT = "balanced"
PARSE_WEIGHT = 1.0  # the parse features' share beside the word and the character features

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
    ``word_columns``, then the character features, then, from ``parse_columns`` on, the parse
    features (weighing ``parse_weight``). ``metadata`` says how it was trained."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    word_columns: int
    parse_columns: int
    parse_weight: float
    idf: FloatArray
    weights: FloatArray
    intercept: FloatArray
    metadata: dict[str, Any] = field(default_factory=dict)
    # of each whitespace-separated word met: the columns of its known word unigrams and
    # character n-grams, and its words (for the bigrams, which span words): most words recur,
    # and cutting them up again is most of the cost of a sentence
    _known: dict[str, tuple[npt.NDArray[np.intp], tuple[str, ...]]] = field(
        default_factory=dict, repr=False, compare=False)

    def probabilities(self, sentence: str | Span | Doc) -> dict[str, float]:
        """Return the probability of every label for ``sentence``: a parsed spaCy Span (or
        Doc), or a text, which is parsed first (``parsed``)."""
        return dict(zip(self.labels, self.probability_row(sentence).tolist(), strict=True))

    def top(self, sentence: str | Span | Doc) -> tuple[str, float]:
        """Return the most probable label of ``sentence`` (a Span or a text) and its
        probability."""
        return _best(self.labels, self.probability_row(sentence))

    def tops(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Return ``top`` of each of ``texts``, parsed together (faster than one by one)."""
        return [_best(self.labels, self.probability_row(doc)) for doc in self.parsed(texts)]

    def probability_row(self, sentence: str | Span | Doc) -> FloatArray:
        """Return the probabilities of the labels of ``sentence`` (a Span or a text), in the
        order of ``labels``."""
        parsed = self.parsed([sentence])[0] if isinstance(sentence, str) else sentence
        columns, values = self._vector(parsed.text, parse_features(parsed))
        scores: FloatArray = self.intercept + values @ self.weights[columns]
        exp: FloatArray = np.exp(scores - scores.max())
        probabilities: FloatArray = exp / exp.sum()
        return probabilities

    def parsed(self, texts: Sequence[str]) -> list[Doc]:
        """Return ``texts`` parsed by the spaCy model the training sentences were parsed with
        (``metadata["parser"]``, loaded once)."""
        return list(_parser(str(self.metadata.get("parser"))).pipe(texts, batch_size=64))

    def _vector(self, text: str, parsed: Sequence[str]
                ) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Return the columns (ascending) and TF-IDF values of the known features of
        ``text`` and of its ``parsed`` features: the word, the character and the parse
        features each scaled to unit length, the parse ones then to ``parse_weight``."""
        known = [self._known_columns(chunk) for chunk in _folded(text).split()]
        words = [word for _, chunk_words in known for word in chunk_words]
        grams = [c for c in map(self.vocabulary.get, [*_bigrams(words), *parsed])
                 if c is not None]
        found = np.concatenate([np.array(grams, dtype=np.intp),
                                *(columns for columns, _ in known)])
        columns, tf = np.unique(found, return_counts=True)
        values = (1.0 + np.log(tf.astype(np.float32))) * self.idf[columns]
        chars, parse = np.searchsorted(columns, (self.word_columns, self.parse_columns))
        for kind, weight in ((values[:chars], 1.0), (values[chars:parse], 1.0),
                             (values[parse:], self.parse_weight)):  # views: scaled in place
            norm = np.sqrt(kind @ kind)
            if norm:
                kind *= weight / norm
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
                word_columns=np.array(self.word_columns),
                parse_columns=np.array(self.parse_columns),
                parse_weight=np.array(self.parse_weight), idf=self.idf, weights=self.weights,
                intercept=self.intercept,
                metadata=_bytes(json.dumps(self.metadata, sort_keys=True)))


def _best(labels: Sequence[str], row: FloatArray) -> tuple[str, float]:
    best = int(row.argmax())
    return labels[best], float(row[best])


@cache
def _parser(name: str) -> Language:
    """Return the spaCy pipeline ``name``, loaded once."""
    from whodid.stages.parse import load_nlp

    return load_nlp(name)


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
            if metadata.get("features") != FEATURES:
                raise RuleFileError(str(source), None, f"model made with features "
                                    f"{metadata.get('features')!r}, this whodid uses "
                                    f"{FEATURES!r}: rebuild it with 'whodid train'")
            terms = arrays["vocabulary"].tobytes().decode("utf-8").split("\n")
            model = EventClassifier(
                labels=tuple(str(label) for label in arrays["labels"]),
                vocabulary={term: column for column, term in enumerate(terms)},
                word_columns=int(arrays["word_columns"]),
                parse_columns=int(arrays["parse_columns"]),
                parse_weight=float(arrays["parse_weight"]), idf=arrays["idf"],
                weights=arrays["weights"], intercept=arrays["intercept"],
                metadata=metadata)
    except RuleFileError:
        raise
    except (OSError, KeyError, ValueError) as e:
        raise RuleFileError(str(source), None, f"not an event classifier model: {e}") from e
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
    """Return the scikit-learn pipeline that ``fit`` fits on (text, parse features) pairs:
    TF-IDF of the word, of the character and of the parse features (each kept when in two
    sentences or more; the parse ones weighing ``PARSE_WEIGHT``), then a multinomial logistic
    regression whose labels weigh inversely to their frequency."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    kinds = (("words", _text_words), ("chars", _text_chars), ("parse", _parsed))
    return make_pipeline(
        FeatureUnion([(name, TfidfVectorizer(analyzer=kind, sublinear_tf=True, min_df=2))
                      for name, kind in kinds], transformer_weights={"parse": PARSE_WEIGHT}),
        LogisticRegression(C=REGULARISATION_C, class_weight=CLASS_WEIGHT, max_iter=5000,
                           random_state=seed))


def _text_words(item: tuple[str, list[str]]) -> list[str]:
    return word_features(item[0])


def _text_chars(item: tuple[str, list[str]]) -> list[str]:
    return char_features(item[0])


def _parsed(item: tuple[str, list[str]]) -> list[str]:
    return item[1]


def parsed_records(records: Sequence[TrainingRecord],
                   parser: str) -> list[tuple[str, list[str]]]:
    """Return the text and the parse features of each record, parsed by the spaCy model
    ``parser``, in order."""
    docs = _parser(parser).pipe((r.text for r in records), batch_size=64)
    return [(r.text, parse_features(doc)) for r, doc in zip(records, docs, strict=True)]


def default_parser() -> str:
    """Return the name of the spaCy model whodid parses with (``Options.spacy_model``)."""
    from whodid.config import load_options

    return load_options().spacy_model


def fit(records: Sequence[TrainingRecord], seed: int = 0,
        parser: str | None = None) -> EventClassifier:
    """Fit a classifier on ``records``, parsed by the spaCy model ``parser`` (default:
    ``default_parser()``), whose name the model keeps to parse the texts it is given."""
    import sklearn
    from spacy.about import __version__ as spacy_version

    name = parser or default_parser()
    items = parsed_records(records, name)
    estimator = _estimator(seed).fit(items, [r.label for r in records])
    vectorizers = [vectorizer for _, vectorizer in estimator[0].transformer_list]
    regression = estimator[-1]
    coefficients, intercept = regression.coef_, regression.intercept_
    if len(coefficients) == 1:  # two labels: scikit-learn keeps the second one's score only
        coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    classes = [str(label) for label in regression.classes_]
    order = [classes.index(label) for label in LABELS if label in classes]
    offsets = np.cumsum([0, *(len(v.idf_) for v in vectorizers)]).tolist()
    return EventClassifier(
        labels=tuple(classes[i] for i in order),
        vocabulary={str(term): offset + int(column)
                    for vectorizer, offset in zip(vectorizers, offsets, strict=False)
                    for term, column in vectorizer.vocabulary_.items()},
        word_columns=offsets[1], parse_columns=offsets[2], parse_weight=PARSE_WEIGHT,
        idf=np.concatenate([v.idf_ for v in vectorizers]).astype(np.float32),
        weights=np.ascontiguousarray(coefficients[order].T, dtype=np.float32),
        intercept=intercept[order].astype(np.float32),
        metadata={"features": FEATURES, "seed": seed, "sentences": len(records),
                  "C": REGULARISATION_C, "class_weight": CLASS_WEIGHT,
                  "parse_weight": PARSE_WEIGHT, "parser": name,
                  "parser_version": str(_parser(name).meta.get("version")),
                  "spacy": spacy_version, "scikit-learn": sklearn.__version__,
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

    items, labels = parsed_records(records, default_parser()), [r.label for r in records]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(_estimator(seed), items, labels, cv=splitter)
    return CrossValidation(folds, len(records), round(float(accuracy_score(labels, predicted)), 4),
                           round(float(f1_score(labels, predicted, average="macro")), 4))
