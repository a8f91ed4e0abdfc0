from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.orgs.access import is_supervisor, signed_in
from luoshi.tasks.models import Cadence, choice_label


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
        if is_supervisor(user):
            return self
        if signed_in(user) and user.role == "leader":
            return self.filter(status="published")
        return self.none()


class Directive(models.Model):
    """来源文件: the speech, minutes or report whose words become tasks."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=DirectiveKind.choices, default=DirectiveKind.SPEECH)
    issuer = models.CharField(_("讲话人/发文单位"), max_length=100, blank=True)
    issued_on = models.DateField(_("日期"), help_text=_("相对日期（明天、年底前……）据此推算，请核对。"))
    date_confirmed = models.BooleanField(_("日期已核对"), default=False)
    text = models.TextField(_("正文"))
    # Fingerprint of the text (documents.text_fingerprint), so a second upload of it is noticed.
    text_hash = models.CharField(_("正文指纹"), max_length=64, blank=True, db_index=True, editable=False)
    # The directive's place in its year (the 3 of 〔2026〕3-1.2 in its tasks' numbers): given when it
    # is first saved, from the year of its date, and kept even if the date is corrected later.
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("年度序号"), null=True, blank=True, editable=False)
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
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="directives_directive_year_sequence")]

    def __str__(self) -> str:
        return self.title

    # The list shows one per directive: a table lookup, not Django's hashing of the choices per call.
    def get_kind_display(self) -> str:
        return choice_label(self, "kind")

    def get_status_display(self) -> str:
        return choice_label(self, "status")

    def save(self, *args, **kwargs):
        if self.sequence is None and self.issued_on:
            self.year = self.issued_on.year
            last = Directive.objects.filter(year=self.year).aggregate(m=models.Max("sequence"))["m"]
            self.sequence = (last or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "year", "sequence"}
        super().save(*args, **kwargs)


class ItemState(models.TextChoices):
    CANDIDATE = "candidate", _("待定")
    ACCEPTED = "accepted", _("采纳")
    DROPPED = "dropped", _("舍弃")
    PUBLISHED = "published", _("已发布")


class ItemOrigin(models.TextChoices):
    PARSER = "parser", _("自动解析")
    MANUAL = "manual", _("手工拆分/合并")
    IMPORT = "import", _("导入任务分解表")


class DecompositionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecompositionItemQuerySet:
        return self.filter(directive__in=Directive.objects.visible_to(user))


class DecompositionItem(models.Model):
    """One row of the draft 任务分解表: a candidate the parser proposed (or the office imported),
    which the supervisor accepts, edits, merges, splits or drops before publishing it as a task."""

    directive = models.ForeignKey(Directive, verbose_name=_("来源文件"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("序号"), default=0)
    state = models.CharField(_("状态"), max_length=20, choices=ItemState.choices, default=ItemState.CANDIDATE, db_index=True)
    origin = models.CharField(_("来源"), max_length=20, choices=ItemOrigin.choices, default=ItemOrigin.PARSER)
    # The words in directive.text this row comes from (character offsets, end exclusive).
    source_start = models.PositiveIntegerField(_("原文起点"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("原文终点"), null=True, blank=True)
    section = models.CharField(_("所在章节"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级条目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    title = models.CharField(_("工作任务"), max_length=300)
    measures = models.TextField(_("具体措施"), blank=True)
    target_text = models.TextField(_("目标"), blank=True)
    unit_names = models.JSONField(_("原文提到的单位"), default=list, blank=True)
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("牵头领导"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_leader_text = models.CharField(_("牵头领导（原文）"), max_length=100, blank=True)
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    co_units = models.ManyToManyField("orgs.Unit", verbose_name=_("责任单位"), blank=True, related_name="+")
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    # Set once a person typed the deadline: a later change of the directive's date then leaves it alone.
    deadline_edited = models.BooleanField(default=False)
    cadence = models.CharField(_("报送周期"), max_length=20, default="monthly")
    due_day = models.PositiveSmallIntegerField(_("报送日"), null=True, blank=True)
    kind = models.CharField(_("解析类型"), max_length=20, blank=True)
    confidence = models.FloatField(_("置信度"), default=0.5)
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("已发布任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic locking: a form saved from a stale version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DecompositionItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[co_units])

    class Meta:
        ordering = ["directive_id", "position", "pk"]
        verbose_name = _("分解条目")
        verbose_name_plural = _("分解条目")
        indexes = [models.Index(fields=["directive", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def source_text(self) -> str:
        if self.source_start is None or self.source_end is None:
            return ""
        return self.directive.text[self.source_start : self.source_end]

    @property
    def cadence_label(self) -> str:
        try:
            return str(Cadence(self.cadence).label)
        except ValueError:
            return self.cadence

    @property
    def editable(self) -> bool:
        return self.state != ItemState.PUBLISHED
