from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide wiring that belongs to no single app: page-cache invalidation and text cleaning on saves."""

    name = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        from django.contrib import admin

        from portal import cache, lookups, memo, text
        from portal.auth import LoginForm

        admin.site.login_form = LoginForm
        lookups.install()  # an id no column can hold matches nothing, never an OverflowError
        cache.connect_signals()
        memo.connect_signals()
        text.connect_signals()
        text.install_form_fields()
