import secrets

from django.db import transaction

from .models import ApiToken, hash_token


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the record and the token text, which is never stored."""
    token = "ls_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name, prefix=token[:10], key_hash=hash_token(token))
    return record, token


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
