"""Admin pieces shared by every app (cases, awards): history with revert and recover, the editorial
policy's vocabulary, links, form fields and spreadsheet formats.

Apps import from here and never from each other's admin modules. The editorial rule itself is the
cases app's (``settings.EDITORIAL_POLICY``); this package only asks it.
"""

from portal.admin.diff import FieldChange, field_changes, previous_version, related_versions
from portal.admin.forms import LinesField, OptimisticLockForm, PolicyCheckedForm
from portal.admin.history import HistoryAdmin, revert_comment, stored_data
from portal.admin.io import (
    CSV,
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    XLSX,
    ColumnExportForm,
    EscapingResource,
    SpreadsheetAdminMixin,
    import_max_bytes,
    text,
)
from portal.admin.links import SafeAutocompleteSelect, admin_link, changelist_link
from portal.admin.policy import (
    Action,
    Decision,
    Outcome,
    PolicyRefused,
    PublishPermissionError,
    decide,
    require,
)
from portal.admin.restore import RestoreError, record_before_delete

__all__ = [
    "CSV",
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "XLSX",
    "Action",
    "ColumnExportForm",
    "Decision",
    "EscapingResource",
    "FieldChange",
    "HistoryAdmin",
    "LinesField",
    "OptimisticLockForm",
    "Outcome",
    "PolicyCheckedForm",
    "PolicyRefused",
    "PublishPermissionError",
    "RestoreError",
    "SafeAutocompleteSelect",
    "SpreadsheetAdminMixin",
    "admin_link",
    "changelist_link",
    "decide",
    "field_changes",
    "import_max_bytes",
    "previous_version",
    "record_before_delete",
    "related_versions",
    "require",
    "revert_comment",
    "stored_data",
    "text",
]
