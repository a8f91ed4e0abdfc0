from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from luoshi.core.links import url_for_ids
from luoshi.orgs.access import is_supervisor, signed_in, visible_unit_ids
from luoshi.tasks.periods import KEY_CADENCES, label_for_key

from . import workflow
from .numbering import NO_DIRECTIVE, task_code


class TaskKind(models.TextChoices):
    KEY = "key", _("重点工作")
    RECTIFICATION = "rectification", _("整改")
    LIVELIHOOD = "livelihood", _("民生实事")
    PROJECT = "project", _("项目")
    REQUEST = "request", _("诉求")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    NONE = "none", _("不定期")


@functools.cache
def _choice_table(model, name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)


def choice_label(obj, name: str) -> str:
    """What ``obj.get_<name>_display()`` answers, from a table built once per field: Django's own
    hashes the field's whole choice list on every call, and lists call it for every row."""
    return label_of(type(obj), name, getattr(obj, name))


# (model, field, value, language) → label: a label is a translation, looked up again for every
# row of every list otherwise. Only values among the choices are kept, so it stays that small.
_LABELS: dict = {}


def label_of(model, name: str, value) -> str:
    """The label of ``value`` in the choices of ``model``'s field ``name`` (rows read as values)."""
    key = (model, name, value, get_language())
    try:
        return _LABELS[key]
    except (KeyError, TypeError):
        pass
    table = _choice_table(model, name)
    try:
        label = force_str(table[value], strings_only=True)
    except (KeyError, TypeError):
        return force_str(value, strings_only=True)
    _LABELS[key] = label
    return label


# The order of health levels on the board and the workbench, red first: kept by the database as
# ``Task.health_rank`` and asked of a loaded task by ``health_rank``.
HEALTH_RANKS = {"red": 0, "yellow": 1, "green": 2, "none": 3}
OTHER_HEALTH_RANK = 4


def health_rank(health: str) -> int:
    """What ``Task.health_rank`` holds for a task of health ``health``."""
    return HEALTH_RANKS.get(health, OTHER_HEALTH_RANK)


def citation_of(code: str, number: str) -> str:
    """The number to show and quote: the citable code, the tree number before it has one."""
    return code or number


class Health(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")
    DONE = "done", _("已销号")
    NONE = "none", _("不评价")


def sort_key_for(number: str) -> str:
    """"1.2.10" → "000001.000002.000010"; parts that are not numbers sort after those that are."""
    return ".".join(part.zfill(6) if part.isdigit() else "~" + part for part in number.split(".")) if number else ""


def task_url(task_id) -> str | None:
    """The task's page (every app that links to a task links here); None for no task."""
    return reverse("tasks:detail", args=[task_id]) if task_id else None


def task_urls():
    """`task_url` for many tasks (the sweep links tens of thousands): the page reversed once, each
    task's id put in its place."""
    url = url_for_ids("tasks:detail")
    return lambda task_id: url(task_id) if task_id else None


@dataclass(frozen=True)
class TaskScope:
    """The tasks a person may read: every task (drafts too), every published task, or the published
    tasks of some units (led or worked on) and those a leader leads; nothing when none of these."""

    every: bool = False
    published: bool = False
    unit_ids: frozenset[int] = frozenset()
    leader_id: int | None = None


def task_scope(user) -> TaskScope:
    """Supervisors and admins see every task; others see published tasks whose lead unit or one of
    whose co-units is in their scope, and leaders also the tasks they lead."""
    if is_supervisor(user):
        return TaskScope(every=True)
    if not signed_in(user):
        return TaskScope()
    ids = visible_unit_ids(user)
    if ids is None:  # a leader who sees all units
        return TaskScope(published=True)
    return TaskScope(unit_ids=frozenset(ids), leader_id=user.pk if user.role == "leader" else None)


#: A scope of at most this many units is read by statements compiled once per number of units.
SCOPE_UNITS_COMPILED = 6


def scope_markers(scope: TaskScope) -> tuple[tuple, tuple] | None:
    """How a statement compiled once per shape reads ``scope``: (shape, values), the shape
    ``("every",)`` or ``("units", number of units, whether a leader's)`` and the values (the
    leader's id, then the units' ids sorted, None where unused) to put where ``scope_from_markers``
    put its markers. None when the scope is read through the ORM (every published task, no unit,
    more units than are compiled)."""
    if scope.every:
        return ("every",), (None,) * (1 + SCOPE_UNITS_COMPILED)
    if scope.published or not 0 < len(scope.unit_ids) <= SCOPE_UNITS_COMPILED:
        return None
    ids = sorted(scope.unit_ids)
    return ("units", len(ids), scope.leader_id is not None), (scope.leader_id, *ids, *[None] * (SCOPE_UNITS_COMPILED - len(ids)))


def scope_from_markers(shape: tuple, leader_id, *unit_ids) -> TaskScope:
    """The scope of ``shape`` (``scope_markers``) with ``leader_id`` and ``unit_ids`` in it: a
    statement built from it has these where ``scope_markers``' values go."""
    if shape[0] == "every":
        return TaskScope(every=True)
    _, count, leader = shape
    return TaskScope(unit_ids=frozenset(unit_ids[:count]), leader_id=leader_id if leader else None)


class TaskQuerySet(TreeQuerySet):
    def visible_to(self, user) -> TaskQuerySet:
        return self.within(task_scope(user))

    def within(self, scope: TaskScope, *, few: bool = False) -> TaskQuerySet:
        """The tasks of ``scope`` (``task_scope``). ``few``: for a read that picks a few tasks by
        their own index first (one task, a task's relatives), each is checked against the units'
        co-tasks by its own index entry; otherwise every co-task of the units is gathered once (a
        unit of a province works on thousands: gathering them cost a task page 2 ms, and checking
        each of a list's thousands of tasks one by one would cost far more)."""
        if scope.every:
            return self
        if scope.published:
            return self.exclude(status="draft")
        if not scope.unit_ids and scope.leader_id is None:
            return self.none()
        co_units = Task.co_units.through.objects
        if few:
            co = models.Q(models.Exists(co_units.filter(task_id=models.OuterRef("pk"), unit_id__in=scope.unit_ids)))
        else:
            co = models.Q(pk__in=co_units.filter(unit_id__in=scope.unit_ids).values("task_id"))
        visible = models.Q(lead_unit_id__in=scope.unit_ids) | co
        if scope.leader_id is not None:
            visible |= models.Q(lead_leader=scope.leader_id)
        return self.filter(visible).exclude(status="draft")


class Task(TreeNode):
    """A task (工作任务): a node of the tree directive → task → sub-task, numbered 1, 1.2, 1.2.3."""

    directive = models.ForeignKey(
        "directives.Directive", verbose_name=_("来源文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    # The words that created the task: offsets into directive.text and a copy of the text itself, so
    # the task still shows its origin if the directive's text is later corrected.
    source_start = models.PositiveIntegerField(_("原文起点"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("原文终点"), null=True, blank=True)
    source_text = models.TextField(_("原文"), blank=True)

    number = models.CharField(_("编号"), max_length=40, blank=True, db_index=True)
    # The citable number, 〔2026〕3-1.2 (numbering.py): given once, when the task is first saved,
    # and never changed, so a number quoted in a bulletin or a message finds the task for good.
    code = models.CharField(_("任务编号"), max_length=60, unique=True, null=True, blank=True, editable=False)
    position = models.PositiveIntegerField(_("序号"), default=0)
    # The number as text that sorts in tree order ("1.10" → "000001.000010"): the tree page orders
    # and pages by an index instead of a recursive query over every task.
    sort_key = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(_("工作任务"), max_length=300)
    measures = models.TextField(_("具体措施"), blank=True)
    target_text = models.TextField(_("目标"), blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4, null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=TaskKind.choices, default=TaskKind.KEY)
    tags = models.CharField(_("标签"), max_length=200, blank=True)

    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("牵头领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_units = models.ManyToManyField("orgs.Unit", verbose_name=_("责任单位"), blank=True, related_name="co_tasks")
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="responsible_tasks"
    )
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    cadence = models.CharField(_("报送周期"), max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    due_day = models.PositiveSmallIntegerField(_("报送日"), null=True, blank=True, help_text=_("每周：1–7（周一至周日）；每月：几号；每季度：季末月几号。"))

    status = models.CharField(_("状态"), max_length=20, choices=workflow.STATE_CHOICES, default=workflow.DRAFT, db_index=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    # Derived by the health rules (luoshi.tasks.health), stored so lists can filter and sort.
    # Indexed with status (Meta.indexes), which serves a filter on health alone: an index of its own
    # would be one more entry to write for every task the first sweep of a day rewrites.
    health = models.CharField(_("红黄绿灯"), max_length=10, choices=Health.choices, default=Health.NONE)
    health_reasons = models.JSONField(_("亮灯原因"), default=list, blank=True)
    # Red first: the board's default order, kept by the database so a sorted first page is an index
    # scan rather than a sort of every task.
    health_rank = models.GeneratedField(
        expression=models.Case(
            *(models.When(health=level, then=models.Value(rank)) for level, rank in HEALTH_RANKS.items()),
            default=models.Value(OTHER_HEALTH_RANK),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    health_since = models.DateField(_("亮灯起始"), null=True, blank=True)
    health_checked_on = models.DateField(_("评价日期"), null=True, blank=True)
    expected_percent = models.FloatField(_("序时进度"), null=True, blank=True)
    progress_percent = models.FloatField(_("完成进度"), null=True, blank=True)

    # Optimistic locking: every change bumps it; a form saved from a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager(with_tree_fields=False)
    history = HistoricalRecords(m2m_fields=[co_units], excluded_fields=["health_checked_on", "health_rank"])

    class Meta:
        ordering = ["directive_id", "position", "pk"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["health", "status"]),
            models.Index(fields=["health_rank", "deadline", "id"], name="task_board_order"),
            models.Index(fields=["directive", "sort_key", "id"], name="task_tree_order"),
        ]

    def __str__(self) -> str:
        return f"{self.citation} {self.title}" if self.citation else self.title

    @property
    def citation(self) -> str:
        return citation_of(self.code, self.number)

    def get_status_display(self) -> str:
        return choice_label(self, "status")

    def get_health_display(self) -> str:
        return choice_label(self, "health")

    def get_kind_display(self) -> str:
        return choice_label(self, "kind")

    def _new_code(self) -> str:
        directive = self.directive if self.directive_id else None
        if directive is not None and getattr(directive, "sequence", None):
            return task_code(directive.year, directive.sequence, self.number)
        year = (timezone.localtime(self.created_at) if self.created_at else timezone.localtime()).year
        return task_code(year, NO_DIRECTIVE, self.number)

    def save(self, *args, **kwargs):
        self.sort_key = sort_key_for(self.number)
        fields = kwargs.get("update_fields")
        if not self.code and self.number:
            self.code = self._new_code()
            if fields is not None:
                fields = {*fields, "code"}
        if fields is not None and "number" in fields:
            fields = {*fields, "sort_key"}
        if fields is not None:
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.number.count(".") if self.number else 0

    @property
    def is_terminal(self) -> bool:
        return workflow.is_terminal(self.status)


class Milestone(models.Model):
    """节点: a date by which a share of the work should be done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField(_("节点日期"))
    description = models.CharField(_("节点内容"), max_length=300)
    planned_percent = models.PositiveSmallIntegerField(_("计划进度"), default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("节点")
        verbose_name_plural = _("节点")

    def __str__(self) -> str:
        return f"{self.due_on} {self.description}"


class TaskTransition(models.Model):
    """One row per change of status: who, when, from what to what, and why."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=20, choices=workflow.STATE_CHOICES)
    to_status = models.CharField(_("新状态"), max_length=20, choices=workflow.STATE_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("理由"), blank=True)
    evidence = models.TextField(_("佐证材料说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")


class TaskChildQuerySet(models.QuerySet):
    """Rows that belong to one task (reports, attachments, requests, instructions): whoever may see
    the task may see them."""

    def visible_to(self, user):
        if is_supervisor(user):
            return self
        if not signed_in(user):
            return self.none()
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class ProgressReport(models.Model):
    """进展报送 for one period by one unit. Never edited or deleted once submitted: a correction is a
    new report that supersedes it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="progress_reports")
    period_key = models.CharField(_("报送期"), max_length=20)
    period_label = models.CharField(_("报送期名称"), max_length=40, blank=True)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    progress = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步打算"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_on = models.DateField(_("报送日期"), db_index=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    supersedes = models.OneToOneField(
        "self", verbose_name=_("更正的报告"), null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    superseded = models.BooleanField(_("已被更正"), default=False)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        indexes = [models.Index(fields=["task", "period_key"]), models.Index(fields=["unit", "period_key"])]
        constraints = [
            # One current report per task, unit and period: a correction first marks the old one
            # superseded, and two submissions racing for the same period cannot both land.
            models.UniqueConstraint(
                fields=["task", "unit", "period_key"], condition=models.Q(superseded=False), name="one_current_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period_display}"

    @property
    def period_display(self) -> str:
        """The period's name in the reader's language; `period_label` keeps the submitter's."""

        for cadence in KEY_CADENCES:
            label = label_for_key(cadence, self.period_key)
            if label != self.period_key:
                return label
        return self.period_label or self.period_key


def _attachment_path(instance, filename: str) -> str:
    import os
    import uuid

    # A random stored name: the original name (kept in `name`) never reaches the file system.
    return f"tasks/{instance.task_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Attachment(models.Model):
    """附件 of a progress report, a closure request or an extension request. Stored under
    MEDIA_ROOT and served only through an access-checked view."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    transition = models.ForeignKey(TaskTransition, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class ExtensionRequest(models.Model):
    """延期申请: asked by the lead unit before the deadline; a supervisor approves or refuses it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extension_requests")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("延期理由"))
    old_deadline = models.DateField(_("原完成时限"))
    new_deadline = models.DateField(_("申请延至"))
    status = models.CharField(_("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="pending"), name="one_pending_extension_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.new_deadline}"


class Instruction(models.Model):
    """领导批示 on a task: written by leaders and supervisors, read by everyone who sees the task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="instructions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批示人"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("批示内容"))
    created_at = models.DateTimeField(_("批示时间"), auto_now_add=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")

    def __str__(self) -> str:
        return self.text[:40]
