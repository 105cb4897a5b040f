from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "案例"

    def ready(self):
        # Connects the search index updates.
        from cases.search import signal_handlers, warm_up  # noqa: F401

        # Load jieba, the domain dictionary and the converter now: the first reader must not wait.
        warm_up()
