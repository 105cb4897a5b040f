"""Mutation tests for the fidelity detectors: take the real texts the site shows, inject one known kind
of damage, and the detector for that kind reports it, unexplained (issue 13 verifier item 3)."""

import copy
import re

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cases.fidelity import TextBlock, audit, record_texts, reviewed_lexicon, unexplained
from cases.fidelity.names import places_in_text
from cases.library import build_records

SOURCE = settings.LIBRARY_SOURCE.read_text(encoding="utf-8")
BLOCKS = record_texts(build_records(SOURCE))
LEXICON = reviewed_lexicon()
PROSE = [p for b in BLOCKS if b.prose for p in b.paragraphs]


def open_findings(blocks, detector):
    return {f.key for f in unexplained(audit(blocks, LEXICON).findings) if f.detector == detector}


def mutated(old: str, new: str, count: int = 1) -> list[TextBlock]:
    """Every block as shown, with the first ``count`` occurrences of ``old`` replaced by ``new``."""
    blocks, left = copy.deepcopy(BLOCKS), count
    for block in blocks:
        for index, text in enumerate(block.paragraphs):
            if left and old in text:
                block.paragraphs[index] = text.replace(old, new, left)
                left -= min(left, text.count(old))
    assert left == 0, f"{old} 不在展示的文本中"
    return blocks


def test_the_texts_as_shown_have_nothing_unexplained():
    assert unexplained(audit(BLOCKS, LEXICON).findings) == []


# --- per-paragraph detectors, over real paragraphs chosen by Hypothesis ------------------------------

JOINED_BY_HE = [p for p in PROSE if re.search(r"[\u4e00-\u9fff]和[\u4e00-\u9fff]", p)]
INLINE_LISTS = [p for p in PROSE if re.search(r"(?<!第)一是.+(?<!第)二是.+(?<!第)三是", p)]
# A run of 12 Han characters after the first full stop: a cut inside a short sub-heading (（一）便民服 /
# 务中心…) looks like a sub-heading of its own and is not this detector's to find.
LONG_RUN = re.compile(r"。[^。]*?([\u4e00-\u9fff]{12})")
LONG_SENTENCES = [p for p in PROSE if LONG_RUN.search(p)]


@hsettings(max_examples=30, deadline=None)
@given(st.sampled_from(JOINED_BY_HE))
def test_an_english_word_for_he_is_reported(paragraph):
    damaged = re.sub(r"([\u4e00-\u9fff])和([\u4e00-\u9fff])", r"\1 and \2", paragraph, count=1)
    assert "and" in open_findings([TextBlock("测试", [damaged])], "latin")


@hsettings(max_examples=30, deadline=None)
@given(st.sampled_from(INLINE_LISTS))
def test_an_enumeration_split_at_a_page_break_is_reported(paragraph):
    at = re.search(r"(?<!第)二是.+?(?<!第)(三是)", paragraph).start(1)
    blocks = [TextBlock("测试", [paragraph[:at], paragraph[at:]])]
    assert open_findings(blocks, "enumeration")


@hsettings(max_examples=30, deadline=None)
@given(st.sampled_from(LONG_SENTENCES), st.integers(min_value=3, max_value=9))
def test_a_sentence_cut_in_the_middle_is_reported(paragraph, shift):
    at = LONG_RUN.search(paragraph).start(1) + shift
    assert open_findings([TextBlock("测试", [paragraph[:at], paragraph[at:]])], "cut_sentence")


TRADITIONAL = {"务": "務", "办": "辦", "县": "縣", "镇": "鎮", "区": "區", "服": "服", "门": "門", "审": "審"}


@hsettings(max_examples=30, deadline=None)
@given(st.sampled_from([p for p in PROSE if "务" in p or "办" in p]), st.sampled_from(["务", "办"]))
def test_a_traditional_character_is_reported(paragraph, simplified):
    if simplified not in paragraph:
        simplified = "务" if simplified == "办" else "办"
    damaged = paragraph.replace(simplified, TRADITIONAL[simplified], 1)
    assert TRADITIONAL[simplified] in open_findings([TextBlock("测试", [damaged])], "character")


# --- the name detector, over the whole document ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        # A township in running text misprinted (a reviewed place).
        ("擂鼓镇", "擂鼔镇", "擂鼓镇｜擂鼔镇"),
        # A village in running text (from the unit's name: 春风村) misprinted.
        ("春风村", "春凤村", "春凤村｜春风村"),
        # A county misprinted inside a sentence.
        ("筠连县", "筠莲县", "筠莲县｜筠连县"),
        # A unit's short name in a sentence with a character dropped, and one added.
        ("射洪市行政审批局", "射洪市行审批局", "射洪市行审批局｜射洪市行政审批局"),
        ("射洪市行政审批局", "射洪市行政审审批局", "射洪市行政审审批局｜射洪市行政审批局"),
        # Brands not in quotes.
        ("天府通办", "天府通半", "天府通办｜天府通半"),
        ("农商银行", "农商很行", "农商很行｜农商银行"),
        # A programme name in quotes with a character added, or one dropped and another added
        # (the kind of 一件事 → 一事情, itself now a recorded correction).
        ("“一网通办”", "“一网通过办”", "一网通办｜一网通过办"),
        ("“最多跑一次”", "“最多跑次数”", "最多跑一次｜最多跑次数"),
    ],
)
def test_a_misprinted_name_is_reported(old, new, key):
    assert key in open_findings(mutated(old, new), "name_variant")


def test_a_place_written_after_a_reviewed_place_is_compared():
    assert "春风村" in LEXICON  # the village of the unit 宜宾市筠连县腾达镇春风村党委
    text = "宝兴县硗碛藏族乡夹金山村，位于硗碛乡北部。宝兴县硗磧藏族乡。"
    assert {"硗碛藏族乡", "硗磧藏族乡"} <= places_in_text(text, LEXICON)
    blocks = [TextBlock("测试", [text])]
    assert "硗碛藏族乡｜硗磧藏族乡" in open_findings(blocks, "name_variant")
