"""Protection of the public pages (no account, no CAPTCHA):

* a honeypot field that people never see and bots fill in;
* a minimum fill time, carried in a signed token issued with the form (a bot posting at once, or
  replaying a token older than a day, is refused);
* a rate limit per address, counted in the database so several app servers share it, for
  submissions and, separately, for status look-ups (receipt numbers are long and random, and
  guessing them is throttled too);
* size limits: the form's fields are bounded and the whole upload is capped.
Refusals say what to do without saying which check failed to a bot."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core import signing
from django.utils import timezone

from luoshi.core.clientaddr import request_client_address

from .models import PublicAttempt

SALT = "luoshi.requests.public-form"
HONEYPOT = "website"


def conf(name: str, default):
    return getattr(settings, "LUOSHI", {}).get(name, default)


def client_key(http_request) -> str:
    address = request_client_address(http_request) or "unknown"
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def form_token(now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    return signing.dumps(int(now.timestamp()), salt=SALT)


def token_ok(token: str, now: dt.datetime | None = None) -> bool:
    """The form was served by us, at least the minimum fill time ago and within a day."""
    now = now or timezone.now()
    try:
        issued = int(signing.loads(token or "", salt=SALT, max_age=86400))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return now.timestamp() - issued >= int(conf("REQUEST_PUBLIC_MIN_SECONDS", 5))


def throttled(client: str, kind: str, now: dt.datetime | None = None) -> bool:
    """Whether `client` has used up its allowance of `kind` in the last hour."""
    now = now or timezone.now()
    limit = int(conf("REQUEST_PUBLIC_SUBMITS_PER_HOUR" if kind == PublicAttempt.Kind.SUBMIT else "REQUEST_PUBLIC_LOOKUPS_PER_HOUR",
                     5 if kind == PublicAttempt.Kind.SUBMIT else 30))
    since = now - dt.timedelta(hours=1)
    return PublicAttempt.objects.filter(client=client, kind=kind, at__gte=since).count() >= limit


def record(client: str, kind: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    PublicAttempt.objects.create(client=client, kind=kind, at=now)
    # Old rows are of no use to the limit; keep the table small.
    PublicAttempt.objects.filter(at__lt=now - dt.timedelta(days=2)).delete()
