from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.fidelity import DETECTORS, audit, explanation, reviewed_lexicon, source_texts
from cases.source import parse

LABELS = {
    "latin": "中文里的拉丁字母",
    "enumeration": "被分页拆开的列举",
    "cut_sentence": "被分页截断的句子",
    "character": "GB 2312 以外的字与繁体字",
    "name_variant": "同一名称的两种写法",
}


class Command(BaseCommand):
    help = "检查通报原文的转换损伤：列出每个检测器的发现及编辑的处理（已更正或核对后保留）。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="列出每一条发现，而不只是未处理的")

    def handle(self, *args, all: bool, **options):
        doc = parse(settings.LIBRARY_SOURCE.read_text(encoding="utf-8"))
        grouped = audit(source_texts(doc), reviewed_lexicon()).by_detector()
        open_findings = 0
        for detector in DETECTORS:
            decisions = {f.key: (f, explanation(f)) for f in grouped[detector]}
            corrected = sum(1 for _, e in decisions.values() if e and e.startswith("corrected"))
            kept = sum(1 for _, e in decisions.values() if e and e.startswith("kept"))
            missing = [f for f, e in decisions.values() if e is None]
            open_findings += len(missing)
            self.stdout.write(
                f"{LABELS[detector]}（{detector}）：{len(decisions)} 项，已更正 {corrected}，保留 {kept}，未处理 {len(missing)}"
            )
            for key, (finding, decision) in sorted(decisions.items()):
                if all or decision is None:
                    self.stdout.write(f"  {key}  @ {finding.where}  → {decision or '未处理'}")
        if open_findings:
            raise CommandError(
                f"有 {open_findings} 项发现尚未处理：请在 cases/reference.py 中更正，"
                "或在 cases/reference_checked.py 中写明保留的理由。"
            )
