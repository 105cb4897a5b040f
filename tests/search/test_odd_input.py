"""Odd input the search must read as readers mean it (issue 17, items 7 and 8): radicals and
compatibility forms copied from PDFs, pasted tokens too long for PostgreSQL, and characters that
must never reach SQL. On SQLite and PostgreSQL alike."""

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case, CaseSection
from cases.search import apply_search, highlight
from cases.search.text import MAX_TOKEN_LENGTH, RADICALS, fold

KANGXI = range(0x2F00, 0x2FD6)
SUPPLEMENT = range(0x2E80, 0x2EF4)
COMPATIBILITY = [*range(0xF900, 0xFA6E), *range(0xFA70, 0xFADA), *range(0x2F800, 0x2FA1E)]


def ids(query):
    return list(apply_search(Case.objects.published(), query).queryset.values_list("pk", flat=True))


def ideograph_of(ch: str) -> str | None:
    """What a radical or compatibility form stands for, from the Unicode data alone."""
    if ord(ch) in RADICALS:
        return RADICALS[ord(ch)]
    normal = unicodedata.normalize("NFKC", ch)
    return normal if normal != ch else None


def test_every_radical_and_compatibility_form_with_an_equivalent_folds_to_it():
    checked = 0
    for cp in [*KANGXI, *SUPPLEMENT, *COMPATIBILITY]:
        ch = chr(cp)
        target = ideograph_of(ch)
        if target is None:
            continue  # a radical with no equivalent ideograph stays itself
        assert fold(ch) == target, hex(cp)
        assert "\u4e00" <= target <= "\u9fff" or ord(target) >= 0x3400, hex(cp)
        checked += 1
    assert checked > 400


@pytest.mark.parametrize(
    ("pasted", "meant"),
    [
        ("便\u2ea0服务", "便民服务"),  # CJK Radicals Supplement: ⺠
        ("\u2f08员", "人员"),  # Kangxi radical ⼈
        ("\u2fa6融", "金融"),  # ⾦ (Kangxi)
        ("\u2ec4昌", "西昌"),  # ⻄ (supplement)
    ],
)
def test_pasted_radicals_find_what_the_ideographs_find(library, pasted, meant):
    assert fold(pasted) == meant
    assert ids(pasted) == ids(meant)
    assert ids(meant)


def test_radicals_in_stored_text_are_found_and_marked(library):
    case = Case.objects.get(unit__county="彭山区")
    # ⻰ (U+2EF0) stands for 龙, ⽰ (U+2F70) for 示: as a PDF copy gives them.
    CaseSection.objects.create(case=case, order=99, heading="附记", paragraphs=["青\u2ef0湖畔的\u2f70范站点"])
    assert case.pk in ids("青龙湖畔")
    assert case.pk in ids("青\u2ef0湖畔")
    passages = highlight(Case.objects.prefetch_related("sections").get(pk=case.pk), "青龙湖畔")
    assert any("<mark>青\u2ef0湖畔</mark>" in p for p in passages)


@pytest.mark.parametrize(
    "blob",
    [
        "a" * 2400,
        "QUJD" * 600 + "==",  # base64
        "https://example.org/" + "x" * 2400,
        "9" * 5000,
    ],
)
def test_a_pasted_long_token_never_blocks_a_save(library, blob):
    case = Case.objects.get(unit__county="彭山区")
    section = CaseSection.objects.create(
        case=case, order=98, heading="附件", paragraphs=[f"材料编码{blob}结束"]
    )
    section.save()
    case.title = case.title + blob[:50]
    case.save()
    assert case.pk in ids("材料编码")
    # The token is cut the same way in the query and in the index: its start finds it.
    start = fold(blob)[:MAX_TOKEN_LENGTH]
    if start.isalnum():
        assert case.pk in ids(start)


def test_a_case_with_a_huge_text_is_still_saved(library):
    case = Case.objects.get(unit__county="彭山区")
    words = " ".join(f"w{i:07d}x{i * 7919 % 100000:05d}" for i in range(60_000))
    CaseSection.objects.create(case=case, order=97, heading="附件", paragraphs=[words, "星河滚烫的结尾"])
    assert case.pk in ids("彭山")


UNSAFE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            ["\x00", "\ud800", "\udfff", "\x1b", "\u200b", "\ufeff", "'", "\\", ":", "*", "&", "|", "!"]
        ),
    ),
    max_size=120,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=UNSAFE)
@example(query="彭山\x00")
@example(query="\x00")
@example(query="\ud800便民")
def test_unsafe_characters_never_reach_sql(library, query):
    with CaptureQueriesContext(connection) as captured:
        outcome = apply_search(Case.objects.published(), query)
        list(outcome.queryset[:5])
        outcome.queryset.count()
    for run in captured.captured_queries:
        sql = run["sql"]
        assert "\x00" not in sql
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in sql)
    assert "\x00" not in outcome.query
