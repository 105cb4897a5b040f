"""Whether the library holds a text as typed (a word held literally is never "corrected"), in SQL.

    held_as_typed(queryset, backend, text) -> bool

The index narrows the cases to those holding all the text's character pairs (its literal safety
net, on the FTS5 table or the GIN index); the database then reads their stored texts for the
text itself (the pairs may lie apart: 村级 … 代办 … 办点 is not 村级代办点). One query, no case
read into Python; each candidate's own rows are read, and the database stops at the first
candidate holding it. The fields are those ``index.case_texts`` indexes.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Value

from cases.search.text import bigrams

# The case's own text fields and those of its unit and prefecture (one row each: no join multiplies
# the candidates), then its JSON lists, sections and themes, each checked for that case alone.
_FIELDS = (
    "title",
    "title_in_compendium",
    "summary",
    "unit__name",
    "unit__county",
    "unit__township",
    "unit__prefecture__name",
    "unit__prefecture__full_name",
    "unit__prefecture__short_name",
)


def held_as_typed(queryset, backend, text: str) -> bool:
    grams = tuple(dict.fromkeys(bigrams(text)))
    if not grams:
        return False
    tree = grams[0] if len(grams) == 1 else ("and", grams)
    candidates = backend.match(queryset, tree)
    # Stored text is matched case-insensitively (the text is folded; ideographs have no case).
    held = Q()
    for field in _FIELDS:
        held |= Q(**{f"{field}__icontains": text})
    held |= ListHolds(F("title_aliases"), Value(text)) | ListHolds(F("unit__aliases"), Value(text))
    # Correlated with each candidate, so the database stops at the first that holds the text and
    # reads only candidates' sections: an uncorrelated list of every section holding it read all
    # 80,000 sections of a 20,000-case library (农商行: 1.2 s).
    sections = apps.get_model("cases", "CaseSection").objects.filter(case=OuterRef("pk"))
    held |= Exists(sections.filter(Q(heading__icontains=text) | ListHolds(F("paragraphs"), Value(text))))
    themes = apps.get_model("cases", "Case").themes.through.objects.filter(case=OuterRef("pk"))
    held |= Exists(themes.filter(theme__name__icontains=text))
    return candidates.filter(held).exists()


class ListHolds(Func):
    """Whether a JSON list of strings (a field) holds ``text`` in one of its strings, ignoring case."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        text = self.source_expressions[1].value
        if connection.vendor == "postgresql":
            # The list's JSON text first (one strpos, no rows made): most lists do not hold it.
            sql = (
                f"(strpos(lower(({column})::text), %s) > 0 AND EXISTS (SELECT 1 FROM "
                f"jsonb_array_elements_text({column}) v WHERE strpos(lower(v), %s) > 0))"
            )
            return sql, (*params, text, *params, text)
        # SQLite stores the list as JSON text with escapes: json_each reads its strings.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) v WHERE v.type = 'text' AND instr(lower(v.value), %s) > 0)"
        return sql, (*params, text)
