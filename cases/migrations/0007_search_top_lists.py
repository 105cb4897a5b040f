"""Top lists for broad queries (PostgreSQL) and an index of published case ids.

- ``cases_search_impact`` / ``cases_search_toplist``: per frequent word, the cases whose head
  ranks highest for it (see cases.search_topk). Filled by the next ``rebuild_search_index`` or
  library load; until then every query takes the ordinary path.
- A partial index of published case ids: counting the matches of a broad query joins them with
  this index alone (an index-only scan) instead of reading every case row.
"""

from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        "CREATE TABLE cases_search_impact (term text NOT NULL, case_id bigint NOT NULL, score real NOT NULL)"
    )
    execute("CREATE INDEX cases_search_impact_top ON cases_search_impact (term, score DESC, case_id)")
    execute("CREATE INDEX cases_search_impact_case ON cases_search_impact (case_id)")
    execute(
        "CREATE TABLE cases_search_toplist (term text PRIMARY KEY, floor real NOT NULL, floor_case bigint)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP TABLE IF EXISTS cases_search_impact")
    execute("DROP TABLE IF EXISTS cases_search_toplist")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_unit_version"),
        ("cases", "0006_search_no_parallel_scan"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "published")), fields=["id"], name="case_published_ids"
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
