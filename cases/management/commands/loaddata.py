"""Django's loaddata, then what a JSON backup cannot carry: the search index and its statistics.

The index lives partly outside the model tables (PostgreSQL's word statistics and top lists,
SQLite's FTS5 table), and loaddata's raw saves skip the per-row indexing, so a restored library
would search differently (or, on SQLite, find nothing) until ``rebuild_search_index``. Restoring a
backup as docs/deploy.md describes therefore rebuilds it here, and invalidates cached pages.
"""

import io

from django.core.management import call_command
from django.core.management.commands.loaddata import Command as LoadDataCommand

from portal.cache import bump_library_version

LIBRARY_APPS = {"awards", "cases"}


class Command(LoadDataCommand):
    help = LoadDataCommand.help + " 载入案例库数据后，重建检索索引与统计并使页面缓存失效。"

    def handle(self, *fixture_labels, **options):
        super().handle(*fixture_labels, **options)
        if any(model._meta.app_label in LIBRARY_APPS for model in self.models):
            out = self.stdout if self.verbosity >= 1 else io.StringIO()
            call_command("rebuild_search_index", stdout=out)
            bump_library_version()
