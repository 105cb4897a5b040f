"""No parallel sequential scans of ``cases_searchdocument`` (PostgreSQL only).

For an any-word query (many OR-ed words) the planner estimated a few hundred matches and chose a
parallel sequential scan, which reads every case's long, TOASTed ``vector`` (少数民族地区怎么开展
双语服务 over 20,000 cases: ~500 ms against ~70 ms through the GIN index). Without parallel
workers the GIN index is the cheaper plan by the planner's own estimate.
"""

from django.db import migrations


def no_parallel(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument SET (parallel_workers = 0)")


def allow_parallel(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_search_head_inline"),
    ]

    operations = [
        migrations.RunPython(no_parallel, allow_parallel, elidable=False),
    ]
