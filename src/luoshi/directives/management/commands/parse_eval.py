"""``luoshi parse-eval [LABELS…] [--split dev|test|all] [-V] [--json]``: the parser's evaluation against
the hand labels in eval/parser/labels — distinct recall, precision, units, lead unit, deadlines and
outline headings per genre and overall, for the dev and the test split. No database.
The work is luoshi.directives.parsing.evaluate.main; this only makes it a luoshi command."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.directives.parsing import evaluate


class Command(BaseCommand):
    help = "解析器评测：对照人工标注，按体裁与总体输出开发集和测试集的召回率、准确率、单位、牵头单位、时限与提纲（无需数据库）。"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("labels", nargs="*", help="标注 JSON 文件或目录（默认 eval/parser/labels）")
        parser.add_argument("--split", choices=("dev", "test", "all"), default="all", help="只评测开发集、测试集或全部")
        parser.add_argument("--repo-root", default=None)
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")
        parser.add_argument("-V", "--details", action="store_true", help="列出漏检任务与错误字段")

    def handle(self, *args, labels, split, repo_root, as_json, details, **options):
        argv = [*labels, "--split", split]
        if repo_root:
            argv += ["--repo-root", repo_root]
        if as_json:
            argv.append("--json")
        if details:
            argv.append("-v")
        code = evaluate.main(argv)
        if code:
            raise CommandError("评测未完成（见上方输出）。", returncode=code)
