from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.library_update import LibraryUpdateError, update_library
from cases.services import LibraryLoadError, load_library


class Command(BaseCommand):
    help = (
        "把案例库（通报、奖项、市州、单位、案例、章节、主题、勘误）载入已迁移的数据库。重复运行不改变任何数据。"
        "已载入的数据库用 --update 接收新版数据中的更正（保留编辑的修改）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=settings.LIBRARY_FIXTURE, help="数据文件路径")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--update",
            action="store_true",
            help="通报已载入时，把新版数据中的更正写入数据库；编辑改过的字段保留不动并列出；记入修改历史，可撤销",
        )
        mode.add_argument(
            "--replace", action="store_true", help="通报已存在时仍以数据文件覆盖（会覆盖编辑的修改）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="与 --update 一起用：只列出将做的修改，不写入"
        )

    def handle(self, *args, fixture: Path, replace: bool, update: bool, dry_run: bool, **options):
        if dry_run and not update:
            raise CommandError("--dry-run 只能与 --update 一起使用。")
        if update:
            return self.update(fixture, dry_run)
        try:
            result = load_library(fixture, replace=replace)
        except LibraryLoadError as exc:
            raise CommandError(f"载入失败，数据库未作任何改动。{exc}") from exc
        if not result.loaded:
            self.stdout.write(
                f"{result.notice} 已在数据库中，未作改动（接收新版数据的更正用 --update；覆盖一切用 --replace）。"
            )
            return
        summary = "，".join(f"{label} {n}" for label, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"已载入 {result.notice}：{summary}"))

    def update(self, fixture: Path, dry_run: bool) -> None:
        try:
            report = update_library(fixture, dry_run=dry_run)
        except LibraryUpdateError as exc:
            raise CommandError(f"更新失败，数据库未作任何改动。{exc}") from exc
        for title, lines in (
            ("已更正", report.applied),
            ("新增", report.created),
            ("删除（新版数据已不再有，且无人修改过）", report.deleted),
            ("编辑改过、保留不动（请人工核对）", report.kept),
        ):
            if lines:
                self.stdout.write(f"{title}：{len(lines)} 项")
                for line in lines:
                    self.stdout.write(f"  {line}")
        verb = "将" if dry_run else "已"
        if not report.changed:
            self.stdout.write(f"{report.notice} 已与数据文件一致，无需更新。")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.notice}：{verb}更正 {len(report.applied)} 项，新增 {len(report.created)} 项，"
                    f"删除 {len(report.deleted)} 项，保留编辑的修改 {len(report.kept)} 项。"
                    + ("（试运行，未写入）" if dry_run else "修改已记入历史，可在管理后台逐条撤销。")
                )
            )
