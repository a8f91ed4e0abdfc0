"""`luoshi export {decomposition,ledger,rectification,indicators,projects,problems,bulletin} [--directive ID]
[--period P] --out FILE`: the office files from the shell (for scheduled reports), written by the
same functions as the pages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.orgs.models import Role, User
from luoshi.reports import exports


class Command(BaseCommand):
    help = "Write 任务分解表 / 督办台账 / 整改台账 / 指标对标表 (.xlsx) or 督查通报 (.docx)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=exports.KINDS)
        parser.add_argument("--directive", help="来源文件 id（任务分解表必填；台账可选，用于筛选）")
        parser.add_argument("--period", help="期间：2026-11、2026Q4、2026-W48、2026（通报、指标对标表）")
        parser.add_argument("--bulletin", help="督查通报 id（不指定则取该期已印发的通报，否则按该期数据生成草稿）")
        parser.add_argument("--set", dest="indicator_set", help="指标体系 id（指标对标表；默认最近的一个）")
        parser.add_argument("--as", dest="username", help="以此用户的可见范围导出（默认：全部，等同督查员）")
        parser.add_argument("--health", help="台账筛选：red / yellow / green / done")
        parser.add_argument("--unit", help="台账筛选：牵头单位 id")
        parser.add_argument("--status", help="台账筛选：任务状态")
        parser.add_argument("--task-kind", dest="kind_filter", help="台账筛选：任务类型（key、rectification …）")
        parser.add_argument("--out", required=True, help="输出文件路径")

    def handle(self, *args, kind, directive, period, bulletin, username, out, **options):
        user = self.viewer(username)
        filters = {k: options.get(k) for k in ("health", "unit", "status") if options.get(k)}
        if options.get("kind_filter"):
            filters["kind"] = options["kind_filter"]
        if options.get("indicator_set"):
            filters["set"] = options["indicator_set"]
        try:
            result = exports.export(kind, user=user, directive=directive, period=period, filters=filters, bulletin_id=bulletin)
        except exports.ExportError as exc:
            raise CommandError(str(exc))
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.content)
        self.stdout.write(f"已写入 {path}（{len(result.content)} 字节）")

    def viewer(self, username):
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"没有用户 {username}")
        # The shell runs as the office: an unsaved supervisor sees every task.
        return User(username="luoshi-export", name="督查局", role=Role.SUPERVISOR, is_active=True)
