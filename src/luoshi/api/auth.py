from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
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


def docs_login_required(view):
    """The API's documentation describes every endpoint and field: in production (API_DOCS_PUBLIC
    off) only someone logged in or holding a token reads it. The page sends a stranger to the login;
    openapi.json, read by tools, answers 401."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated or TokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("请先登录或提供 API 令牌。")}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded
