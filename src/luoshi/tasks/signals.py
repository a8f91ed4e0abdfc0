"""What the tasks app tells the apps built on it, without knowing them (they import tasks; tasks
imports none of them)."""

from django.dispatch import Signal

#: Sent while the task page builds its timeline, with `task` and `user` (None: everything). Each
#: receiver returns a list of entries: dicts with at, kind, title, body, actor, url.
timeline_entries = Signal()
