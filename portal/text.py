"""Rules for text the library stores and serves: invisible control characters and spreadsheet formulas.

``clean_text`` is the one definition of what text may hold. ``clean_instance_text`` applies it to every
text field of a model instance before it is saved (a ``pre_save`` receiver, connected in
portal/apps.py for the apps in ``settings.CLEAN_TEXT_APPS``), so the admin's forms, the import, the
library loader and reverts of old versions all store clean text. Outputs that must stay valid whatever
an older row or a direct SQL write left behind (the Atom feed, the CSV download) pass their text through
it again.

In forms (``install_form_fields``) those fields refuse such text once, saying how many invisible
characters were found, and show it already cleaned, so that saving again stores what the editor saw.

``xlsx_safe`` is the value of every exported spreadsheet cell (the admin's Excel and CSV export):
clean text, formulas escaped, nothing openpyxl refuses.

``escape_formula`` / ``unescape_formula``: a spreadsheet cell that begins with = + - @ (or a tab or
carriage return) would be run as a formula by Excel, so exports prefix it with an apostrophe, the usual
"this is text" mark, and imports remove exactly that apostrophe again.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# Breaks that Word and PDF copies carry (vertical tab = Word's manual line break, form feed, the
# information separators, NEL, Unicode's line and paragraph separators): a new line where the field
# allows one, a space elsewhere.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What else no stored text should hold: the other C0 controls (XML 1.0 forbids them, PostgreSQL
# refuses NUL), DEL and the C1 controls, byte-order marks, lone surrogates and the noncharacters
# U+FFFE/U+FFFF (also outside XML).
_INVISIBLE_CLASS = r"\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ud800-\udfff\ufffe\uffff"


# Every format character (Unicode category Cf) as (first, last) code point ranges, Unicode 14.0.0
# (Python 3.11's unicodedata): zero-width space and joiners, soft hyphen, bidirectional controls
# (U+202A-U+202E, U+2066-U+2069), word joiner, byte-order mark, interlinear annotation marks, tag
# characters. They show nothing, and a word with one inside (便\u200b民服务) is no longer the word
# for search, sorting or comparison. A constant, not a scan of every code point at start-up (~23
# ms per process); tests/portal/test_text.py recomputes it from unicodedata and prints the new
# value when a Python upgrade brings other Unicode data.
FORMAT_RANGES = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)


def _character_class(ranges) -> str:
    """A regular-expression class body for (first, last) code point ranges."""
    return "".join(
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last != first else "")
        for first, last in ranges
    )


FORMAT_CLASS = _character_class(FORMAT_RANGES)
_FORMAT = re.compile(f"[{FORMAT_CLASS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}{FORMAT_CLASS}]")
_SINGLE_LINE_SPACES = re.compile(r"[\n\t]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_MARK = "'"


def remove_format_characters(value: str) -> str:
    """``value`` without format characters (Cf). Search reads stored text and queries through it
    (cases/search/text.py), so text stored before ``clean_text`` removed them is found too."""
    return _FORMAT.sub("", value)


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` without control or format characters: line breaks become "\\n" (``multiline``) or a
    space, tabs are kept only in ``multiline`` text, everything else invisible (C0/C1 controls, format
    characters such as U+200B, U+202E, U+00AD, U+2060, U+FEFF, surrogates, U+FFFE/U+FFFF) is removed."""
    if not isinstance(value, str):
        return value
    value = _INVISIBLE.sub("", value)
    value = _BREAKS.sub("\n", value)
    return value if multiline else _SINGLE_LINE_SPACES.sub(" ", value)


def clean_data(value: Any) -> Any:
    """``clean_text`` applied to every string (keys too) inside JSON-like data."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    return value


def clean_instance_text(instance: models.Model) -> None:
    """Clean every text, line and JSON field of ``instance`` in place (text fields keep new lines)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            cleaner = clean_data
        elif isinstance(field, models.TextField):
            cleaner = clean_text
        elif isinstance(field, models.CharField):

            def cleaner(value):
                return clean_text(value, multiline=False)

        else:
            continue
        value = getattr(instance, field.attname)
        if value is not None:
            cleaned = cleaner(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


def _clean_before_save(sender, instance, **kwargs) -> None:
    if sender._meta.app_label in settings.CLEAN_TEXT_APPS:
        clean_instance_text(instance)


def connect_signals() -> None:
    models.signals.pre_save.connect(_clean_before_save, dispatch_uid="portal.text.clean_before_save")


def _control_message(count: int) -> str:
    return (
        f"含有 {count} 个不可见的控制字符（常见于从 Word 或 PDF 粘贴的文字），下面显示的是去掉这些字符后的"
        "文字（换行符已换成换行或空格），请检查后再次保存。"
    )


_BREAK_CHARACTERS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def control_count(value: Any, *, multiline: bool = True) -> int:
    """How many characters ``clean_text`` would remove or replace in ``value`` (strings inside JSON-like
    data too). A browser's CRLF line ends do not count: forms send every new line that way."""
    if isinstance(value, list):
        return sum(control_count(item) for item in value)
    if isinstance(value, dict):
        return sum(control_count(key) + control_count(item) for key, item in value.items())
    if not isinstance(value, str):
        return 0
    value = value.replace("\r\n", "\n")
    count = len(_INVISIBLE.findall(value)) + len(_BREAK_CHARACTERS.findall(value))
    return count if multiline else count + len(_SINGLE_LINE_SPACES.findall(value))


class CleanTextFormField(forms.CharField):
    """A text field that refuses control characters once, with a message, and shows the text cleaned."""

    def __init__(self, *args, multiline: bool = True, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def bound_data(self, data, initial):
        return clean_text(data, multiline=self.multiline) if isinstance(data, str) else data

    def to_python(self, value):
        count = control_count(value, multiline=self.multiline)
        if count:
            raise ValidationError(_control_message(count), code="control_characters")
        return super().to_python(value)


class CleanJSONFormField(forms.JSONField):
    """A JSON field whose strings may not hold control characters (refused once, shown cleaned)."""

    def bound_data(self, data, initial):
        value = super().bound_data(data, initial)
        return value if isinstance(value, forms.fields.InvalidJSONInput) else clean_data(value)

    def to_python(self, value):
        parsed = super().to_python(value)
        count = control_count(parsed)
        if count:
            raise ValidationError(_control_message(count), code="control_characters")
        return parsed


def install_form_fields() -> None:
    """Give every editable text, line and JSON field of the ``CLEAN_TEXT_APPS`` models the form fields
    above, whichever form (the admin's included) is built for them."""
    for model in apps.get_models():
        if model._meta.app_label not in settings.CLEAN_TEXT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if not field.editable or field.choices:
                continue
            # Slugs, e-mail addresses and the like have form fields of their own that refuse these characters.
            kind = type(field).formfield
            if kind is models.JSONField.formfield:
                form_class = CleanJSONFormField
            elif kind is models.TextField.formfield:
                form_class = CleanTextFormField
            elif kind is models.CharField.formfield:
                form_class = partial(CleanTextFormField, multiline=False)
            else:
                continue
            field.formfield = partial(type(field).formfield, field, form_class=form_class)


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE_MARK + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith(ESCAPE_MARK) and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def spreadsheet_cell(value):
    """A value for a CSV cell: clean text, formulas escaped (numbers and None as they are)."""
    return escape_formula(clean_text(value)) if isinstance(value, str) else value


# What openpyxl refuses in a cell (IllegalCharacterError) and XML 1.0 forbids; clean_text already
# removes all of it, this is the last guard in case that rule ever changes.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_safe(value):
    """A value for an Excel (and CSV) cell, whatever the database holds (a row written before the
    cleaning rule, or by SQL): ``spreadsheet_cell``'s clean text with formulas escaped, and nothing
    openpyxl refuses with IllegalCharacterError. Numbers, dates and None are kept as they are."""
    value = spreadsheet_cell(value)
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value
