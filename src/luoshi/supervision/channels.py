"""Outbound channels: e-mail and the group bots of WeCom (企业微信) and DingTalk (钉钉).

The payload builders are pure; `send` does the I/O with a short timeout and raises `SendFailed`
with a readable error. Callers (delivery jobs, the sweep) record the outcome;
nothing here runs inside a request's critical path."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _


class SendFailed(Exception):
    pass


def timeout() -> float:
    return float(getattr(settings, "LUOSHI", {}).get("NOTIFY_TIMEOUT_SECONDS", 5))


def markdown_text(title: str, body: str, url: str = "") -> str:
    lines = [f"**{title}**"]
    if body:
        lines += ["", body]
    if url:
        lines += ["", f"[查看详情]({url})"]
    return "\n".join(lines)


def wecom_payload(title: str, body: str, url: str = "") -> dict:
    """企业微信群机器人, markdown message."""
    return {"msgtype": "markdown", "markdown": {"content": markdown_text(title, body, url)}}


def dingtalk_payload(title: str, body: str, url: str = "") -> dict:
    """钉钉群机器人, markdown message (title is what the chat list shows)."""
    return {"msgtype": "markdown", "markdown": {"title": title, "text": markdown_text(title, body, url)}}


def post_json(url: str, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310 - configured by an admin
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
    # Both bots answer 200 with {"errcode": 0, ...}; anything else is a refusal (bad key, rate limit).
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise SendFailed(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


# Where `make demo` serves: the demo's links open without any configuration.
DEMO_SITE_URL = "http://127.0.0.1:8000"


def absolute(url: str) -> str:
    """A link a mail client or a chat app can open: SITE_URL + path (the demo address in DEBUG)."""
    base = getattr(settings, "SITE_URL", "") or getattr(settings, "LUOSHI", {}).get("SITE_URL", "")
    if not base and settings.DEBUG:
        base = DEMO_SITE_URL
    return f"{base.rstrip('/')}{url}" if base and url.startswith("/") else url


def send(via: str, target: str, title: str, body: str, url: str = "", *, mail_connection=None) -> None:
    """Send one message; raises SendFailed. A sender of many passes one mail connection."""
    link = absolute(url)
    if via == "email":
        recipients = [a for a in target.split(",") if a.strip()]
        if not recipients:
            raise SendFailed(_("没有收件地址"))
        text = body + (f"\n\n{link}" if link else "")
        try:
            send_mail(title, text, None, recipients, fail_silently=False, connection=mail_connection)
        except Exception as exc:  # SMTP errors come in many classes; all mean "not sent"
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc
    elif via == "wecom":
        post_json(target, wecom_payload(title, body, link))
    elif via == "dingtalk":
        post_json(target, dingtalk_payload(title, body, link))
    else:
        raise SendFailed(f"unknown channel {via!r}")
