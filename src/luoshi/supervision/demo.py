"""Demo supervision of 示范市 (演示数据): an action at every step of the ladder (提醒 … 问责), some
answered and closed, one past its reply date, two 督办单 unanswered, a pending escalation proposal,
a review round (回头看) half confirmed, and the notifications these put in the inboxes.

Runs after the tasks demo and works on its published tasks (if there are none, it publishes a few
of its own through the task services). Dated relative to the day it is loaded, through the same
services the pages use; then the timestamps are moved to the day each step happened. Idempotent:
nothing is done when the demo actions exist."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.orgs.access import SYSTEM
from luoshi.orgs.models import Unit, User
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task
from luoshi.tasks.workflow import ACTIVE_STATES

from . import services
from .models import (
    ActionEvent, EscalationProposal, Message, Notification, ReviewItem, SupervisionAction, red_reason, render_proposal_reason,
    unanswered_reason,
)

TAG = "（演示数据）"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _liaison(unit):
    return User.objects.filter(unit=unit, role="liaison", is_active=True).order_by("pk").first()


def _own_tasks(today, supervisor):
    """A few tasks of our own when the tasks demo published none."""

    made = []
    for title, short, start, deadline in (
        ("推进老旧小区改造，年底前完成改造任务", "住建局", -100, 40),
        ("开展食品安全专项整治", "市场监管局", -90, 20),
        ("加快重点项目前期工作", "发改委", -120, 60),
    ):
        unit = Unit.objects.filter(short_name=short).first()
        if unit is None:
            continue
        task = task_services.task_create(
            actor=supervisor, title=title, lead_unit=unit, start_on=today + dt.timedelta(days=start),
            deadline=today + dt.timedelta(days=deadline), cadence="monthly", due_day=25, tags="演示数据",
        )
        task_services.task_publish(actor=supervisor, task=task, today=today + dt.timedelta(days=start))
        made.append(task)
    return made


def _candidates(today, supervisor):
    rank = {"red": 0, "yellow": 1, "green": 2}
    tasks = [
        t for t in Task.objects.filter(status__in=ACTIVE_STATES, lead_unit__isnull=False).select_related("lead_unit").order_by("pk")
        if _liaison(t.lead_unit) is not None
    ]
    if not tasks:
        tasks = _own_tasks(today, supervisor)
    return sorted(tasks, key=lambda t: (rank.get(t.health, 3), t.pk))


def _backdate(action: SupervisionAction, issued: dt.date, replied: dt.date | None = None, closed: dt.date | None = None):
    SupervisionAction.objects.filter(pk=action.pk).update(issued_at=_at(issued, 9))
    events = ActionEvent.objects.filter(action=action)
    events.filter(event="issue").update(created_at=_at(issued, 9))
    Message.objects.filter(action=action, kind="action").update(created_at=_at(issued, 9))
    Notification.objects.filter(message__action=action, message__kind="action").update(created_at=_at(issued, 9))
    if replied:
        SupervisionAction.objects.filter(pk=action.pk).update(replied_at=_at(replied, 15))
        events.filter(event="reply").update(created_at=_at(replied, 15))
    if closed:
        SupervisionAction.objects.filter(pk=action.pk).update(closed_at=_at(closed, 11))
        events.filter(event="close").update(created_at=_at(closed, 11))
    for event in events.filter(event="expire"):
        day = action.reply_due + dt.timedelta(days=1)
        ActionEvent.objects.filter(pk=event.pk).update(created_at=_at(day, 2))


def load(**_context) -> dict:
    if SupervisionAction.objects.filter(reason__endswith=TAG).exists():
        return {"actions": 0}

    supervisor = User.objects.filter(username="duchayuan", is_active=True).first()
    if supervisor is None:
        return {"actions": 0}  # no org demo: nobody to issue anything
    # Outbound mail and group bots wait for the first sweep rather than firing during the load.
    luoshi = getattr(settings, "LUOSHI", {})
    saved = luoshi.get("NOTIFY_DELIVERY")
    luoshi["NOTIFY_DELIVERY"] = "sweep"
    try:
        with transaction.atomic():
            return _load(timezone.localdate(), supervisor)
    finally:
        if saved is None:
            luoshi.pop("NOTIFY_DELIVERY", None)
        else:
            luoshi["NOTIFY_DELIVERY"] = saved


def _load(today: dt.date, sup) -> dict:
    tasks = _candidates(today, sup)
    if not tasks:
        return {"actions": 0}

    def day(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    def pick(i: int):
        return tasks[i % len(tasks)]

    def issue(kind, task, issued, due, reason):
        return services.action_issue(
            actor=sup, kind=kind, unit=task.lead_unit, tasks=[task], reason=f"{reason}{TAG}", reply_due=due, today=issued
        )

    def reply(action, on, text):
        return services.action_reply(actor=_liaison(action.unit), action=action, reply=text, today=on)

    made = []
    red = pick(0)
    # 提醒: answered and closed
    a = issue("remind", pick(2), day(-28), day(-25), "本期进展报送临近截止，请按时报送。")
    reply(a, day(-26), "已收悉，将于截止日前报送。")
    services.action_close(actor=sup, action=a, note="已按时报送，办结。")
    _backdate(a, day(-28), day(-26), day(-24))
    made.append(a)
    # 催办: past its reply date, unanswered
    a = issue("urge", pick(1), day(-12), day(-7), "进展连续未报送，请说明原因并立即补报。")
    services.action_expire(actor=SYSTEM, action=a, today=day(-6), schedule=False)
    _backdate(a, day(-12))
    made.append(a)
    # 督办单 ×2 on the reddest task's unit, both past due: the rule for 约谈 finds them
    for offset, text in ((-20, "项目进度严重滞后于序时进度，请限期整改并书面报告。"), (-15, "节点任务未按期完成，请说明原因、提出整改措施。")):
        a = issue("order", red, day(offset), day(offset + 5), text)
        services.action_expire(actor=SYSTEM, action=a, today=day(offset + 6), schedule=False)
        _backdate(a, day(offset))
        made.append(a)
    # 督办单: issued, reply still due
    a = issue("order", pick(3), day(-3), day(4), "请于答复时限前报送整改方案及时间表。")
    _backdate(a, day(-3))
    made.append(a)
    # 通报: answered, awaiting the office's close
    a = issue("circulate", pick(1), day(-30), day(-23), "在全市通报进展滞后情况，请提交整改报告。")
    reply(a, day(-22), "已召开专题会议研究整改，整改报告附后，12月底前完成整改。")
    _backdate(a, day(-30), day(-22))
    made.append(a)
    # 约谈: answered and closed
    a = issue("interview", pick(4), day(-45), day(-38), "约谈单位主要负责同志，督促加快推进。")
    reply(a, day(-39), "约谈后已制定整改清单，逐项落实。")
    services.action_close(actor=sup, action=a, note="整改措施已落实，办结。")
    _backdate(a, day(-45), day(-39), day(-33))
    made.append(a)
    # 问责: answered (late) and closed
    a = issue("accountability", pick(5), day(-60), day(-50), "多次督办仍未整改到位，启动问责程序。")
    reply(a, day(-48), "已按程序对相关责任人作出处理，整改到位。")
    services.action_close(actor=sup, action=a, note="问责处理完毕。")
    _backdate(a, day(-60), day(-48), day(-44))
    made.append(a)

    # a pending proposal, keyed as the sweep would key it, so the sweep does not repeat it
    red.refresh_from_db()
    proposals = 0
    candidate = next((t for t in tasks if t.health == "red" and not t.supervision_actions.exists()), None)
    if candidate is not None:
        candidate_since = candidate.health_since or day(-20)
        data = red_reason(candidate, candidate_since, today)
        proposals += services.proposal_make(
            actor=SYSTEM, key=f"red:{candidate.pk}:{candidate_since.isoformat()}", rule=EscalationProposal.Rule.RED, kind="order",
            unit=candidate.lead_unit, tasks=[candidate], today=today, schedule=False,
            reason=render_proposal_reason(data) + TAG, reason_data=data,
        ) is not None
    overdue_orders = [x for x in made if x.kind == "order" and x.status == "overdue"]
    keys = "-".join(str(x.pk) for x in sorted(overdue_orders, key=lambda x: x.pk))
    unanswered = unanswered_reason(red.lead_unit, overdue_orders)
    proposals += services.proposal_make(
        actor=SYSTEM, key=f"unanswered:{red.lead_unit_id}:{keys}", rule=EscalationProposal.Rule.UNANSWERED, kind="interview",
        unit=red.lead_unit, tasks=[red], today=today, schedule=False,
        reason=render_proposal_reason(unanswered) + TAG, reason_data=unanswered,
    ) is not None

    # 回头看, half the units confirmed
    round_ = services.review_round_open(
        actor=sup, title="重点工作落实情况“回头看”（演示数据）", due_on=day(5), today=day(-5),
        instructions="请各牵头单位逐项核实任务办理情况，如实填写，滞后和存在困难的说明原因。",
    )
    unit_ids = sorted({i.unit_id for i in round_.items.all()})
    for item in ReviewItem.objects.filter(round=round_, unit_id__in=unit_ids[::2]).select_related("task", "unit", "round"):
        person = _liaison(item.unit)
        if person is None:
            continue
        verdict = {"red": "behind", "yellow": "on_track"}.get(item.task.health, "on_track")
        note = "受要素保障影响进度滞后，已制定追赶计划。" if verdict == "behind" else "按计划推进。"
        services.review_confirm(actor=person, item=item, verdict=verdict, note=note)
    return {"actions": len(made), "proposals": proposals, "review_items": round_.items.count()}
