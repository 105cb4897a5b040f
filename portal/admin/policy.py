"""The vocabulary of the editorial policy: what a write is, what the policy decides, how a refusal looks.

The rule itself lives in one function named by ``settings.EDITORIAL_POLICY`` (the cases app's
``cases.editorial.policy.decide``); ``decide`` here forwards to it, so the shared admin classes in
this package (used by the awards app too) ask the same rule without importing the cases app.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string


class Action(StrEnum):
    """A write an admin path (or a service) is about to make."""

    ADD = "add"  # add form, inline add, section/erratum add
    CHANGE = "change"  # change form, list_editable, inline change
    DELETE = "delete"  # delete page, bulk 删除所选, inline delete
    REVERT = "revert"  # 历史: back to an older version
    RECOVER = "recover"  # 恢复已删除的…
    IMPORT_NEW = "import_new"  # a spreadsheet row that creates a record
    IMPORT_CHANGE = "import_change"  # a spreadsheet row that changes a record
    PUBLISH = "publish"  # a case becomes public
    UNPUBLISH = "unpublish"  # a case leaves the public site
    CHANGE_PUBLISH = "change_publish"  # a held change goes live
    CHANGE_RETURN = "change_return"  # a held change is sent back to its editor


class Outcome(StrEnum):
    APPLY = "apply"  # written now
    HOLD = "hold"  # kept as a change waiting for a publisher; the public sees nothing new
    REFUSE = "refuse"  # not written; ``Decision.message`` says why


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one write; ``message`` is Chinese and meant for the user."""

    outcome: Outcome
    message: str = ""
    # New records (add, recover, import) are drafts whatever the submitted status says.
    force_draft: bool = False

    @property
    def applies(self) -> bool:
        return self.outcome is Outcome.APPLY

    @property
    def held(self) -> bool:
        return self.outcome is Outcome.HOLD

    @property
    def refused(self) -> bool:
        return self.outcome is Outcome.REFUSE


class PolicyRefused(PermissionDenied):
    """A write the policy refused; ``str(error)`` is the Chinese reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PublishPermissionError(PolicyRefused):
    """Publishing, unpublishing or deciding on a held change without ``cases.publish_case``."""


def decide(*, user, action: Action, target=None, proposed=None) -> Decision:
    """Ask the project's editorial policy about one write.

    ``target`` is the record as stored (None for a new one), ``proposed`` the record as it would be
    written (None for a delete). Returns a Decision; raises nothing.
    """
    return _policy()(user=user, action=action, target=target, proposed=proposed)


def require(*, user, action: Action, target=None, proposed=None) -> Decision:
    """``decide``, raising PolicyRefused (a PermissionDenied) when the write is refused."""
    decision = decide(user=user, action=action, target=target, proposed=proposed)
    if decision.refused:
        raise PolicyRefused(decision.message)
    return decision


@cache
def _policy():
    return import_string(settings.EDITORIAL_POLICY)
