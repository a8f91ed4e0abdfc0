"""JSON API for supervision: actions, escalation proposals, notifications, review rounds and the
unit scoreboard. Same services and access rules as the pages; refusals are answered in
`luoshi.api.urls`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.textlimits import LONG, REPLY, Text
from luoshi.orgs.models import Unit
from luoshi.tasks.models import Task

from . import access, ladder, services, standings
from .models import EscalationProposal, Notification, ReviewItem, ReviewRound, SupervisionAction

router = Router()


# --- schemas ---------------------------------------------------------------------------------
class ActionOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str
    task_ids: list[int]
    reason: str
    reply_due: dt.date | None
    status: str
    overdue: bool
    reply: str
    replied_at: dt.datetime | None
    issued_on: dt.date
    closed_at: dt.datetime | None
    close_note: str

    @staticmethod
    def resolve_kind_label(obj):
        return str(ladder.KIND_LABELS[obj.kind])

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_task_ids(obj):
        return [t.pk for t in obj.tasks.all()]

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue_on(timezone.localdate())


class ActionIn(Schema):
    kind: Text(20)
    unit_id: int
    reason: Text(LONG)
    reply_due: dt.date
    task_ids: list[int] = []


class TextIn(Schema):
    text: Text(REPLY) = ""


class ProposalOut(Schema):
    id: int
    rule: str
    kind: str
    unit_id: int
    task_ids: list[int]
    reason: str
    status: str
    proposed_on: dt.date
    action_id: int | None
    decision_note: str

    @staticmethod
    def resolve_task_ids(obj):
        return [t.pk for t in obj.tasks.all()]


class ConfirmIn(Schema):
    reason: Text(LONG) | None = None
    reply_due: dt.date | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_kind(obj):
        return obj.message.kind

    @staticmethod
    def resolve_title(obj):
        return obj.message.title

    @staticmethod
    def resolve_body(obj):
        return obj.message.body

    @staticmethod
    def resolve_url(obj):
        return obj.message.url


class ReviewItemOut(Schema):
    id: int
    task_id: int
    unit_id: int
    verdict: str
    note: str
    confirmed_at: dt.datetime | None


class ReviewRoundOut(Schema):
    id: int
    title: str
    due_on: dt.date
    status: str
    opened_on: dt.date


class ReviewRoundDetail(ReviewRoundOut):
    items: list[ReviewItemOut]
    units_not_confirmed: list[int]


class ReviewRoundIn(Schema):
    title: Text(200)
    due_on: dt.date
    instructions: Text(LONG) = ""
    scope_kind: Text(20) = ""
    scope_unit_ids: list[int] = []


class ReviewConfirmIn(Schema):
    verdict: Text(20)
    note: Text(LONG) = ""


class StandingOut(Schema):
    rank: int
    score: float
    unit_id: int
    unit_name: str
    reports_owed: int
    reports_on_time: int
    tasks_due: int
    tasks_done: int
    overdue: int
    actions: int
    actions_weighted: int


class ScoreboardOut(Schema):
    month: str
    formula: str
    rows: list[StandingOut]


# --- actions ---------------------------------------------------------------------------------
def _actions(user):
    return SupervisionAction.objects.visible_to(user).select_related("unit").prefetch_related("tasks")


@router.get("/actions", response=list[ActionOut])
@paginate(LimitOffsetPagination)
def list_actions(request, status: str = "", kind: str = "", unit_id: int | None = None):
    actions = _actions(request.user)
    if status:
        actions = actions.filter(status=status)
    if kind:
        actions = actions.filter(kind=kind)
    if unit_id is not None:
        actions = actions.filter(unit_id=unit_id)
    return actions


@router.get("/actions/{action_id}", response=ActionOut)
def get_action(request, action_id: int):
    return access.get_action_for_user(request.user, action_id)


@router.post("/actions", response={201: ActionOut})
def issue_action(request, payload: ActionIn):
    unit = Unit.objects.filter(pk=payload.unit_id, active=True).first()
    if unit is None:
        raise HttpError(400, _("督办对象单位不存在。"))
    tasks = list(Task.objects.filter(pk__in=payload.task_ids).prefetch_related("co_units"))
    if len(tasks) != len(set(payload.task_ids)):
        raise HttpError(400, _("部分任务不存在。"))
    action = services.action_issue(
        actor=request.user, kind=payload.kind, unit=unit, reason=payload.reason, reply_due=payload.reply_due, tasks=tasks
    )
    return Status(201, action)


@router.post("/actions/{action_id}/reply", response=ActionOut)
def reply_action(request, action_id: int, payload: TextIn):
    action = access.get_action_for_user(request.user, action_id)
    return services.action_reply(actor=request.user, action=action, reply=payload.text)


@router.post("/actions/{action_id}/close", response=ActionOut)
def close_action(request, action_id: int, payload: TextIn):
    action = access.get_action_for_user(request.user, action_id)
    return services.action_close(actor=request.user, action=action, note=payload.text)


# --- proposals -------------------------------------------------------------------------------
@router.get("/proposals", response=list[ProposalOut])
@paginate(LimitOffsetPagination)
def list_proposals(request, status: str = "pending"):
    proposals = EscalationProposal.objects.visible_to(request.user).prefetch_related("tasks")
    return proposals.filter(status=status) if status else proposals


@router.post("/proposals/{proposal_id}/confirm", response=ActionOut)
def confirm_proposal(request, proposal_id: int, payload: ConfirmIn):
    proposal = access.get_proposal_for_user(request.user, proposal_id)
    return services.proposal_confirm(actor=request.user, proposal=proposal, reason=payload.reason, reply_due=payload.reply_due)


@router.post("/proposals/{proposal_id}/dismiss", response=ProposalOut)
def dismiss_proposal(request, proposal_id: int, payload: TextIn):
    proposal = access.get_proposal_for_user(request.user, proposal_id)
    return services.proposal_dismiss(actor=request.user, proposal=proposal, note=payload.text)


# --- notifications ---------------------------------------------------------------------------
@router.get("/notifications", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def list_notifications(request, unread: bool = False):
    items = Notification.objects.visible_to(request.user).select_related("message")
    if unread:
        items = items.unread()
    return items


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request, notification_id: int):
    notification = access.get_notification_for_user(request.user, notification_id)
    return services.notification_read(actor=request.user, notification=notification)


# --- review rounds ---------------------------------------------------------------------------
@router.get("/reviews", response=list[ReviewRoundOut])
@paginate(LimitOffsetPagination)
def list_reviews(request):
    return ReviewRound.objects.visible_to(request.user)


def _round_detail(user, round_):
    items = list(ReviewItem.objects.visible_to(user).filter(round=round_))
    pending = sorted({i.unit_id for i in items if i.confirmed_at is None})
    return {
        "id": round_.pk, "title": round_.title, "due_on": round_.due_on, "status": round_.status, "opened_on": round_.opened_on,
        "items": items, "units_not_confirmed": pending,
    }


@router.get("/reviews/{round_id}", response=ReviewRoundDetail)
def get_review(request, round_id: int):
    return _round_detail(request.user, access.get_review_round_for_user(request.user, round_id))


@router.post("/reviews", response={201: ReviewRoundDetail})
def open_review(request, payload: ReviewRoundIn):
    units = list(Unit.objects.filter(pk__in=payload.scope_unit_ids))
    round_ = services.review_round_open(
        actor=request.user, title=payload.title, due_on=payload.due_on, instructions=payload.instructions,
        scope_kind=payload.scope_kind, scope_units=units,
    )
    return Status(201, _round_detail(request.user, round_))


@router.post("/reviews/items/{item_id}/confirm", response=ReviewItemOut)
def confirm_review_item(request, item_id: int, payload: ReviewConfirmIn):
    item = access.get_review_item_for_user(request.user, item_id)
    return services.review_confirm(actor=request.user, item=item, verdict=payload.verdict, note=payload.note)


# --- scoreboard ------------------------------------------------------------------------------
@router.get("/scoreboard", response=ScoreboardOut)
def scoreboard(request, month: str = ""):
    today = timezone.localdate()
    first = standings.parse_month(month, today)
    w = standings.weights()
    rows = standings.standings(first, today)
    scope = access.scoreboard_unit_ids(request.user)
    return {
        "month": first.strftime("%Y-%m"),
        "formula": f"{w.on_time:g}×按时报送率 + {w.completion:g}×完成率 − {w.overdue:g}×逾期任务数 − {w.actions:g}×督办加权次数",
        "rows": [
            {"rank": r.rank, "score": r.score, "unit_name": r.figures.name, **{k: getattr(r.figures, k) for k in (
                "unit_id", "reports_owed", "reports_on_time", "tasks_due", "tasks_done", "overdue", "actions", "actions_weighted")}}
            for r in rows
            if scope is None or r.figures.unit_id in scope
        ],
    }
