"""Backups: dumping and restoring the database keeps every case, section, erratum and history record,
and the restored library searches exactly as before.

Compares row counts and content digests of every table of the library (manage.py library_digest: the
project's apps, Django's admin log and users, and the edit-history apps when installed), and the ranked
answers to a set of searches (the index is derived data: loaddata rebuilds it and its statistics).
"""

import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from cases.models import Case
from portal.management.commands.library_digest import library_digest
from tests.portal.conftest import run_manage

DUMP_ARGS = [
    "--natural-foreign",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=cases.searchdocument",  # derived: loaddata rebuilds it (docs/deploy.md)
]


def assert_same_library(before: dict, after: dict) -> None:
    assert set(after) == set(before)
    for label in ("cases.Case", "cases.CaseSection", "cases.Erratum", "awards.Unit", "admin.LogEntry"):
        assert before[label]["rows"] > 0, f"{label}: nothing to compare"
    for label, digest in before.items():
        assert after[label] == digest, label


SEARCHES = ("便民服务", "政务服务", "代办", "乡村振兴", "成都市", "一窗通办", "群众办事不出村", "蓉欧")


def search_answers() -> dict:
    """For each search, the published cases found, best first, with their rank."""
    from cases.search import apply_search

    answers = {}
    for query in SEARCHES:
        found = apply_search(Case.objects.published(), query).queryset[:20]
        answers[query] = [[case.pk, round(float(case.search_rank), 5)] for case in found]
    return answers


def restore_digest(database_url: str, dump_path) -> tuple[dict, dict]:
    """Restore as docs/deploy.md says (migrate, loaddata); the digest and the search answers."""
    env = {"DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    run_manage("migrate", "--noinput", "-v0", env=env)
    run_manage("loaddata", str(dump_path), "-v0", env=env)
    digest = json.loads(run_manage("library_digest", env=env).stdout)
    code = "import json; from tests.portal.test_backup import search_answers; print(json.dumps(search_answers()))"
    answers = json.loads(run_manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1])
    return digest, answers


def record_an_edit():
    """An editor's change with its history entry, so the backup has history to keep."""
    editor = get_user_model().objects.create_user("editor", password="x-long-password-1")
    case = Case.objects.get(slug="2021-best-01")
    case.summary += "（已校对）"
    case.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case.pk),
        object_repr=str(case)[:200],
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["导语"]}}]',
    )


def test_dumpdata_and_loaddata_keep_every_record_and_search_alike(library, tmp_path):
    record_an_edit()
    before, answers_before = library_digest(), search_answers()
    assert all(answers_before.values()), "every search should find something to compare"
    dump = tmp_path / "library-backup.json"
    call_command("dumpdata", *DUMP_ARGS, output=str(dump), verbosity=0)
    if connection.vendor == "postgresql":
        from tests.portal import pg

        name = f"{connection.settings_dict['NAME']}_bk_loaddata"
        try:
            after, answers_after = restore_digest(pg.create_database(name), dump)
        finally:
            pg.drop_database(name)
    else:
        after, answers_after = restore_digest(f"sqlite:///{tmp_path / 'restored.sqlite3'}", dump)
    assert_same_library(before, after)
    assert answers_after == answers_before


def test_pg_dump_and_pg_restore_keep_every_record(postgres, tmp_path):
    """The procedure of docs/deploy.md: pg_dump --format=custom, pg_restore into an empty database."""
    import subprocess

    from tests.portal import pg

    # pg_dump sees committed rows; commit an edit with history in a copy first.
    source = f"{connection.settings_dict['NAME']}_bk_source"
    target = f"{connection.settings_dict['NAME']}_bk_target"
    try:
        source_url = pg.copy_test_database(source)
        env = {"DATABASE_URL": source_url, "DJANGO_DEBUG": "1"}
        run_manage(
            "shell",
            "-c",
            "from tests.portal.test_backup import record_an_edit; record_an_edit()",
            env=env,
        )
        before = json.loads(run_manage("library_digest", env=env).stdout)
        archive = tmp_path / "library.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={archive}", source_url], check=True
        )
        target_url = pg.create_database(target)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target_url}", archive], check=True
        )
        after = json.loads(run_manage("library_digest", env={**env, "DATABASE_URL": target_url}).stdout)
        assert_same_library(before, after)
        assert after["cases.Case"]["rows"] == 44
    finally:
        pg.drop_database(source)
        pg.drop_database(target)
