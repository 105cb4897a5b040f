"""Print a row count and a content digest for every table of the library: compare them before a backup
and after a restore (docs/deploy.md) to prove nothing was lost or changed."""

import hashlib
import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

# The project's apps, plus the edit-history apps when installed (their tables hold the history records).
LIBRARY_APPS = ("awards", "cases", "simple_history", "reversion", "admin", "auth")


def library_models():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in LIBRARY_APPS and not meta.proxy and meta.managed:
            if meta.label in ("auth.Permission", "auth.Group_permissions"):
                continue  # rebuilt by migrate, not part of a backup
            if meta.label == "cases.SearchDocument":
                continue  # derived from the cases; a restore rebuilds it (compare search results instead)
            yield model


def library_digest(using: str = "default") -> dict[str, dict]:
    result = {}
    for model in sorted(library_models(), key=lambda m: m._meta.label):
        fields = [f.attname for f in model._meta.concrete_fields]
        if model._meta.auto_created:
            # A many-to-many link table: its own ids are not data (a restore may renumber them).
            fields = [name for name in fields if name != model._meta.pk.attname]
        rows = list(model._base_manager.using(using).order_by(*fields).values_list(*fields))
        blob = json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        result[model._meta.label] = {"rows": len(rows), "sha256": hashlib.sha256(blob.encode()).hexdigest()}
    return result


class Command(BaseCommand):
    help = "每张数据表的行数与内容摘要（JSON），用于核对备份与恢复。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(library_digest(options["database"]), indent=2, ensure_ascii=False))
