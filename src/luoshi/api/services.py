"""API tokens: create (the secret is returned once and only its hash stored), revoke."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Forbidden, Invalid
from luoshi.orgs.access import is_system, require_actor

from .models import ApiToken, hash_token

NAME_MAX = ApiToken._meta.get_field("name").max_length


def max_token_days() -> int:
    return getattr(settings, "API_TOKEN_MAX_DAYS", 3650)


@transaction.atomic
def token_create(*, user, name: str, expires_days: int | None = None, now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the record and the token text, which is never stored.
    `expires_days` None means the token does not expire (scripts that predate expiry)."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("请填写令牌名称。"))
    if len(name) > NAME_MAX:
        raise Invalid(_("令牌名称最多 %(n)d 个字。") % {"n": NAME_MAX})
    expires_at = None
    if expires_days is not None:
        if isinstance(expires_days, bool) or not isinstance(expires_days, int) or not 1 <= expires_days <= max_token_days():
            raise Invalid(_("有效期须为 1 至 %(n)d 天。") % {"n": max_token_days()})
        expires_at = (now or timezone.now()) + dt.timedelta(days=expires_days)
    token = "ls_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name, prefix=token[:10], key_hash=hash_token(token), expires_at=expires_at)
    return record, token


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    """Stop a token at once. A person revokes their own tokens; the system (the console) any."""
    require_actor(actor)
    if not is_system(actor) and token.user_id != getattr(actor, "pk", None):
        raise Forbidden(_("只能停用自己的令牌。"))
    if not token.revoked:
        token.revoked, token.revoked_at = True, now or timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
    return token
