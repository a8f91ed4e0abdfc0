from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.orgs.access import is_supervisor, signed_in

from .bulletin import paragraph_level
from .periods import parse_period


class TaskSnapshot(models.Model):
    """One counted task's health on one day, written by the daily sweep (`services.snapshot_take`),
    so the dashboard can draw a trend without replaying history. Kept per task, not per unit: a
    viewer's trend then sums exactly the tasks on their cards (led or shared by their units, or led
    by them), and a task shared by two units in view is counted once."""

    date = models.DateField(_("日期"), db_index=True)
    task = models.ForeignKey("tasks.Task", verbose_name=_("任务"), on_delete=models.CASCADE, related_name="+")
    health = models.CharField(_("红黄绿灯"), max_length=10)
    overdue = models.BooleanField(_("逾期"), default=False)

    class Meta:
        ordering = ["date", "task_id"]
        verbose_name = _("红黄绿灯快照")
        verbose_name_plural = _("红黄绿灯快照")
        constraints = [models.UniqueConstraint(fields=["date", "task"], name="reports_tasksnapshot_date_task")]

    def __str__(self) -> str:
        return f"{self.date} {self.task_id}"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user) -> BulletinQuerySet:
        if is_supervisor(user):
            return self
        return self.filter(status="issued") if signed_in(user) else self.none()


class Bulletin(models.Model):
    """督查通报: drafted from a period's data, edited by a supervisor, then issued and frozen.

    The body is plain text, one paragraph per line; a line beginning with 一、 is a first-level
    heading and （一） a second-level one (GB/T 9704 sets them in 黑体 and 楷体)."""

    period_key = models.CharField(_("通报期"), max_length=20, db_index=True)
    period_label = models.CharField(_("通报期名称"), max_length=40)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送机关"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    issuer = models.CharField(_("发文机关署名"), max_length=100)
    cc = models.CharField(_("抄送机关"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT, db_index=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("印发人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = BulletinQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="reports_bulletin_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def period_display(self) -> str:
        """The period named in the reader's language (the stored label is the drafter's)."""
        try:
            return parse_period(self.period_key).label
        except ValueError:
            return self.period_label

    @property
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]

    @property
    def blocks(self) -> list[tuple[str, str]]:
        """(level, text) per paragraph for the preview: 'h1', 'h2' or '' as the .docx sets them."""

        return [(paragraph_level(text), text) for text in self.paragraphs]
