"""Format characters (Unicode Cf: zero-width space, soft hyphen, bidirectional controls, word joiner,
byte-order mark, tags) are invisible, so a reader cannot see them in a pasted query and an editor
cannot see them in pasted text; inside a word they used to break it for search. The one text rule
(portal.text.clean_text) removes them from what editors store, and search reads queries and stored
text, including rows stored before that rule, without them. On SQLite and PostgreSQL alike."""

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case, CaseSection
from cases.search import apply_search, normalize_query
from cases.search.index import build_doc, case_texts, index_cases

WORD = "便民服务"
FORMAT = st.characters(categories=["Cf"])
OTHER_INVISIBLE = st.characters(categories=["Cc", "Co"])
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def ids(query):
    return list(apply_search(Case.objects.published(), query).queryset.values_list("pk", flat=True))


def interleave(word: str, inserts: list[str]) -> str:
    out = []
    for index, ch in enumerate(word):
        out.append(ch)
        if index < len(inserts):
            out.append(inserts[index])
    return "".join(out)


@pytest.mark.django_db
@SETTINGS
@given(inserts=st.lists(st.text(alphabet=FORMAT, min_size=1, max_size=3), min_size=1, max_size=4))
@example(inserts=["\u200b"])
@example(inserts=["\u00ad", "\u202e", "\u2060"])
@example(inserts=["\ufeff", "\U000e0041"])
def test_a_query_with_format_characters_inside_a_word_finds_what_the_word_finds(library, inserts):
    query = interleave(WORD, inserts)
    assert normalize_query(query)[0] == WORD
    assert ids(query) == ids(WORD)


@pytest.mark.django_db
@SETTINGS
@given(query=st.text(alphabet=st.one_of(FORMAT, OTHER_INVISIBLE, st.sampled_from(WORD)), max_size=30))
def test_no_control_format_or_private_use_character_is_left_in_a_query(library, query):
    normalized, _ = normalize_query(query)
    assert not any(unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cs") for ch in normalized)
    ids(query)


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u202e", "\u2060", "\ufeff", "\u200d\u2063"])
def test_text_stored_with_format_characters_is_found_by_the_plain_word(library, hidden):
    case = Case.objects.get(unit__county="彭山区")
    section = CaseSection.objects.create(case=case, order=99, heading="附记", paragraphs=["占位"])
    # As a row written before the cleaning rule, or by SQL: update() sends no signal and cleans nothing.
    CaseSection.objects.filter(pk=section.pk).update(paragraphs=[f"星河{hidden}滚烫的码头"])
    index_cases([case.pk])
    doc = build_doc(case.pk, case_texts(Case.objects.prefetch_related("sections").get(pk=case.pk)))
    assert "河滚" in doc.grams["C"]  # the index reads the text as if the character were not there
    assert case.pk in ids("星河滚烫")
    assert case.pk in ids(f"星{hidden}河滚烫")


def test_an_editor_saving_format_characters_stores_the_plain_text(library):
    case = Case.objects.get(unit__county="彭山区")
    case.title = "便\u200b民\u00ad服\u202e务\u2060中心"
    case.save()
    case.refresh_from_db()
    assert case.title == "便民服务中心"
