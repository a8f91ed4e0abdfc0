from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.api.models import ApiToken
from luoshi.api.services import token_create, token_revoke
from luoshi.core.errors import LuoshiError
from luoshi.orgs.access import SYSTEM
from luoshi.orgs.models import User


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it once (--name, --expires-days); "
        "--list a user's tokens (everyone's without a user); --revoke ID_OR_PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--expires-days", type=int, default=None, help="days until the token stops working (default: never)")
        parser.add_argument("--list", action="store_true", help="list tokens instead of creating one")
        parser.add_argument("--revoke", metavar="ID_OR_PREFIX", help="revoke one token by its id or its prefix (ls_…)")

    def handle(self, *args, username, name, expires_days, list, revoke, **options):
        if revoke:
            return self.revoke(revoke)
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None or (not list and not user.is_active):
                raise CommandError(_("没有有效用户 %(name)s。") % {"name": username})
        if list:
            return self.list(user)
        if user is None:
            raise CommandError(_("请给出用户名，或使用 --list / --revoke。"))
        try:
            _record, token = token_create(user=user, name=name, expires_days=expires_days)
        except LuoshiError as exc:
            raise CommandError(exc.message)
        self.stdout.write(token)

    def list(self, user) -> None:
        now = timezone.now()
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at", "-pk")
        if user is not None:
            tokens = tokens.filter(user=user)
        fmt = lambda moment: timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"  # noqa: E731
        for token in tokens:
            self.stdout.write("\t".join([
                str(token.pk), token.prefix + "…", token.user.username, token.name, token.status(now),
                _("创建 %(at)s") % {"at": fmt(token.created_at)}, _("到期 %(at)s") % {"at": fmt(token.expires_at)},
                _("最近使用 %(at)s") % {"at": fmt(token.last_used_at)},
            ]))

    def revoke(self, key: str) -> None:
        matches = ApiToken.objects.filter(pk=int(key)) if key.isdigit() else ApiToken.objects.filter(prefix=key.rstrip("…"))
        found = list(matches[:2])
        if len(found) != 1:
            raise CommandError(
                _("找不到令牌 %(key)s。") % {"key": key} if not found else _("前缀 %(key)s 对应多个令牌，请用编号。") % {"key": key}
            )
        token_revoke(actor=SYSTEM, token=found[0])
        self.stdout.write(_("已停用令牌 %(token)s（%(user)s）。") % {"token": found[0], "user": found[0].user.username})
