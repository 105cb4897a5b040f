import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.library import SourceMismatch, build_fixture_text
from cases.library_update import known_path, read_known


class Command(BaseCommand):
    help = (
        "从 fixtures/source/ 中的通报原文重新生成 fixtures/library.json，"
        "并把它的内容记入 fixtures/library_history.json（load_library --update 据此识别编辑的修改）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查已提交的数据文件是否与原文一致")

    def handle(self, *args, check: bool, **options):
        try:
            text = build_fixture_text(settings.LIBRARY_SOURCE)
        except SourceMismatch as exc:
            raise CommandError(f"原文与参考数据不一致：{exc}") from exc
        target = settings.LIBRARY_FIXTURE
        try:
            known = read_known(target)
        except ValueError as exc:
            raise CommandError(f"{known_path(target)} 无法读取：{exc}") from exc
        records = json.loads(text)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(f"{target} 与原文解析结果不一致，请运行 build_library_fixture。")
            if not known.covers(records):
                raise CommandError(
                    f"{known_path(target)} 没有记入当前的数据文件，请运行 build_library_fixture。"
                )
            self.stdout.write("数据文件与原文一致。")
            return
        target.write_text(text, encoding="utf-8")
        known.add_records(records)
        known_path(target).write_text(known.render(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已写入 {target} 和 {known_path(target)}"))
