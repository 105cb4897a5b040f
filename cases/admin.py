"""The cases app's admin lives in cases.editorial (admin, admin_parts) and cases.feedback; Django's
autodiscovery imports this module, which registers them."""

from cases.editorial import admin as case_admin  # noqa: F401
from cases.editorial import admin_parts  # noqa: F401
from cases.feedback import admin as feedback_admin  # noqa: F401 - registers FeedbackAdmin
