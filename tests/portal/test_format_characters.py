"""portal.text.FORMAT_RANGES, the format characters (Cf) clean_text removes, is a constant written
from Python's Unicode data; these tests recompute it, so a Python whose unicodedata has other Cf
characters fails here (with the new constant to paste) instead of letting some through."""

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from portal.text import FORMAT_CLASS, FORMAT_RANGES, clean_text, remove_format_characters


def format_ranges_from_unicodedata() -> tuple[tuple[int, int], ...]:
    """Every Cf code point of all 17 planes, as (first, last) ranges of consecutive ones."""
    ranges: list[list[int]] = []
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) == "Cf":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return tuple((first, last) for first, last in ranges)


def test_the_format_ranges_are_those_of_this_pythons_unicode_data():
    computed = format_ranges_from_unicodedata()
    written = "\n".join(f"    (0x{first:04X}, 0x{last:04X})," for first, last in computed)
    assert computed == FORMAT_RANGES, (
        f"Unicode {unicodedata.unidata_version} has other format characters; "
        f"set portal.text.FORMAT_RANGES to:\n(\n{written}\n)"
    )


def test_the_character_class_matches_exactly_the_format_characters():
    pattern = re.compile(f"[{FORMAT_CLASS}]")
    for first, last in FORMAT_RANGES:
        for cp in (first - 1, first, last, last + 1):
            is_format = unicodedata.category(chr(cp)) == "Cf"
            assert bool(pattern.fullmatch(chr(cp))) is is_format, hex(cp)


@given(st.text())
def test_no_format_character_survives_cleaning(value):
    for cleaned in (remove_format_characters(value), clean_text(value)):
        assert not any(unicodedata.category(c) == "Cf" for c in cleaned)
