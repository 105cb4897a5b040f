from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide wiring that belongs to no single app: page-cache invalidation on saves."""

    name = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        from portal.cache import connect_signals

        connect_signals()
