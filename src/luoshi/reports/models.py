from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.orgs.access import is_supervisor, signed_in

from .bulletin import paragraph_level


class HealthSnapshot(models.Model):
    """The health counts of one lead unit's tasks on one day, written by the daily sweep
    (`services.snapshot_take`), so the dashboard can draw a trend without replaying history.
    `unit` is null for tasks that have no lead unit yet."""

    date = models.DateField(_("日期"), db_index=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    red = models.PositiveIntegerField(_("红灯"), default=0)
    yellow = models.PositiveIntegerField(_("黄灯"), default=0)
    green = models.PositiveIntegerField(_("绿灯"), default=0)
    done = models.PositiveIntegerField(_("已销号"), default=0)
    none = models.PositiveIntegerField(_("不评价"), default=0)
    overdue = models.PositiveIntegerField(_("逾期"), default=0)
    total = models.PositiveIntegerField(_("合计"), default=0)

    class Meta:
        ordering = ["date", "unit_id"]
        verbose_name = _("红黄绿灯快照")
        verbose_name_plural = _("红黄绿灯快照")
        constraints = [
            models.UniqueConstraint(fields=["date", "unit"], name="reports_snapshot_date_unit"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(unit__isnull=True), name="reports_snapshot_date_nounit"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.unit or '—'}"


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
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]

    @property
    def blocks(self) -> list[tuple[str, str]]:
        """(level, text) per paragraph for the preview: 'h1', 'h2' or '' as the .docx sets them."""

        return [(paragraph_level(text), text) for text in self.paragraphs]
