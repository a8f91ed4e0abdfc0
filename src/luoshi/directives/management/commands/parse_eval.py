"""``luoshi parse-eval [LABELS…] [-v] [--json]``: the parser's evaluation against the hand labels in
eval/parser/labels — recall, precision, unit, lead and deadline accuracy per document. No database.
The work is luoshi.directives.parsing.evaluate.main; this only makes it a luoshi command."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.directives.parsing import evaluate


class Command(BaseCommand):
    help = "解析器评测：对照人工标注，逐文档输出召回率、准确率、单位与时限准确率（无需数据库）。"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("labels", nargs="*", help="标注 JSON 文件或目录（默认 eval/parser/labels）")
        parser.add_argument("--repo-root", default=None)
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")
        parser.add_argument("-V", "--details", action="store_true", help="列出漏检任务与错误字段")

    def handle(self, *args, labels, repo_root, as_json, details, **options):
        argv = list(labels)
        if repo_root:
            argv += ["--repo-root", repo_root]
        if as_json:
            argv.append("--json")
        if details:
            argv.append("-v")
        code = evaluate.main(argv)
        if code:
            raise CommandError("评测未完成（见上方输出）。", returncode=code)
