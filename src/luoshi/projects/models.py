"""项目台账: key projects pushed through the office's stages (谋划 → 签约 → 开工 → 投产 by
default), each backed by a task of kind 项目 that carries its units, leader, reports, health,
督办 and closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.tasks.models import ProgressReport, Task


class Stage(models.Model):
    """A stage of the office's pipeline. The list is the office's own (some use 洽谈/建设/达产)."""

    name = models.CharField(_("阶段"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")

    def __str__(self) -> str:
        return self.name


class Batch(models.Model):
    """批次: the quarter's 签约/开工/投产 一批 a project is counted in."""

    name = models.CharField(_("批次"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, q) for q in (1, 2, 3, 4)])
    stage = models.ForeignKey(Stage, verbose_name=_("阶段"), on_delete=models.PROTECT, related_name="batches")

    class Meta:
        ordering = ["-year", "-quarter", "stage__position", "pk"]
        verbose_name = _("批次")
        verbose_name_plural = _("批次")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        # Whoever may see the backing task may see the project: one access rule for both.
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class Project(models.Model):
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="project")
    name = models.CharField(_("项目名称"), max_length=200)
    content = models.TextField(_("建设内容"), blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    industry = models.CharField(_("所属行业"), max_length=50, blank=True)
    total_investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2, default=0)
    plan_year = models.PositiveSmallIntegerField(_("计划年度"))
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2, default=0)
    batch = models.ForeignKey(Batch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    stage = models.ForeignKey(Stage, verbose_name=_("当前阶段"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    problems = models.TextField(_("存在问题"), blank=True)
    stalled = models.BooleanField(_("停滞项目"), default=False, help_text=_("开工后停工或长期无实质进展，需盘活"))
    idle = models.BooleanField(_("闲置项目"), default=False, help_text=_("已建成或土地、厂房闲置，需盘活"))
    revival_note = models.TextField(_("盘活措施"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self) -> str:
        return self.name


class ProjectStage(models.Model):
    """The planned and actual date of one stage of one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.ForeignKey(Stage, verbose_name=_("阶段"), on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    actual_on = models.DateField(_("实际日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stage__position", "pk"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="one_row_per_project_stage")]


class MonthlyReport(models.Model):
    """月报: the investment completed in a month and the 形象进度, filed as the task's progress
    report for that month (so missed months count like any unreported period)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monthly_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    amount = models.DecimalField(_("当月完成投资（万元）"), max_digits=14, decimal_places=2)
    image_progress = models.TextField(_("形象进度"))
    problems = models.TextField(_("存在问题"), blank=True)
    report = models.OneToOneField(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="project_month")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("项目月报")
        verbose_name_plural = _("项目月报")
        constraints = [models.UniqueConstraint(fields=["project", "year", "month"], name="one_report_per_project_month")]
