from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "案例"

    def ready(self):
        from cases import versioning  # noqa: F401 - a write to a case's part is a new version of the case
        from cases.editorial import register_models
        from cases.search import signal_handlers, warm_up  # noqa: F401 - signal_handlers connects the index updates

        # What the edit history keeps, also where the admin is not loaded (load_library).
        register_models()
        # Load jieba, the domain dictionary and the converter now: the first reader must not wait.
        warm_up()
