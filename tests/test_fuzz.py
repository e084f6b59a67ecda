"""Fuzzing the path of one article, read -> stages -> store, with hypothesis: whatever the text
(lone surrogates, huge numbers, control characters, any script), an article is stored or is
one InputError; nothing raises out of the batch."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whodid import Article, InputError, Options, Pipeline, Store, read_inputs
from whodid.run import RunSummary, store_coded

WORDS = ["Police", "arrested", "protesters", "in", "Baghdad", "Iraq", "and", "Iran", "met",
         "killed", "troops", "on", "Monday", ".", ",", "\n\n", "Barzani", "said"]
# Text of any code point, lone surrogates included (hypothesis leaves them out by default).
ANY_CHARACTERS = st.text(st.characters(exclude_categories=()), max_size=40)
HUGE_NUMBERS = st.one_of(st.integers(min_value=10**15, max_value=10**60).map(str),
                         st.sampled_from(["1e400", "9" * 400, "NaN", "-0", "2.5 million"]))
PIECES = st.one_of(st.sampled_from(WORDS), HUGE_NUMBERS, ANY_CHARACTERS)
TEXTS = st.lists(PIECES, min_size=1, max_size=30).map(" ".join)
RECORDS = st.fixed_dictionaries({"id": st.one_of(st.text(max_size=8), ANY_CHARACTERS),
                                 "text": TEXTS},
                                optional={"published": st.one_of(ANY_CHARACTERS, HUGE_NUMBERS),
                                          "title": ANY_CHARACTERS})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(RECORDS, min_size=1, max_size=4))
def test_any_record_is_stored_or_is_one_error(records: list[dict[str, str]], options: Options,
                                              pipeline: Pipeline) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        items = list(read_inputs([str(path)], options))
        articles = [item for item in items if isinstance(item, Article)]
        results = pipeline(articles) if articles else []
        with Store(Path(folder) / "w.db") as store:
            summary = RunSummary(run_id=store.start_run([str(path)], {}, "fuzz"))
            stored = [r for r in results if isinstance(r, Article)
                      and store_coded(store, r, summary, "fuzz") is None]
            ids = set(store.article_ids())
    assert all(isinstance(item, Article | InputError) for item in items)
    assert len(items) == len(records)  # every line is an article or one error
    assert {a.id for a in stored} == ids
