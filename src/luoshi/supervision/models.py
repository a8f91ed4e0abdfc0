from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luoshi.core import i18n
from luoshi.orgs.access import in_scope, is_supervisor, scope_filter, sees_everything, signed_in, visible_unit_ids
from luoshi.tasks.health import render_reasons

from . import ladder

USER = settings.AUTH_USER_MODEL


# --- supervision actions ---------------------------------------------------------------------
class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionQuerySet:
        if is_supervisor(user):
            return self
        return scope_filter(self, user, "unit_id")


def action_visible(user, unit_id) -> bool:
    """``visible_to`` for an action already read (its unit's id): the same rule, for the handful of
    actions of one task."""
    return is_supervisor(user) or in_scope(user, unit_id)

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=ladder.OPEN_STATES)


class ActionCounter(models.Model):
    """The last number given per kind and year. Numbering bumps this row with an UPDATE, which
    locks it until the issuing transaction ends, so two supervisors never get the same number."""

    kind = models.CharField(max_length=20, choices=ladder.KIND_CHOICES)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="supervision_counter_kind_year")]


class SupervisionAction(models.Model):
    """One step of the ladder addressed to one unit: 提醒, 催办, 督办单, 通报, 约谈, 问责."""

    kind = models.CharField(_("督办方式"), max_length=20, choices=ladder.KIND_CHOICES, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=40, unique=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="supervision_actions")
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("督办任务"), blank=True, related_name="supervision_actions")
    reason = models.TextField(_("督办事由"))
    reply_due = models.DateField(_("答复时限"), null=True, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=ladder.STATE_CHOICES, default=ladder.ISSUED, db_index=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_by = models.ForeignKey(USER, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_late = models.BooleanField(_("逾期答复"), default=False)
    issued_by = models.ForeignKey(USER, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("签发日期"), db_index=True)
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    closed_by = models.ForeignKey(USER, verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.TextField(_("办结意见"), blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        constraints = [models.UniqueConstraint(fields=["kind", "year", "seq"], name="supervision_action_number")]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:action", args=[self.pk])

    @property
    def step(self) -> int:
        return ladder.step(self.kind)

    def is_overdue_on(self, day) -> bool:
        return self.status in (ladder.ISSUED, ladder.OVERDUE) and self.reply_due is not None and self.reply_due < day


class ActionEvent(models.Model):
    """One row per change of an action's status (the ladder table's events), plus its issue."""

    action = models.ForeignKey(SupervisionAction, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ladder.STATE_CHOICES)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    @property
    def event_label(self):
        return ladder.EVENT_LABELS.get(self.event, self.event)


# --- escalation proposals --------------------------------------------------------------------
class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        return self if is_supervisor(user) else self.none()


class EscalationProposal(models.Model):
    """A rule's suggestion to climb the ladder; nothing is issued until a supervisor confirms it."""

    class Rule(models.TextChoices):
        RED = "red", _("持续红灯")
        UNANSWERED = "unanswered", _("督办单逾期未答复")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DISMISSED = "dismissed", _("已驳回")
        # by the system, when its grounds are gone (the task recovered, the 督办单 were answered)
        WITHDRAWN = "withdrawn", _("已撤回")

    # Unique: one proposal per fact (this task red since this day; these 督办单 unanswered), so a
    # second sweep, or two at once, cannot propose it twice.
    key = models.CharField(max_length=200, unique=True)
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices)
    kind = models.CharField(_("建议督办方式"), max_length=20, choices=ladder.KIND_CHOICES)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="escalation_proposals")
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("相关任务"), blank=True, related_name="escalation_proposals")
    reason = models.TextField(_("建议理由"))
    # The rule's words as data ({"m": msgid, "p": params, ...}), so each reader sees the reason in
    # their language; `reason` keeps the text as proposed, which a confirmed 督办单 quotes.
    reason_data = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    proposed_on = models.DateField(_("提出日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    action = models.OneToOneField(
        SupervisionAction, verbose_name=_("督办事项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("升级建议")
        verbose_name_plural = _("升级建议")

    @property
    def reason_display(self) -> str:
        return render_proposal_reason(self.reason_data) if self.reason_data.get("m") else self.reason


# The escalation rules' reasons, stored as data with the proposal and rendered when shown.
RED_REASON = i18n.gettext_noop("任务“%(task)s”自%(since)s起持续红灯%(days)d天（%(why)s），建议签发督办单。")
UNANSWERED_REASON = i18n.gettext_noop("%(unit)s有%(n)d份督办单逾期未答复（%(numbers)s），建议约谈。")


def red_reason(task, since, today) -> dict:
    return {"m": RED_REASON, "p": {"task": str(task), "since": since.isoformat(), "days": (today - since).days},
            "why": list(task.health_reasons or ())}


def unanswered_reason(unit, actions) -> dict:
    return {"m": UNANSWERED_REASON, "p": {"unit": str(unit), "n": len(actions)}, "numbers": [a.number for a in actions]}


def render_proposal_reason(data: dict) -> str:
    """A proposal's reason in the active language: the task's health reasons ("why") and the
    unanswered orders' numbers ("numbers") are rendered and joined here, not when proposed."""
    params = dict(data.get("p") or {})
    if "why" in data:
        params["why"] = render_reasons(data["why"])
    if "numbers" in data:
        params["numbers"] = i18n.gettext("、").join(data["numbers"])
    return i18n.gettext(data["m"], **params)


# --- notifications ---------------------------------------------------------------------------
class Channel(models.Model):
    """A unit's group-bot webhook (企业微信群机器人 / 钉钉群机器人)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["unit", "pk"]
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class Message(models.Model):
    """Something to tell people: a reminder, an issued action, a proposal. Fanned out into inbox
    rows (Notification) and outbound deliveries (Delivery). `key` names the fact for idempotent
    senders: report_due:<task>:<unit>:<period>, deadline:<task>:<unit>:<date> …"""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("报送提醒")
        REPORT_MISSING = "report_missing", _("未报送提醒")
        DEADLINE = "deadline", _("到期提醒")
        ACTION = "action", _("督办事项")
        ACTION_OVERDUE = "action_overdue", _("督办逾期")
        ACTION_REPLY = "action_reply", _("督办答复")
        PROPOSAL = "proposal", _("升级建议")
        REVIEW = "review", _("回头看")
        JOB = "job", _("后台任务")

    # Unique by a constraint rather than `unique=True`, which on PostgreSQL adds a second index for
    # LIKE queries that nothing makes: one index fewer to write for each of a first sweep's
    # hundreds of thousands of reminders.
    key = models.CharField(max_length=200, null=True, blank=True)
    # Which run of a batch sender inserted the row: after an INSERT that skips taken keys, the rows
    # carrying this run's mark are the ones it must fan out.
    run = models.CharField(max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(SupervisionAction, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        constraints = [models.UniqueConstraint(fields=["key"], name="supervision_message_key_once")]

    def __str__(self) -> str:
        return self.title


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        if not signed_in(user) or user.pk is None:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one person's inbox."""

    # Neither key has an index of its own: the unique (message, recipient) and the inbox's
    # (recipient, read_at) serve both, and a sweep writes each row's indexes.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="supervision_notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at"])]


class Delivery(models.Model):
    """One outbound sending of a message (an e-mail to a unit's people, a post to a group bot).
    A sender claims a row by moving it to `sending` with a conditional UPDATE, so two sweeps
    never send it twice; a failure is kept with its error and retried by the next sweep."""

    class Via(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    via = models.CharField(_("方式"), max_length=20, choices=Via.choices)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    target = models.TextField(_("收件地址"))
    # Indexed in Meta: `db_index=True` would add, on PostgreSQL, an index for LIKE that nothing uses.
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claim = models.CharField(max_length=32, blank=True)  # the sender run that holds the row
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        indexes = [models.Index(fields=["status"], name="supervision_delivery_status")]


# --- review rounds (回头看) --------------------------------------------------------------------
class ReviewRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewRoundQuerySet:
        """Supervisors and leaders who see all units read every round; others the rounds that ask
        something of a unit in their scope."""
        if sees_everything(user):
            return self
        if not signed_in(user):
            return self.none()
        return self.filter(pk__in=ReviewItem.objects.filter(unit_id__in=visible_unit_ids(user)).values("round_id"))


class ReviewRound(models.Model):
    """回头看: every unit confirms each of its tasks in scope by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=200)
    instructions = models.TextField(_("工作要求"), blank=True)
    due_on = models.DateField(_("确认截止日期"))
    scope_kind = models.CharField(_("任务类型范围"), max_length=20, blank=True)
    scope_directive = models.ForeignKey(
        "directives.Directive", verbose_name=_("来源文件范围"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_units = models.ManyToManyField("orgs.Unit", verbose_name=_("单位范围"), blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(USER, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("发起日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:review", args=[self.pk])


class ReviewItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewItemQuerySet:
        if is_supervisor(user):
            return self
        return scope_filter(self, user, "unit_id")


class ReviewItem(models.Model):
    """One task to confirm in a round, by its lead unit (fixed when the round opens, so the list of
    who has not confirmed does not shift while the round runs)."""

    class Verdict(models.TextChoices):
        DONE = "done", _("已完成")
        ON_TRACK = "on_track", _("按计划推进")
        BEHIND = "behind", _("进度滞后")
        BLOCKED = "blocked", _("存在困难")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="review_items")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="review_items")
    verdict = models.CharField(_("核实情况"), max_length=20, choices=Verdict.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "task__number", "pk"]
        verbose_name = _("回头看事项")
        verbose_name_plural = _("回头看事项")
        constraints = [models.UniqueConstraint(fields=["round", "task"], name="supervision_review_task_once")]

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Deletions(models.Model):
    """How many rows of a kind have been deleted, kept as they go (`standings` receivers). What the
    units' standings are computed from changes by new rows, which the highest ids tell at the cost of
    an index look-up, and now and then by a deleted row, which only a count over the whole table
    told — a scan of every report on every scoreboard and dashboard request."""

    name = models.CharField(max_length=100, primary_key=True)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("删除计数")
        verbose_name_plural = _("删除计数")
