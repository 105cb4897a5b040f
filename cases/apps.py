from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "案例"

    def ready(self):
        from cases import signals  # noqa: F401 - connects the search index updates
        from cases.segmenter import get_segmenter

        # Load jieba and the domain dictionary now, so the first reader does not pay for it.
        get_segmenter().initialize()
