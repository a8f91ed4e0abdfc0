"""What the tasks app tells the apps built on it, without knowing them (they import tasks; tasks
imports none of them)."""

from django.dispatch import Signal

#: Sent while the task page builds its timeline, with `task` and `user` (None: everything). Each
#: receiver returns a list of entries: dicts with at, kind, title, body, actor, url.
timeline_entries = Signal()

#: "Tell people about this", from apps built on tasks that may not import the notification
#: machinery beside them (projects, requests); the supervision app delivers it. Keyword arguments:
#: kind, title, body, url, key (a fact is told once), and either unit (its people) or
#: to_office=True (the supervisors); optional task. Send it on commit, so that nothing is told
#: about a row not yet stored.
notice = Signal()

#: Sent by `assess.health_refresh` when a task's level changed, with `task`, `before`, `after` and
#: `today`: supervision withdraws the proposals of a task that is no longer red.
health_changed = Signal()
