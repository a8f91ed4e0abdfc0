from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.orgs import access


class DirectiveKind(models.TextChoices):
    SPEECH = "speech", _("讲话")
    MINUTES = "minutes", _("会议纪要")
    REPORT = "report", _("工作报告")
    DOCUMENT = "document", _("文件")
    INSTRUCTION = "instruction", _("领导批示")


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DECOMPOSED = "decomposed", _("已分解")
    PUBLISHED = "published", _("已发布")


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user) -> DirectiveQuerySet:
        return access.filter_directives(self, user)


class Directive(models.Model):
    """来源文件: the speech, minutes or report whose words become tasks."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=DirectiveKind.choices, default=DirectiveKind.SPEECH)
    issuer = models.CharField(_("讲话人/发文单位"), max_length=100, blank=True)
    issued_on = models.DateField(_("日期"), help_text=_("相对日期（明天、年底前……）据此推算，请核对。"))
    date_confirmed = models.BooleanField(_("日期已核对"), default=False)
    text = models.TextField(_("正文"))
    source_file = models.FileField(_("原始文件"), upload_to="directives/%Y/", blank=True)
    source_filename = models.CharField(_("原始文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=DirectiveStatus.choices, default=DirectiveStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DirectiveQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")

    def __str__(self) -> str:
        return self.title
