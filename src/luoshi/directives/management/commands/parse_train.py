"""``luoshi parse-train [--cv] [--check]``: retrain the parser's action model from the dev split of
eval/parser (test labels are never read) and rewrite the model file beside the parser. ``--cv`` first
cross-validates on dev by document and chooses the model's thresholds; ``--check`` only says whether
the committed model equals a fresh training. No database.
The work is luoshi.directives.parsing.train.main; this only makes it a luoshi command."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.directives.parsing import train


class Command(BaseCommand):
    help = "训练解析器的任务识别模型：只读开发集标注，确定性训练并改写模型文件；--cv 先在开发集上按文档交叉验证并选定阈值（无需数据库）。"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--cv", action="store_true", help="在开发集上按文档交叉验证并选定阈值")
        parser.add_argument("--check", action="store_true", help="只检查已提交的模型是否等于重新训练的结果")
        parser.add_argument("--repo-root", default=None)

    def handle(self, *args, cv, check, repo_root, **options):
        argv = []
        if cv:
            argv.append("--cv")
        if check:
            argv.append("--check")
        if repo_root:
            argv += ["--repo-root", repo_root]
        code = train.main(argv)
        if code:
            raise CommandError("模型与重新训练的结果不一致：请运行 luoshi parse-train 并提交模型文件。", returncode=code)
