"""万人助万企: problems raised by enterprises, taken in by the office or on the public form,
assigned to a lead unit (and co-units) with a numbered 交办单, followed until solved, verified
and called back. From assignment on, each request is backed by a task of kind 诉求 that carries
its units, monthly reports, health, 督办 and closure."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.orgs import access as org_access
from luoshi.tasks.models import Task


class Status(models.TextChoices):
    RECEIVED = "received", _("待交办")
    DECLINED = "declined", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    PROPOSED = "proposed", _("办理中")
    SOLVED = "solved", _("已办结待核验")
    CLOSED = "closed", _("已销号")


class Channel(models.TextChoices):
    OFFICE = "office", _("窗口登记")
    PUBLIC = "public", _("网上提交")


class Category(models.TextChoices):
    POLICY = "policy", _("政策兑现")
    FINANCE = "finance", _("融资贷款")
    LAND = "land", _("用地用房")
    APPROVAL = "approval", _("审批服务")
    LABOUR = "labour", _("用工招聘")
    INFRASTRUCTURE = "infrastructure", _("水电气暖路网")
    MARKET = "market", _("市场开拓")
    OTHER = "other", _("其他")


class Difficulty(models.TextChoices):
    IMMEDIATE = "immediate", _("即办")
    LIMITED = "limited", _("限期办")
    LONG = "long", _("长期")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> RequestQuerySet:
        # The office sees every request, the intake queue included; everyone else sees a request
        # once it is assigned, exactly when they see its backing task.
        if org_access.is_supervisor(user):
            return self
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class Request(models.Model):
    receipt = models.CharField(_("受理编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices, default=Channel.OFFICE)
    company_name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    title = models.CharField(_("问题诉求"), max_length=200)
    description = models.TextField(_("具体情况"))
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprise_request")
    sheet_year = models.PositiveSmallIntegerField(_("交办年度"), null=True, blank=True)
    sheet_seq = models.PositiveIntegerField(_("交办序号"), null=True, blank=True)
    sheet_number = models.CharField(_("交办单号"), max_length=40, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    proposal_due = models.DateField(_("方案提出时限"), null=True, blank=True)
    difficulty = models.CharField(_("办理类型"), max_length=20, choices=Difficulty.choices, blank=True)
    solution = models.TextField(_("解决方案"), blank=True)
    proposed_on = models.DateField(_("方案提出日期"), null=True, blank=True)
    solve_by = models.DateField(_("办结时限"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True, help_text=_("企业在查询页面可以看到这段答复。"))
    solved_on = models.DateField(_("销号日期"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    received_on = models.DateField(_("受理日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = RequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        constraints = [
            models.UniqueConstraint(fields=["sheet_year", "sheet_seq"], name="one_sheet_number_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.company_name}：{self.title}"


def _attachment_path(instance, filename: str) -> str:
    # A random stored name: the company's file name (kept in `name`) never reaches the file system.
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class RequestAttachment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")


class CallBack(models.Model):
    """回访: the office calls the company after the unit reports the problem solved."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="callbacks")
    called_on = models.DateField(_("回访日期"))
    outcome = models.CharField(_("回访情况"), max_length=300)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices)
    reason = models.TextField(_("理由"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["called_on", "pk"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")


class PublicAttempt(models.Model):
    """A use of the public pages (a submission or a status look-up) by one address, kept in the
    database so that several app servers share the count. The address is stored hashed."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("提交")
        LOOKUP = "lookup", _("查询")

    client = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["client", "kind", "at"])]
