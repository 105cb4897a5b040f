"""Issue 15, fourth round, kind 8: whether the library holds a text as typed is one SQL query
(the index narrows, the database reads the stored text), not case texts read in Python; and it
answers as reading every case's text would, on SQLite and PostgreSQL (DATABASE_URL)."""

from functools import lru_cache

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.search.backends import backend_for
from cases.search.engine import held_as_typed
from cases.search.index import case_texts, cases_with_text
from cases.search.text import CJK_RUN, fold


@lru_cache(maxsize=1)
def library_texts() -> tuple[str, ...]:
    """Every searchable string of the published cases, folded."""
    published = Case.objects.published().values_list("pk", flat=True)
    return tuple(
        fold(part)
        for case in cases_with_text(list(published))
        for parts in case_texts(case).values()
        for part in parts
        if part
    )


@lru_cache(maxsize=1)
def runs() -> tuple[str, ...]:
    return tuple(run for text in library_texts() for run in CJK_RUN.findall(text) if len(run) >= 4)


def truly_held(text: str) -> bool:
    return any(text in part for part in library_texts())


def check(text: str) -> None:
    backend = backend_for(connection)
    with CaptureQueriesContext(connection) as queries:
        answer = held_as_typed(Case.objects.published(), backend, text)
    # One query (the word counts may be memoised; the check itself reads no case into Python).
    assert len(queries) <= 1, [q["sql"][:80] for q in queries]
    assert answer == truly_held(text), text


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_piece_of_a_stored_text_is_held_as_typed(library, data):
    run = data.draw(st.sampled_from(runs()))
    start = data.draw(st.integers(0, len(run) - 2))
    size = data.draw(st.integers(2, min(8, len(run) - start)))
    check(run[start : start + size])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_pieces_put_together_are_held_only_when_some_text_holds_them(library, data):
    # Two pieces of stored text joined (their pairs are in the library, the whole mostly not).
    first, second = data.draw(st.lists(st.sampled_from(runs()), min_size=2, max_size=2))
    check(first[:2] + second[-2:])


def test_the_verifiers_words(library):
    for text in ("村级代办点", "代办点", "政务服务网", "网格员", "代办员"):
        check(text)
