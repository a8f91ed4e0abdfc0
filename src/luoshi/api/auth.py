from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        now = timezone.now()
        # Revoked and expired tokens answer 401 exactly like unknown ones.
        record = ApiToken.objects.usable(now).select_related("user").filter(key_hash=hash_token(token)).first()
        if record is None:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


# Token for scripts; the session (with CSRF) for pages that call the API from the browser.
AUTH = [TokenAuth(), django_auth]
