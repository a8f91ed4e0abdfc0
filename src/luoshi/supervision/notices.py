"""Delivers the facts that apps beside this one (projects, requests) announce through the task
layer's `notice` signal: into the inbox, by e-mail and to the unit's group bots."""

from __future__ import annotations

from django.dispatch import receiver

from luoshi.tasks.signals import notice

from . import services


@receiver(notice, dispatch_uid="luoshi.supervision.notice")
def deliver(sender, *, kind, title, body="", url="", key=None, unit=None, to_office=False, task=None, **extra):
    services.notify(
        kind=kind, title=title, body=body, url=url, key=key, task=task,
        unit=None if to_office else unit, recipients=services.supervisors() if to_office else None,
    )
