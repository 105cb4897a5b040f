"""Rules for text the library stores and serves: invisible control characters and spreadsheet formulas.

``clean_text`` is the one definition of what text may hold. ``clean_instance_text`` applies it to every
text field of a model instance before it is saved (a ``pre_save`` receiver, connected in
portal/apps.py for the apps in ``settings.CLEAN_TEXT_APPS``), so the admin's forms, the import, the
library loader and reverts of old versions all store clean text. Outputs that must stay valid whatever
an older row or a direct SQL write left behind (the Atom feed, the CSV download) pass their text through
it again.

``escape_formula`` / ``unescape_formula``: a spreadsheet cell that begins with = + - @ (or a tab or
carriage return) would be run as a formula by Excel, so exports prefix it with an apostrophe, the usual
"this is text" mark, and imports remove exactly that apostrophe again.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models

# Breaks that Word and PDF copies carry (vertical tab = Word's manual line break, form feed, the
# information separators, NEL, Unicode's line and paragraph separators): a new line where the field
# allows one, a space elsewhere.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What else no stored text should hold: the other C0 controls (XML 1.0 forbids them, PostgreSQL
# refuses NUL), DEL and the C1 controls, byte-order marks, lone surrogates and the noncharacters
# U+FFFE/U+FFFF (also outside XML).
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ud800-\udfff\ufffe\uffff]")
_SINGLE_LINE_SPACES = re.compile(r"[\n\t]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_MARK = "'"


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` without control characters: line breaks become "\\n" (``multiline``) or a space,
    tabs are kept only in ``multiline`` text, everything else invisible is removed."""
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
