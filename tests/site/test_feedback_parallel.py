"""纠错 posted by many readers at the same moment on SQLite: each waits its turn, none gets a 503.

A real file database in a fresh process (the test database is in memory, where SQLite locks
differently), twelve threads posting through the whole Django stack at once.
"""

from tests.portal.conftest import run_python

SCRIPT = """
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client

call_command("migrate", verbosity=0)
statuses = []
start = threading.Barrier(12)

def post(n):
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    start.wait()
    response = client.post("/feedback/", {"message": f"同时提交的第 {n} 条纠错", "page": "/"},
                           REMOTE_ADDR=f"198.51.100.{n}")
    statuses.append(response.status_code)
    connections.close_all()

threads = [threading.Thread(target=post, args=(n,)) for n in range(12)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
from cases.models import Feedback
print("STATUSES", sorted(statuses), "STORED", Feedback.objects.count())
"""


def test_parallel_reports_on_sqlite_all_get_stored_without_database_is_locked(tmp_path):
    result = run_python(
        SCRIPT,
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'parallel.sqlite3'}",
            "DJANGO_DEBUG": "1",
            "DJANGO_PAGE_CACHE": "0",
            "DJANGO_LOG_LEVEL": "CRITICAL",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = [row for row in result.stdout.splitlines() if row.startswith("STATUSES")][-1]
    assert line == f"STATUSES {[303] * 12} STORED 12", line
