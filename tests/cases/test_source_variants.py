"""Names the source writes two ways (issue 13): the form used is shown, the other form is recorded in
an erratum that reads misprint -> form used, and a search for either form finds the case."""

import pytest

from awards.models import Prefecture, Unit
from cases.models import Case, Erratum
from cases.search import apply_search


def case_text(case) -> str:
    return "".join(p for s in case.sections.all() for p in [s.heading, *s.paragraphs])


def found(query) -> set[int]:
    return set(apply_search(Case.objects.published(), query).queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("tier", "number", "original", "used"),
    [
        ("excellent", 20, "三办两代一回访", "三办双代一回访"),
        ("excellent", 17, "福祿社区", "福禄社区"),
        ("excellent", 20, "顺风快递", "顺丰快递"),
        ("excellent", 21, "上罗分中收", "上罗分中心"),
        ("excellent", 10, "qq群", "QQ群"),
        ("excellent", 32, "省政务和公共资源交易服务中心", "省政务服务和公共资源交易服务中心"),
        ("excellent", 26, "硃碛", "硗碛"),
        ("excellent", 26, "硃磧", "硗碛"),
        ("best", 5, "鄯家镇", "鄢家镇"),
        ("best", 9, "雅安市政务服务大数据局", "雅安市政务服务和大数据局"),
        ("excellent", 26, "雅安市政务服务大数据局", "雅安市政务服务和大数据局"),
        ("excellent", 27, "一事情", "一件事"),  # verifier: the programme 一件事 misprinted in a heading
    ],
)
def test_a_variant_in_the_text_is_shown_in_the_form_used_and_recorded(library, tier, number, original, used):
    case = Case.objects.get(tier__slug=tier, number=number)
    text = case_text(case) + case.summary
    assert original not in text and used in text
    erratum = case.errata.get(original=original)
    assert erratum.kind == "spelling" and erratum.corrected == used
    assert "正文" in erratum.location and erratum.reason


def test_the_baoxing_township_reads_qiaoqi_everywhere(library):
    baoxing = Case.objects.get(tier__slug="excellent", number=26)
    text = case_text(baoxing)
    assert "硃" not in text and "磧" not in text and text.count("硗碛") == 7
    assert baoxing.summary.startswith("宝兴县硗碛藏族乡夹金山村")
    for erratum in baoxing.errata.filter(corrected="硗碛"):
        assert erratum.original in {"硃碛", "硃磧"}
        assert "硗碛藏族乡" in erratum.reason


def test_every_spelling_erratum_is_found_by_both_forms(library):
    """Whatever the reader types, the misprint or the form used, the case comes up."""
    missing = []
    for erratum in Erratum.objects.filter(kind="spelling").select_related("case"):
        for query in (erratum.original, erratum.corrected):
            if erratum.case_id not in found(query):
                missing.append((erratum.case.slug, query))
    assert missing == []


@pytest.mark.parametrize("query", ["硗碛", "硗碛藏族乡", "硃碛", "硃磧"])
def test_a_search_for_qiaoqi_finds_baoxing_first(library, query):
    baoxing = Case.objects.get(tier__slug="excellent", number=26)
    ranked = list(apply_search(Case.objects.published(), query).queryset.values_list("pk", flat=True))
    assert ranked[0] == baoxing.pk


def test_yanjia_is_the_town_and_the_misprint_stays_searchable(library):
    unit = Unit.objects.get(name="德阳市罗江区鄯家镇便民服务中心")
    assert unit.township == "鄢家镇" and unit.place == "德阳市罗江区鄢家镇"
    case = unit.cases.get()
    assert case.pk in found("鄢家镇") and case.pk in found("鄯家镇")
    assert case.pk in found("德阳市罗江区鄢家镇便民服务中心")


def test_beichuan_shows_its_official_name(library):
    unit = Unit.objects.get(name="绵阳市北川县擂鼓镇")  # the notice's record, unchanged
    assert unit.county == "北川羌族自治县"
    assert unit.place == "绵阳市北川羌族自治县擂鼓镇"
    assert "绵阳市北川羌族自治县擂鼓镇" in unit.aliases
    erratum = unit.errata.get(original="北川县")
    assert erratum.corrected == "北川羌族自治县" and "附件2 第9号" in erratum.location
    case = unit.cases.get()
    assert case.pk in found("北川县") and case.pk in found("北川羌族自治县")


def test_the_three_autonomous_prefectures_show_the_notices_short_form(library):
    shown = {p.code: (p.name, p.full_name, p.kind) for p in Prefecture.objects.filter(kind="autonomous")}
    assert shown == {
        "513200": ("阿坝州", "阿坝藏族羌族自治州", "autonomous"),
        "513300": ("甘孜州", "甘孜藏族自治州", "autonomous"),
        "513400": ("凉山州", "凉山彝族自治州", "autonomous"),
    }


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        ("513200", ["阿坝州", "阿坝藏族羌族自治州"]),
        ("513300", ["甘孜州", "甘孜藏族自治州"]),
        ("513400", ["凉山州", "凉山彝族自治州"]),
    ],
)
def test_both_forms_of_a_prefecture_find_its_cases(library, code, forms):
    own = set(Case.objects.filter(unit__prefecture__code=code).values_list("pk", flat=True))
    for form in forms:
        assert own <= found(form), form


def test_the_prefecture_page_shows_the_short_form_and_the_official_name(library, client):
    page = client.get(Prefecture.objects.get(code="513300").get_absolute_url()).content.decode()
    assert "甘孜州" in page and "甘孜藏族自治州" in page
