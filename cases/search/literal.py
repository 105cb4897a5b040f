"""Whether the library holds a text as typed (a word held literally is never "corrected"), in SQL.

    held_as_typed(queryset, backend, text) -> bool

The index narrows the cases to those holding all the text's character pairs (its literal safety
net, on the FTS5 table or the GIN index); the database then reads their stored texts for the
text itself (the pairs may lie apart: 村级 … 代办 … 办点 is not 村级代办点). One query, no case
read into Python, so a broad text costs what its candidates cost the database, at 20,000 cases
too. The fields are those ``index.case_texts`` indexes.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.db.models.expressions import RawSQL

from cases.search.text import bigrams

# (model label, JSON list field, the column naming the case) of the searchable JSON lists.
_LISTS = (("cases.Case", "title_aliases", "id"), ("cases.CaseSection", "paragraphs", "case_id"))


def held_as_typed(queryset, backend, text: str) -> bool:
    grams = tuple(dict.fromkeys(bigrams(text)))
    if not grams:
        return False
    tree = grams[0] if len(grams) == 1 else ("and", grams)
    candidates = backend.match(queryset, tree)
    # Stored text is matched case-insensitively (the text is folded; ideographs have no case).
    held = Q()
    for field in (
        "title",
        "title_in_compendium",
        "summary",
        "themes__name",
        "sections__heading",
        "unit__name",
        "unit__county",
        "unit__township",
        "unit__prefecture__name",
        "unit__prefecture__full_name",
        "unit__prefecture__short_name",
    ):
        held |= Q(**{f"{field}__icontains": text})
    vendor = backend.connection.vendor
    for label, field, case_column in _LISTS:
        held |= Q(pk__in=_list_holding(label, field, case_column, text, vendor))
    held |= Q(unit__in=_list_holding("awards.Unit", "aliases", "id", text, vendor))
    return candidates.filter(held).exists()


def _list_holding(label: str, field: str, id_column: str, text: str, vendor: str) -> RawSQL:
    """The ids (``id_column``) of the rows of ``label`` whose JSON list ``field`` holds ``text``
    in one of its strings."""
    model = apps.get_model(label)
    table = model._meta.db_table
    column = model._meta.get_field(field).column
    if vendor == "postgresql":
        sql = (
            f'SELECT t."{id_column}" FROM "{table}" t '
            f'WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(t."{column}") v '
            "WHERE strpos(lower(v), %s) > 0)"
        )
    else:
        # SQLite stores the list as JSON text with escapes: json_each reads its strings.
        sql = (
            f'SELECT t."{id_column}" FROM "{table}" t, json_each(t."{column}") v '
            "WHERE v.type = 'text' AND instr(lower(v.value), %s) > 0"
        )
    return RawSQL(sql, [text])
