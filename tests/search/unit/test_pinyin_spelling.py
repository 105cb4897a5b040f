"""Pinyin is read as typed: initials match each syllable's initial of the word's own reading, and
a completion starts with the typed syllables' spelling, not a rare reading of a character."""

from cases.search.pinyin import PinyinIndex

WORDS = ["雅安市", "广安市", "彭山", "逢场天", "逢场日", "长宁"]


def test_initials_name_only_the_words_whose_syllables_start_with_them():
    index = PinyinIndex(WORDS)
    assert index.lookup("yas") == ["雅安市"]
    assert index.lookup("gas") == ["广安市"]


def test_a_completion_matches_the_typed_spelling():
    index = PinyinIndex(WORDS)
    assert index.complete("peng") == ["彭山"]
    assert index.complete("feng") == ["逢场天", "逢场日"]


def test_full_pinyin_of_a_word_is_still_found():
    index = PinyinIndex(WORDS)
    assert index.lookup("pengshan") == ["彭山"]
    assert index.lookup("yaanshi") == ["雅安市"]


def test_initials_still_complete():
    assert PinyinIndex(["一网通办", "雅安市"]).complete("ywt") == ["一网通办"]
