"""Bringing a loaded library up to a newer fixture without losing editors' work.

Interface: ``update_library(path, dry_run=) -> UpdateReport`` (raises ``LibraryUpdateError``), run by
``manage.py load_library --update``; ``Known`` / ``read_known`` / ``known_path``: the list of values
the released fixtures have held (``fixtures/library_history.json``), kept by ``build_library_fixture``.
Modules: records (records in a comparable form), known (the list), update (the merge and the write).
"""

from cases.library_update.known import Known, known_path, read_known
from cases.library_update.update import UPDATE_COMMENT, LibraryUpdateError, UpdateReport, update_library

__all__ = [
    "UPDATE_COMMENT",
    "Known",
    "LibraryUpdateError",
    "UpdateReport",
    "known_path",
    "read_known",
    "update_library",
]
