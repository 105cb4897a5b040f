"""A word (or the whole query) that occurs in the library's texts as typed is never corrected or
read as another word (政务服务网 is not a slip of 政务服务圈)."""

import pytest

from cases.models import Case
from cases.search import apply_search


def search(query):
    return apply_search(Case.objects.published(), query)


def text_of(case):
    paragraphs = [p for section in case.sections.all() for p in [section.heading, *section.paragraphs]]
    return "\n".join([case.title, case.summary or "", *filter(None, paragraphs)])


@pytest.mark.parametrize("query", ["政务服务网", "政务服务网 凉山"])
def test_a_word_the_library_holds_as_typed_is_searched_as_typed(library, query):
    literal = {c.slug for c in Case.objects.published() if "政务服务网" in text_of(c)}
    assert literal  # (the library writes it; the index cuts it into 政务服务 + 网)
    outcome = search(query)
    assert outcome.corrected is None
    assert outcome.readings == []
    assert outcome.read_query == outcome.query
    assert literal <= set(outcome.queryset.values_list("slug", flat=True))


def test_a_word_whose_character_pairs_lie_apart_is_still_read(library):
    # 村级代办点 is in no case as typed (its pairs are, apart): it is read as 村级代办, and said so.
    assert not any("村级代办点" in text_of(c) for c in Case.objects.published())
    outcome = search("村级代办点")
    assert outcome.readings == [("村级代办点", "村级代办")]
    assert outcome.read_query == "村级代办"
