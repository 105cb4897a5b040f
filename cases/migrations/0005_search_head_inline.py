"""Keep ``cases_searchdocument.head`` in the table row (PostgreSQL only).

A row holds ``head`` (about 1 kB), ``terms`` (about 1 kB) and a pointer to the long ``vector``;
above 2 kB PostgreSQL moved ``head`` out to the TOAST table, so ranking a broad query (by ``head``
alone) read a TOAST chunk per match: 帮办代办 over 20,000 cases went from ~140 ms to ~55 ms with
``head`` inline (see docs/benchmarks.md). STORAGE MAIN makes ``terms`` go out first.
"""

from django.db import migrations


def keep_head_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument ALTER COLUMN head SET STORAGE MAIN")
        # Existing rows keep their old storage until rewritten; a new value is stored the new way.
        schema_editor.execute(
            "UPDATE cases_searchdocument SET head = head || ''::tsvector WHERE head IS NOT NULL"
        )


def let_head_move(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument ALTER COLUMN head SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_search_index"),
    ]

    operations = [
        migrations.RunPython(keep_head_inline, let_head_move, elidable=False),
    ]
