"""Search behaviour on the real library: places, synonyms, traditional characters, literal recall,
partial matches, bad input, highlighting and combination with the list filters."""

import re

import pytest

from awards.models import Prefecture, Unit
from cases.filters import CaseFilter
from cases.models import Case
from cases.search import MAX_QUERY_LENGTH, apply_search, highlight, is_partial_match, normalize_query
from cases.search.segmenter import get_segmenter

SUFFIXES = ("街道", "市", "区", "县", "镇", "乡")


def ids(query, queryset=None):
    outcome = apply_search(queryset if queryset is not None else Case.objects.published(), query)
    return list(outcome.queryset.values_list("pk", flat=True))


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def place_cases():
    """(query, ids of the cases of that place) for every county, township and prefecture with cases,
    in short and full form, worked out from the data."""
    places: dict[str, set[int]] = {}
    for case in Case.objects.published().select_related("unit__prefecture"):
        unit = case.unit
        names = [unit.prefecture.short_name, unit.prefecture.name, unit.prefecture.full_name]
        names += [n for n in (unit.county, unit.township) if n]
        names += [short_name(n) for n in (unit.county, unit.township) if n]
        for name in names:
            places.setdefault(name, set()).add(case.pk)
    return places


def test_segmenter_is_loaded_at_startup():
    # AppConfig.ready() loads jieba and the lexicon, so the first reader does not wait for it.
    assert get_segmenter().initialized


def test_index_covers_every_case(library):
    from cases.models import SearchDocument

    assert SearchDocument.objects.count() == Case.objects.count() == 44


def test_plain_jieba_splits_are_fixed_by_the_lexicon():
    tokens = [t for slot in get_segmenter().index_tokens("眉山市彭山区实现出生一件事联办服务") for t in slot]
    assert "彭山" in tokens and "彭山区" in tokens and "山区" in tokens
    assert "彭" not in tokens


def test_every_place_name_finds_its_own_cases_first(library):
    failures = []
    for name, own in sorted(place_cases().items()):
        found = ids(name)
        if set(found[: len(own)]) != own:
            failures.append((name, sorted(own), found[: len(own) + 2]))
    assert not failures


@pytest.mark.parametrize(
    ("query", "unit_name"),
    [
        ("彭山", "眉山市彭山区行政审批局"),
        ("雷波", "凉山州雷波县政务服务管理局"),
        ("甘孜", "甘孜藏族自治州行政审批局"),
        ("鄢家", "德阳市罗江区鄯家镇便民服务中心"),
        ("鄯家", "德阳市罗江区鄯家镇便民服务中心"),
        ("珙", "宜宾珙县行政审批和非公经济发展局"),
        ("珙县", "宜宾珙县行政审批和非公经济发展局"),
        ("宝兴", "雅安市宝兴县行政审批局"),
    ],
)
def test_short_names_of_the_issue(library, query, unit_name):
    first = apply_search(Case.objects.published(), query).queryset.first()
    assert first.unit.name == unit_name


def test_liangshan_in_three_forms(library):
    expected = set(Case.objects.filter(unit__prefecture__short_name="凉山").values_list("pk", flat=True))
    assert len(expected) == 3
    results = [ids(q) for q in ("凉山", "凉山州", "凉山彝族自治州")]
    assert results[0] == results[1] == results[2]
    assert set(results[0][:3]) == expected


@pytest.mark.parametrize("variant", ["政务服务+金融", "政务＋金融", "政务 + 金融", "政务金融"])
def test_government_plus_finance_spellings_agree(library, variant):
    assert ids(variant) == ids("政务+金融")
    assert len(ids("政务+金融")) >= 10


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("涼山州", "凉山州"),
        ("幫辦代辦", "帮办代办"),
        ("政務服務+金融", "政务服务+金融"),
        ("雷波縣", "雷波县"),
        ("一網通辦", "一网通办"),
    ],
)
def test_traditional_characters_give_the_simplified_results(library, traditional, simplified):
    assert ids(traditional) == ids(simplified)
    assert ids(simplified)


def test_variant_spellings_of_the_source(library):
    huaying = Case.objects.get(unit__county="华蓥市").pk
    for query in ("欢荟办", "欢荃办", "欢蓥办"):
        assert ids(query)[0] == huaying
    baoxing = Case.objects.get(unit__county="宝兴县").pk
    assert ids("硃磧")[0] == ids("硃碛")[0] == baoxing


def test_any_literal_string_of_two_or_more_characters_is_found(library):
    """The safety net: substrings cut at arbitrary places, whatever jieba makes of them."""
    cjk = re.compile(r"[\u4e00-\u9fff]+")
    checked = 0
    for case in Case.objects.prefetch_related("sections")[::3]:
        text = "".join(p for s in case.sections.all() for p in s.paragraphs)
        runs = [r for r in cjk.findall(text) if len(r) >= 9]
        for n, run in enumerate(runs[:: max(1, len(runs) // 4)][:4]):
            length = 2 + (n + case.pk) % 6
            start = (case.pk * 7 + n) % (len(run) - length)
            piece = run[start : start + length]
            assert case.pk in ids(piece), piece
            checked += 1
    assert checked >= 40


def test_all_terms_first_then_partial_matches(library):
    outcome = apply_search(Case.objects.published(), "彭山 出生")
    assert outcome.queryset.first().unit.county == "彭山区"
    # A few full matches followed by partial ones: the outcome says partial and how many are full.
    assert outcome.partial and outcome.full_matches >= 1
    ranks = list(outcome.queryset.values_list("search_rank", flat=True))
    flags = [is_partial_match(outcome, rank) for rank in ranks]
    assert flags == sorted(flags) and flags.count(False) == outcome.full_matches and True in flags
    outcome = apply_search(Case.objects.published(), "彭山 柑橘")
    assert outcome.partial
    found = list(outcome.queryset.values_list("unit__county", flat=True))
    assert "彭山区" in found and "雁江区" in found


def test_a_typo_that_finds_nothing_is_searched_corrected(library):
    outcome = apply_search(Case.objects.published(), "彭三")
    assert outcome.corrected == "彭山"
    assert outcome.queryset.first().unit.county == "彭山区"
    outcome = apply_search(Case.objects.published(), "量子计算机")
    assert not outcome.queryset.exists() and not outcome.corrected and not outcome.suggestions


def test_empty_and_blank_queries_list_everything(library):
    everything = Case.objects.published()
    for query in ("", "   ", "\t\n", None):
        outcome = apply_search(everything, query)
        assert outcome.queryset.count() == 44
        assert not outcome.truncated


def test_long_queries_are_cut_with_a_notice(library):
    query = "彭山" + "便民服务" * 40
    outcome = apply_search(Case.objects.published(), query)
    assert outcome.truncated
    assert len(outcome.query) == MAX_QUERY_LENGTH
    assert normalize_query("雷波" * 60)[1]


BAD_INPUT = [
    '"彭山"',
    "'彭山'",
    "彭山 & 雷波",
    "彭山|雷波",
    "!彭山",
    "(彭山)",
    "彭山:*",
    "&|!():*",
    "'; DROP TABLE cases_case; --",
    "1' OR '1'='1",
    "彭山\x00\x07\x1b",
    "\u200b\u200d",
    "🙂👍🏽",
    "彭山🙂",
    "𠀀𠀁𪚥",
    "\\",
    "%_%",
    "NEAR(彭山 雷波)",
    "彭山 AND 雷波 OR NOT",
    "<script>alert(1)</script>",
    "a" * 500,
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_is_searched_as_text(library, query):
    outcome = apply_search(Case.objects.published(), query)
    list(outcome.queryset[:20])
    outcome.queryset.count()
    case = Case.objects.get(unit__county="彭山区")
    for passage in highlight(case, query):
        assert "<script" not in passage


def test_operator_characters_are_text(library):
    assert ids('"彭山"') == ids("彭山")
    assert ids("彭山:*") == ids("彭山")


def test_highlight_marks_matches_and_escapes(library):
    case = Case.objects.get(unit__county="彭山区")
    passages = highlight(case, "彭山 出生", limit=3)
    assert 1 <= len(passages) <= 3
    assert all("<mark>" in p for p in passages)
    assert any("<mark>出生</mark>" in p for p in passages)
    assert highlight(case, "彭山", limit=2) and len(highlight(case, "彭山", limit=2)) <= 2
    passages = highlight(case, "<b>彭山</b>")
    assert passages and all("<b>" not in p for p in passages)
    assert highlight(case, "") == []


def test_search_combines_with_filters(library):
    liangshan = Prefecture.objects.get(short_name="凉山")
    data = {"q": "政务+金融", "prefecture": [liangshan.code]}
    filterset = CaseFilter(data, queryset=Case.objects.published())
    found = list(filterset.qs)
    assert found and all(c.unit.prefecture_id == liangshan.pk for c in found)
    assert filterset.search_outcome is not None
    level = CaseFilter(
        {"q": "便民服务", "level": [Unit.Level.TOWNSHIP]}, queryset=Case.objects.published()
    ).qs
    assert level.exists() and all(c.unit.level == Unit.Level.TOWNSHIP for c in level)


def test_results_are_annotated_and_ordered_by_rank(library):
    ranks = list(
        apply_search(Case.objects.published(), "帮办代办").queryset.values_list("search_rank", flat=True)
    )
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > 0


def test_unpublished_cases_stay_out_of_public_searches(library):
    case = Case.objects.get(unit__county="彭山区")
    case.status = Case.Status.DRAFT
    case.save()
    assert case.pk not in ids("彭山")
    assert case.pk in ids("彭山", Case.objects.all())
