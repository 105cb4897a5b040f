"""Detectors for damage that the PDF conversion (or a slip of the authors) left in the source's text.

Pure functions, no Django. Each detector takes text and returns ``Finding``s; ``audit`` runs all of
them over the texts of a document (``TextBlock``s, see ``record_texts`` and ``source_texts``), and
``unexplained`` keeps the findings that no reviewed decision covers. A finding is explained when the
reviewed data records it, either as a correction (``cases.reference``: the text no longer has it and
an erratum says why) or as checked and kept (``cases.reference_checked``, with a reason each).

Detectors (``Finding.detector``):
- ``latin``: a run of Latin letters in Chinese text (APP, LED … are kept; "and" for 和 is damage);
- ``enumeration``: a list (一是/二是, 第一是, 1./2., （一）/（二）) whose items are split between
  paragraphs unlike the rest of the same list;
- ``cut_sentence``: a paragraph that ends without closing a sentence, or one that opens with
  punctuation that can only continue a sentence (a page break cut it);
- ``character``: a character outside GB 2312, or a traditional form;
- ``name_variant``: one name written two ways: two names (quoted terms, titles in 《》, unit and
  place names, places written after a reviewed place) one character apart; a quoted form written at
  most twice and an established name one character added or dropped, or one dropped and another
  added, apart (一事情/一件事); a reviewed name (unit, its short form, place, village, brand) and a
  string of the running text one character off it (鄯家镇/鄢家镇; 雅安市政务服务大数据局), or two
  names that differ only in letter case or a separator. See ``cases.fidelity.names``.
"""

from cases.fidelity.detectors import (
    DETECTORS,
    Audit,
    Finding,
    TextBlock,
    audit,
    cut_sentences,
    enumeration_splits,
    in_gb2312,
    latin_words,
    name_variants,
    pair_key,
    unusual_characters,
)
from cases.fidelity.review import explanation, reviewed_lexicon, unexplained
from cases.fidelity.texts import notice_blocks, record_texts, source_texts

__all__ = [
    "DETECTORS",
    "Audit",
    "Finding",
    "TextBlock",
    "audit",
    "cut_sentences",
    "enumeration_splits",
    "explanation",
    "in_gb2312",
    "latin_words",
    "name_variants",
    "notice_blocks",
    "pair_key",
    "record_texts",
    "reviewed_lexicon",
    "source_texts",
    "unexplained",
    "unusual_characters",
]
