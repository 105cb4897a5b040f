"""Editorial integrity: who may change what the public sees, held changes, history and undo.

Interface (everything else in the package is an implementation detail):

- The policy — ``decide(user=, action=, target=, proposed=) -> Decision`` (APPLY / HOLD / REFUSE
  with a Chinese message), ``can_publish(user)``, the role names ``EDITOR_GROUP`` and
  ``PUBLISHER_GROUP``. Every admin write path and every service asks it. Vocabulary (``Action``,
  ``Outcome``, ``Decision``, ``PolicyRefused``, ``PublishPermissionError``) is shared with the
  other apps' admin through ``portal.admin.policy``.
- Services (keyword-only; raise PolicyRefused / PublishPermissionError / EditorialError):
  ``case_publish``, ``case_unpublish``, ``case_change_submit``, ``case_change_publish``,
  ``case_change_return``, ``case_change_archive_conflict``, ``case_content_save``,
  ``case_revert``, ``case_recover``, ``case_parts_hold``.
- The content document held changes carry: ``case_snapshot``, ``payload_changes`` (see
  ``cases.editorial.payload`` for its shape) and the model ``cases.models.CaseChange``.
- History: ``register_models``, ``record_initial_versions``.

Modules: policy, payload, services, history (no Django admin imports); forms, resources, views,
admin, admin_parts (the admin, registered by ``cases/admin.py``).
"""

from cases.editorial.history import INITIAL_COMMENT, record_initial_versions, register_models
from cases.editorial.payload import PayloadError, case_snapshot, normalized, payload_changes
from cases.editorial.policy import EDITOR_GROUP, PUBLISH_PERMISSION, PUBLISHER_GROUP, can_publish, decide
from cases.editorial.services import (
    AlreadyRecoveredError,
    ChangeConflictError,
    EditorialError,
    WriteResult,
    case_change_archive_conflict,
    case_change_publish,
    case_change_return,
    case_change_submit,
    case_content_save,
    case_parts_hold,
    case_publish,
    case_recover,
    case_revert,
    case_unpublish,
)
from portal.admin.policy import Action, Decision, Outcome, PolicyRefused, PublishPermissionError

__all__ = [
    "AlreadyRecoveredError",
    "EDITOR_GROUP",
    "INITIAL_COMMENT",
    "PUBLISHER_GROUP",
    "PUBLISH_PERMISSION",
    "Action",
    "ChangeConflictError",
    "Decision",
    "EditorialError",
    "Outcome",
    "PayloadError",
    "PolicyRefused",
    "PublishPermissionError",
    "WriteResult",
    "can_publish",
    "case_change_archive_conflict",
    "case_change_publish",
    "case_change_return",
    "case_change_submit",
    "case_content_save",
    "case_parts_hold",
    "case_publish",
    "case_recover",
    "case_revert",
    "case_snapshot",
    "case_unpublish",
    "decide",
    "normalized",
    "payload_changes",
    "record_initial_versions",
    "register_models",
]
