from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.services import LibraryLoadError, load_library


class Command(BaseCommand):
    help = "把案例库（通报、奖项、市州、单位、案例、章节、主题、勘误）载入已迁移的数据库。重复运行不改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=settings.LIBRARY_FIXTURE, help="数据文件路径")
        parser.add_argument(
            "--replace", action="store_true", help="通报已存在时仍以数据文件覆盖（会覆盖编辑的修改）"
        )

    def handle(self, *args, fixture: Path, replace: bool, **options):
        try:
            result = load_library(fixture, replace=replace)
        except LibraryLoadError as exc:
            raise CommandError(f"载入失败，数据库未作任何改动。{exc}") from exc
        if not result.loaded:
            self.stdout.write(f"{result.notice} 已在数据库中，未作改动（需要覆盖时使用 --replace）。")
            return
        summary = "，".join(f"{label} {n}" for label, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"已载入 {result.notice}：{summary}"))
