"""A small world of tasks whose health is derived by the real rules on TODAY, shared by the report,
export and bulletin tests (imported by them; it holds no tests of its own)."""

import datetime as dt

from luoshi.tasks.assess import health_refresh
from luoshi.tasks import services as task_services

TODAY = dt.date(2026, 11, 30)


def make_task(cast, *, title, lead, co=(), start, deadline, kind="key", directive=None, parent=None, publish=True, measures="", leader=True):
    task = task_services.task_create(
        actor=cast["supervisor"], title=title, lead_unit=lead, co_units=list(co), start_on=start, deadline=deadline,
        cadence="none", kind=kind, directive=directive, parent=parent, lead_leader=cast["leader"] if leader else None, measures=measures,
    )
    if publish:
        task_services.task_publish(actor=cast["supervisor"], task=task, today=start)
        health_refresh(task=task, today=TODAY)
        task.refresh_from_db()
    return task


def build(cast, units, directive=None):
    """red: overdue 发改委 task and overdue 教育局 task; yellow: 财政局 task near its deadline and a
    little behind; green: a 发改委 task just begun; done: a rectification task closed by verification
    (发改委 leads, 财政局 co-unit); plus a draft that nobody counts."""
    d = dt.date
    world = {
        "red": make_task(cast, title="逾期的发改委任务", lead=units["lead"], start=d(2026, 10, 1), deadline=d(2026, 11, 20), directive=directive),
        "green": make_task(cast, title="刚开始的发改委任务", lead=units["lead"], start=d(2026, 11, 25), deadline=d(2027, 6, 30), directive=directive),
        "yellow": make_task(cast, title="临近时限的财政局任务", lead=units["co"], start=d(2026, 11, 29), deadline=d(2026, 12, 5), directive=directive),
        "other": make_task(cast, title="逾期的教育局任务", lead=units["other"], start=d(2026, 10, 1), deadline=d(2026, 11, 10), leader=False),
        "rect": make_task(
            cast, title="整改：审批时限过长", lead=units["lead"], co=[units["co"]], start=d(2026, 11, 1), deadline=d(2026, 12, 31),
            kind="rectification", directive=directive, measures="压缩审批环节",
        ),
        "draft": make_task(cast, title="草稿任务", lead=units["lead"], start=d(2026, 11, 1), deadline=d(2026, 12, 31), publish=False),
    }
    rect = world["rect"]
    task_services.task_transition(actor=cast["owner"], task=rect, action="request_closure", evidence="已整改", today=TODAY)
    task_services.task_transition(actor=cast["supervisor"], task=rect, action="verify_closure", today=TODAY)
    for task in world.values():
        task.refresh_from_db()
    return world
