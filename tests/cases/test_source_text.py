"""Text quality of the imported write-ups, checked over all 44 cases, and the parser's rules."""

import re

import pytest
from django.conf import settings

from cases.library import build_fixture_text
from cases.models import Case, CaseSection, Erratum
from cases.source import (
    CAPTION,
    RUNNING_HEADS,
    is_closed,
    is_standalone_subheading,
    join_paragraphs,
    mend_conjunctions,
    normalize_punctuation,
    parse,
)

CN_NUMS = "一二三四五六七八九十"


@pytest.fixture(scope="module")
def document():
    return parse(settings.LIBRARY_SOURCE.read_text(encoding="utf-8"))


def all_paragraphs():
    for section in CaseSection.objects.select_related("case"):
        for paragraph in section.paragraphs:
            yield section.case, paragraph


def test_parsing_the_source_again_gives_the_committed_fixture():
    assert build_fixture_text(settings.LIBRARY_SOURCE) == settings.LIBRARY_FIXTURE.read_text(encoding="utf-8")


def test_the_project_keeps_its_own_copy_of_the_source():
    assert settings.LIBRARY_SOURCE.is_relative_to(settings.BASE_DIR)
    assert "川政公函〔2022〕35号" in settings.LIBRARY_SOURCE.read_text(encoding="utf-8")


# --- rules, on small inputs ---------------------------------------------------------------------


def test_a_paragraph_cut_by_a_page_break_is_joined():
    assert join_paragraphs(
        ["（一）示范建设“市民驿站”智慧政务自助办。在社区超市", "创新建设“市民驿站”。"]
    ) == ["（一）示范建设“市民驿站”智慧政务自助办。在社区超市创新建设“市民驿站”。"]


def test_a_closing_quote_ends_a_paragraph_only_after_a_full_stop():
    lines = ["响石镇采取“中心+社区”", "相融合的方式。", "群众说：“真方便。”", "下一段。"]
    assert join_paragraphs(lines) == ["响石镇采取“中心+社区”相融合的方式。", "群众说：“真方便。”", "下一段。"]


def test_a_closed_paragraph_is_not_joined():
    assert join_paragraphs(["第一段。", "第二段。"]) == ["第一段。", "第二段。"]


def test_a_standalone_subheading_stays_on_its_own():
    lines = [
        "（一）以“一站、一窗、一次”加快标准化建设，让服务事项有地办",
        "以完善硬件为基础，推进一个站点升级。",
    ]
    assert join_paragraphs(lines) == lines


def test_a_caption_is_never_glued_into_a_sentence():
    lines = ["一是将办事窗口前移到助产机构，新生儿母亲", "图1 群众视角", "即可通过陪床家属办理。"]
    assert join_paragraphs(lines) == [
        "一是将办事窗口前移到助产机构，新生儿母亲即可通过陪床家属办理。",
        "图1 群众视角",
    ]


def test_an_enumeration_item_cut_off_by_a_page_break_rejoins_its_list():
    lines = [
        "（三）助推机制建设。一是建立规范。二是编制规范。",
        "三是创新系列审批便民服务机制。实施企业开办“一窗通”。",
        "（四）助推队伍建设。一是强化。二是设立。三是发展。",
    ]
    assert join_paragraphs(lines) == [lines[0] + lines[1], lines[2]]


@pytest.mark.parametrize(
    "lines",
    [
        # Each item opens a paragraph of its own: the author's layout, kept.
        ["一是建立规范。", "二是编制规范。", "三是创新机制。"],
        # A new list (一是 again) after a closed paragraph.
        ["一是建立规范。二是编制规范。", "一是另一份清单。"],
        # 三是 after a paragraph whose list stopped at 一是: not the next item.
        ["一是建立规范。", "三是创新机制。"],
        # Numbered items the same way.
        ["1.联合农商银行。", "2.试点平台。"],
    ],
)
def test_enumerations_laid_out_by_the_author_stay_as_they_are(lines):
    assert join_paragraphs(lines) == lines


def test_excellent_case_12_keeps_its_list_in_one_paragraph(document):
    dayin = document.write_ups[10 + 11]
    paragraphs = [p for s in dayin.sections for p in s.paragraphs]
    joined = next(p for p in paragraphs if "二是编制基层政务管理服务规范" in p)
    assert "三是创新系列审批便民服务机制" in joined
    assert not any(p.startswith("三是创新系列审批") for p in paragraphs)


def test_and_between_chinese_words_is_found_with_its_context():
    assert mend_conjunctions("结合礼州镇地理区位优势 and 农文旅特色") == [
        ("位优势 and 农文旅", "位优势和农文旅")
    ]
    assert mend_conjunctions("甘孜是重点地区and新中国") == [("点地区and新中国", "点地区和新中国")]
    # English among English, or a brand, is not the conjunction 和.
    assert mend_conjunctions("东郊创艺Labs产业 and more") == []
    assert mend_conjunctions("Landmark 大厦") == []


def test_half_width_punctuation_next_to_chinese_is_made_full_width():
    assert (
        normalize_punctuation("(三)民本导向,异地服务,扩大服务半径")
        == "（三）民本导向，异地服务，扩大服务半径"
    )
    # Times and formulas are left alone.
    assert normalize_punctuation("10月27日15:36分，融合1+1>2") == "10月27日15:36分，融合1+1>2"
    # Two hyphens between Chinese words are the dash; one hyphen in a chain stays.
    assert normalize_punctuation("经历了高速发展--落败--平稳") == "经历了高速发展——落败——平稳"
    assert normalize_punctuation("县-乡-村三级") == "县-乡-村三级"


def test_wrapped_attachment_items_are_joined(document):
    best = document.attachments[0].items
    assert best[7].title == "眉山市彭山区实现“出生一件事”联办服务"
    assert best[8].title == "聚焦政务服务+金融 培育“三化”建设新品牌"
    excellent = document.attachments[1].items
    assert excellent[7].title == "强化科技赋能，探索“智慧+便民服务”"


# --- rules, over all 44 cases ----------------------------------------------------------------------


def test_no_paragraph_ends_in_mid_sentence(library):
    open_paragraphs = [
        (case.slug, p[-20:])
        for case, p in all_paragraphs()
        if not (is_closed(p) or is_standalone_subheading(p) or CAPTION.match(p))
    ]
    assert open_paragraphs == []


def test_running_heads_and_the_table_of_contents_never_leak_into_a_case(library):
    for case, paragraph in all_paragraphs():
        assert paragraph not in RUNNING_HEADS, case.slug
        assert "ZUIJIAANLI" not in paragraph and "YOUXIUANLI" not in paragraph, case.slug
        assert "....." not in paragraph and not re.search(r"/\s*\d{3}\s*$", paragraph), case.slug
        assert "CONTENTS" not in paragraph and paragraph != "目录", case.slug
    for section in CaseSection.objects.all():
        assert section.heading not in RUNNING_HEADS


def test_figure_captions_are_kept_as_captions(library):
    captions = [(case.slug, p) for case, p in all_paragraphs() if re.search(r"图\s*\d", p[:4])]
    assert [p for _, p in captions] == ["图1 群众视角", "图2 内部流程", "图3 “出生一件事”网上办理入口"]
    assert {slug for slug, _ in captions} == {"2021-best-08"}
    for case, paragraph in all_paragraphs():
        if not CAPTION.match(paragraph):
            assert not re.search(r"图\d\s", paragraph), (case.slug, paragraph)


def test_every_case_has_its_sections_in_order(library):
    for case in Case.objects.prefetch_related("sections"):
        sections = list(case.sections.all())
        assert [s.order for s in sections] == list(range(len(sections)))
        numbered = [s.heading for s in sections if s.heading]
        assert len(numbered) >= 2, case.slug
        assert [h[0] for h in numbered] == list(CN_NUMS[: len(numbered)]), (case.slug, numbered)
        assert all(s.paragraphs for s in sections), case.slug
        # Only the lead may go without a heading, and only first.
        assert all(s.heading for s in sections[1:]), case.slug


def test_nothing_of_the_next_case_is_in_a_case(library):
    cases = list(Case.objects.in_notice_order().select_related("unit"))
    for case, following in zip(cases, cases[1:], strict=False):
        text = "\n".join(p for s in case.sections.all() for p in s.paragraphs)
        assert following.unit.name not in text.splitlines(), case.slug
        assert following.title not in text and (following.title_in_compendium or "@@") not in text


def test_every_case_text_is_complete(library, document):
    """Every line of a write-up in the source ends up in its case, and in order."""
    squash = lambda s: re.sub(r"[\s,，;；:：()（）]", "", s)  # noqa: E731
    for case, write_up in zip(Case.objects.in_notice_order(), document.write_ups, strict=True):
        stored = squash("".join(s.heading + "".join(s.paragraphs) for s in case.sections.all()))
        source = squash("".join(p for s in write_up.sections for p in [s.heading, *s.paragraphs]))
        # What the errata say was changed in the text, and nothing else.
        for fix in case.errata.filter(kind__in=["conversion", "spelling"], location__contains="正文"):
            source = source.replace(squash(fix.original), squash(fix.corrected))
        assert stored == source, case.slug
        assert len(stored) > 800, case.slug


def test_first_and_last_words_of_some_cases(library):
    qingbaijiang = Case.objects.get(tier__slug="best", number=1)
    assert qingbaijiang.sections.first().paragraphs[0].startswith("青白江区按照“现代化、国际化、亲民化”原则")
    assert qingbaijiang.sections.last().paragraphs[-1].endswith("川观新闻等媒体宣传报道33次。")
    leibo = Case.objects.get(tier__slug="best", number=10)
    assert leibo.sections.last().paragraphs[-1].startswith("备注：“德古”在彝语中")
    lizhou = Case.objects.get(tier__slug="excellent", number=34)
    assert lizhou.sections.last().paragraphs[-1].endswith("服务群众更满意。")


# --- variants, aliases and errata ------------------------------------------------------------------


def test_variant_spellings_are_aliases_with_a_recorded_correction(library):
    huaying = Case.objects.get(tier__slug="excellent", number=22)
    assert huaying.title == "一网通办“通民心”，政务服务“欢蓥办”"
    assert any("欢荟办" in a for a in huaying.title_aliases)
    assert any("欢荃办" in a for a in huaying.title_aliases)
    assert set(huaying.errata.filter(kind="spelling").values_list("original", "corrected")) == {
        ("欢荟办", "欢蓥办"),
        ("欢荃办", "欢蓥办"),
    }

    # 鄢家镇 is the town's name; the notice misprints it 鄯家镇. The unit keeps the notice's record,
    # the place and the text use the real name, and the erratum reads misprint -> name.
    yanjia = Case.objects.get(tier__slug="best", number=5)
    assert yanjia.unit.name == "德阳市罗江区鄯家镇便民服务中心"
    assert yanjia.unit.township == "鄢家镇"
    assert "德阳市罗江区鄢家镇便民服务中心" in yanjia.unit.aliases
    erratum = yanjia.errata.get(kind="spelling")
    assert (erratum.original, erratum.corrected) == ("鄯家镇", "鄢家镇")
    assert "附件1" in erratum.location and "正文" in erratum.location
    text = "".join(p for s in yanjia.sections.all() for p in [s.heading, *s.paragraphs])
    assert "鄯家镇" not in text and text.count("鄢家镇") == 2


def test_compendium_titles_that_differ_are_kept(library):
    neijiang = Case.objects.get(tier__slug="excellent", number=13)
    assert neijiang.title == "内江市“三部曲”推进“亲民化建设”"
    assert neijiang.title_in_compendium == "内江市市中区“三部曲”推进“亲民化建设”"
    lezhi = Case.objects.get(tier__slug="excellent", number=29)
    assert lezhi.title_in_compendium == "“一心多级”打通便民服务“全身经络”"
    # Differences of spacing or punctuation only are not "different titles".
    chenghua = Case.objects.get(tier__slug="best", number=2)
    assert chenghua.title_in_compendium == ""
    assert (
        Erratum.objects.filter(kind="title").count() == Case.objects.exclude(title_in_compendium="").count()
    )


@pytest.mark.parametrize(
    ("number", "mended"),
    [(32, "甘孜是涉藏工作重点地区和新中国建立的"), (34, "结合礼州镇地理区位优势和农文旅特色")],
)
def test_and_for_he_is_corrected_in_the_text_and_the_summary_and_recorded(library, number, mended):
    case = Case.objects.get(tier__slug="excellent", number=number)
    text = "".join(p for s in case.sections.all() for p in s.paragraphs)
    assert "and" not in text and mended in text
    assert "and" not in case.summary
    fix = case.errata.get(kind="conversion", original__contains="and")
    assert fix.corrected in mended and "正文" in fix.location and "and" in fix.reason


def test_no_case_anywhere_has_and_between_chinese_words(library):
    for section in CaseSection.objects.select_related("case"):
        for text in [section.heading, *section.paragraphs, section.case.summary, section.case.title]:
            assert not mend_conjunctions(text), (section.case.slug, text)


def test_every_erratum_names_where_what_and_why(library):
    for erratum in Erratum.objects.all():
        assert erratum.location and erratum.reason and erratum.original != erratum.corrected
        assert erratum.case_id is not None


def test_summaries_are_real_sentences(library):
    for case in Case.objects.all():
        assert len(case.summary) >= 30, case.slug
        assert not is_standalone_subheading(case.summary), case.slug


def test_compendium_pages_come_from_the_table_of_contents(library):
    pages = list(Case.objects.in_notice_order().values_list("page", flat=True))
    assert pages[0] == 2 and pages[-1] == 170
    assert pages == sorted(pages)
