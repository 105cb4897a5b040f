"""The cases app's admin lives in cases.editorial (admin, admin_parts); Django's autodiscovery
imports this module, which registers it."""

from cases.editorial import admin as case_admin  # noqa: F401
from cases.editorial import admin_parts  # noqa: F401
