"""The fidelity detectors: each fires on a small made-up text, and over the whole source every
finding is explained by reviewed data (a correction with its erratum, or checked and kept)."""

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from cases import reference_checked
from cases.fidelity import (
    Finding,
    TextBlock,
    audit,
    cut_sentences,
    enumeration_splits,
    explanation,
    in_gb2312,
    latin_words,
    name_variants,
    pair_key,
    record_texts,
    reviewed_lexicon,
    source_texts,
    unexplained,
    unusual_characters,
)
from cases.library import build_records
from cases.source import parse

HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def source():
    return settings.LIBRARY_SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shown(source):
    """Findings over what the site shows: the fixture records (parser + reviewed corrections)."""
    return audit(record_texts(build_records(source)), reviewed_lexicon())


@pytest.fixture(scope="module")
def as_parsed(source):
    """Findings over the parser's texts, before any reviewed correction."""
    return audit(source_texts(parse(source)), reviewed_lexicon())


# --- each detector on small inputs -----------------------------------------------------------------


def test_latin_words_are_found_inside_chinese_text_only():
    assert latin_words("结合礼州镇地理区位优势 and 农文旅特色") == ["and"]
    assert latin_words("接入“天府通办”APP，配置75cm高台面") == ["APP", "cm"]
    assert latin_words("Labs and more") == []


@given(HAN)
def test_chinese_text_alone_has_no_latin_words(text):
    assert latin_words(text) == []


def test_an_enumeration_split_unlike_the_rest_of_its_list_is_found():
    split = ["（三）助推机制建设。一是建立规范。二是编制规范。", "三是创新审批机制。"]
    assert enumeration_splits(split) == [["一是建立规范。二是编制规", "二是编制规范。", "三是创新审批机制。"]]
    numbered = ["做法：1.联合银行。2.试点平台。", "3.联合邮政。"]
    assert len(enumeration_splits(numbered)) == 1
    subpoints = ["（一）组织。", "具体做法。（二）保障。"]
    assert len(enumeration_splits(subpoints)) == 1


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["（三）助推。一是建立。二是编制。三是创新。"],
        ["一是建立。", "二是编制。", "三是创新。"],
        ["（一）组织", "正文。", "（二）保障", "正文。"],
        ["第一是金融服务。第二是整村授信。第三是红色信贷。"],
    ],
)
def test_consistent_enumerations_are_not_findings(paragraphs):
    assert enumeration_splits(paragraphs) == []


def test_a_sentence_cut_by_a_page_break_is_found():
    assert cut_sentences(["依托四川省政务服务一体化平台，梳理配置下沉街道第一批", "事项清单60项。"]) == [
        "…体化平台，梳理配置下沉街道第一批"
    ]
    assert cut_sentences(["上一段。", "，而是下一段的开头。"]) == ["，而是下一段的开头。…"]
    assert cut_sentences(["（一）政企协同发展初步成形", "群众说：“真方便。”", "图1 群众视角"]) == []


def test_characters_outside_gb2312_and_traditional_forms_are_found():
    found = dict(unusual_characters("宝兴县硃碛乡、硃磧乡；福祿社区；间隔号·与破折号——都在 GB 2312 内。"))
    assert set(found) == {"硃", "磧", "祿"}
    assert "不在 GB 2312 内" in found["祿"] and "禄" in found["祿"]
    assert in_gb2312("·") and in_gb2312("—") and in_gb2312("碛") and not in_gb2312("磧")


def test_names_written_two_ways_are_found():
    texts = ["建立“三办双代一回访”工作机制。", "探索建立便民服务“三办两代一回访”工作机制。"]
    assert name_variants(texts, set()) == [("三办两代一回访", "三办双代一回访")]
    # Against the place lexicon, even unquoted; not in the place suffix (罗江区/罗江县).
    assert name_variants(["近年来，鄢家镇大力发展柑橘。"], {"鄯家镇"}) == [("鄢家镇", "鄯家镇")]
    assert name_variants(["原罗江县所辖。"], {"罗江区"}) == []
    # Separators and letter case.
    pairs = name_variants(
        ["签订“我为群众办实事 一站办结解民忧”协议，建立qq群", "签订“我为群众办实事·一站办结解民忧”，以QQ"],
        set(),
    )
    assert ("QQ", "qq") in pairs and (
        "我为群众办实事 一站办结解民忧",
        "我为群众办实事·一站办结解民忧",
    ) in pairs
    # Two reviewed names are distinct by definition; numbering is not a variant; a longer term is not.
    assert name_variants(["合江县与开江县"], {"合江县", "开江县"}) == []
    assert name_variants(["“三个一”与“五个一”，“首问负责”“首问负责制”"], set()) == []


def test_a_rare_quoted_form_one_insertion_or_one_shift_off_an_established_name_is_found():
    texts = [
        "“一件事”清单",
        "串成“一件事”",
        "办成“一件事”",
        "二是“一事情”一次办",
        "梳理“网上一办”事项，“网上办”“网上办”“网上办”",
    ]
    pairs = name_variants(texts, set())
    assert ("一事情", "一件事") in pairs and ("网上一办", "网上办") in pairs
    # Not a longer term, not the same characters reordered, not two forms both written often.
    assert name_variants(["“首问负责”“首问负责”“首问负责”“首问负责制”"], set()) == []
    assert name_variants(["“代帮办”“代帮办”“代帮办”“帮代办”"], set()) == []


def test_reviewed_names_are_found_misprinted_in_running_text_by_a_character_dropped_or_added():
    lexicon = {"雅安市政务服务和大数据局"}
    assert name_variants(["被雅安市政务服务大数据局采用"], lexicon) == [
        ("雅安市政务服务和大数据局", "雅安市政务服务大数据局")
    ]
    assert name_variants(["被雅安市政务服务和和大数据局采用"], lexicon) == [
        ("雅安市政务服务和和大数据局", "雅安市政务服务和大数据局")
    ]


def test_the_lexicon_has_short_unit_names_villages_and_brands():
    lexicon = reviewed_lexicon()
    assert {"射洪市行政审批局", "春风村", "福禄社区", "天府通办", "顺丰快递"} <= lexicon
    assert "行政审批局" not in lexicon  # a bare office name is not a unit's name


def test_each_finding_is_explained_or_not():
    assert explanation(Finding("latin", "APP", "", "接入“天府通办”APP。")).startswith("kept: ")
    assert explanation(Finding("latin", "and", "", "区位优势 and 农文旅")) is None
    assert explanation(Finding("latin", "qq", "", "企业座谈，建立qq群等线上")) == "corrected: qq群 → QQ群"
    assert explanation(Finding("character", "硃", "", "宝兴县硃碛藏族乡")) == "corrected: 硃碛 → 硗碛"
    assert explanation(Finding("character", "硃", "", "宝兴县硃磧乡")) == "corrected: 硃磧 → 硗碛"
    # A correction explains the place where its original stands, not the same word elsewhere.
    assert explanation(Finding("character", "硃", "", "丹砂又名硃砂")) is None
    assert explanation(Finding("latin", "qq", "", "加入qq空间")) is None
    assert (
        explanation(Finding("name_variant", pair_key("鄢家镇", "鄯家镇"), "")) == "corrected: 鄯家镇 → 鄢家镇"
    )
    assert explanation(Finding("name_variant", pair_key("欢荃办", "欢荟办"), "")).startswith("kept: ")
    assert explanation(Finding("name_variant", pair_key("一窗办", "一窗式"), "")).startswith("kept: ")
    assert explanation(Finding("name_variant", pair_key("新名称", "新名字"), "")) is None
    assert explanation(Finding("enumeration", "一是…／二是…／三是…", "")) is None


def test_audit_reports_each_detector():
    blocks = [
        TextBlock(
            "甲", ["地理区位优势 and 农文旅特色。一是建立。二是编制。", "三是创新。", "福祿社区梳理配置下沉"]
        ),
        TextBlock("乙", ["“三办双代一回访”与“三办两代一回访”"], prose=False),
    ]
    grouped = audit(blocks, set()).by_detector()
    assert {d: len(f) for d, f in grouped.items()} == {
        "latin": 1,
        "enumeration": 1,
        "cut_sentence": 1,
        "character": 1,
        "name_variant": 1,
    }
    # "and", the split list and the cut sentence; 祿 and the programme's two names are recorded variants.
    left = unexplained(f for fs in grouped.values() for f in fs)
    assert sorted(f.detector for f in left) == ["cut_sentence", "enumeration", "latin"]


# --- over the whole source -------------------------------------------------------------------------


def test_nothing_the_site_shows_is_unexplained(shown):
    assert unexplained(shown.findings) == []


def test_nothing_the_parser_gives_is_unexplained(as_parsed):
    assert unexplained(as_parsed.findings) == []


def test_what_the_site_shows_has_no_damage_left_only_kept_forms(shown):
    grouped = shown.by_detector()
    assert grouped["enumeration"] == grouped["cut_sentence"] == grouped["character"] == []
    for finding in grouped["latin"]:
        assert explanation(finding).startswith("kept: "), finding


def test_every_correction_the_detectors_rely_on_has_an_erratum(as_parsed, source):
    errata = [r["fields"] for r in build_records(source) if r["model"] == "cases.erratum"]
    for finding in as_parsed.findings:
        reason = explanation(finding)
        if reason.startswith("corrected: "):
            original = reason.removeprefix("corrected: ").split(" → ")[0]
            assert any(original in e["original"] or e["original"] in original for e in errata), finding


def test_every_reviewed_decision_is_still_needed(shown, as_parsed):
    """A kept entry that matches no finding is stale: the source or a detector changed."""
    keys = {(f.detector, f.key) for f in shown.findings + as_parsed.findings}
    kept = {
        "latin": reference_checked.KEPT_LATIN,
        "character": reference_checked.KEPT_CHARACTERS,
        "enumeration": reference_checked.KEPT_ENUMERATIONS,
        "cut_sentence": reference_checked.KEPT_OPEN_PARAGRAPHS,
        "name_variant": reference_checked.DISTINCT_NAMES,
    }
    stale = [(d, k) for d, entries in kept.items() for k in entries if (d, k) not in keys]
    assert stale == []
    for entries in kept.values():
        assert all(reason.strip() for reason in entries.values())


def test_the_parser_texts_cover_every_case_and_unit(source):
    doc = parse(source)
    blocks = source_texts(doc)
    paragraphs = [p for b in blocks for p in b.paragraphs]
    for write_up in doc.write_ups:
        assert all(p in paragraphs for s in write_up.sections for p in s.paragraphs)
    units = {i.unit for a in doc.attachments for i in a.items}
    assert units <= set(paragraphs)
    shown_blocks = record_texts(build_records(source))
    assert sum(1 for b in shown_blocks if b.where.endswith(" 导语")) == 44
    assert sum(1 for b in shown_blocks if b.where.startswith("获奖单位 ")) == 54


def test_the_command_reports_each_detector_and_fails_on_an_open_finding(monkeypatch, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("source_fidelity")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.endswith("未处理 0") for line in lines)
    assert lines[-1].startswith("同一名称的两种写法（name_variant）")
    monkeypatch.delitem(reference_checked.KEPT_LATIN, "APP")
    with pytest.raises(CommandError, match="1 项发现尚未处理"):
        call_command("source_fidelity")
    assert "APP  @" in capsys.readouterr().out


def test_the_verifiers_variant_is_found_in_the_source_and_corrected(as_parsed, shown):
    """二是“一事情”一次办 (excellent case 27) is found by the name detector and explained by its erratum."""
    key = pair_key("一事情", "一件事")
    found = [f for f in as_parsed.findings if f.key == key]
    assert found and explanation(found[0]) == "corrected: 一事情 → 一件事"
    assert not [f for f in shown.findings if f.key == key]
