"""Indicator benchmarking (指标对标): indicator sets, their indicators, the peer entities, the
periods and the observations. Scores, ranks and tiers are derived in bulk from the observations
by :mod:`luoshi.indicators.evaluation` (pure maths in :mod:`luoshi.indicators.scoring`) once per
change and kept in :class:`StoredScores`; what the set's pages show of them (our cells, gaps and
flags, the ranking) is derived at the same time and kept in :class:`StoredPresentation`.

History: sets, indicators and entities carry django-simple-history (who changed a direction, a
weight, a target rank, which city is "us"). Observations can number hundreds of thousands, so they
carry no per-row history; every import that changes anything writes one :class:`ObservationImport`
row listing what it created and each value it changed (old → new).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.i18n import gettext as fill_gettext
from luoshi.core.i18n import gettext_noop
from luoshi.orgs.access import is_staff_member, is_supervisor, visible_unit_ids
from luoshi.tasks.periods import month_label, quarter_label

from . import scoring


class Direction(models.TextChoices):
    HIGHER = scoring.HIGHER, _("越高越好")
    LOWER = scoring.LOWER, _("越低越好")


def indicator_unit_scope(user) -> frozenset[int] | None:
    """The responsible units whose indicators `user` may read; None means every indicator."""
    if not is_staff_member(user):
        return frozenset()
    if is_supervisor(user) or user.role == "leader":
        return None
    return visible_unit_ids(user) or frozenset()


class IndicatorSetQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndicatorSetQuerySet:
        return self if is_staff_member(user) else self.none()


class IndicatorSet(models.Model):
    """An evaluation: e.g. the provincial business-environment evaluation of 18 cities."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    description = models.TextField(_("说明"), blank=True)
    tier_size = models.PositiveSmallIntegerField(_("每个方阵的名次数"), default=6, help_text=_("第一方阵 = 第1至第N名。"))
    flag_rank = models.PositiveSmallIntegerField(_("排名落后阈值"), default=10, help_text=_("排名在第N位以后的指标标为落后。"))
    volatility_window = models.PositiveSmallIntegerField(_("波动观察期数"), default=4)
    volatility_places = models.PositiveSmallIntegerField(_("波动提示位次"), default=5, help_text=_("观察期内排名最大差距达到N位即提示“过山车”。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = IndicatorSetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.tier_size is not None and self.tier_size < 1:
            raise ValidationError({"tier_size": _("每个方阵的名次数至少为1。")})
        if self.flag_rank is not None and self.flag_rank < 1:
            raise ValidationError({"flag_rank": _("排名落后阈值至少为1。")})
        if self.volatility_window is not None and self.volatility_window < 2:
            raise ValidationError({"volatility_window": _("波动观察期数至少为2。")})
        if self.volatility_places is not None and self.volatility_places < 1:
            raise ValidationError({"volatility_places": _("波动提示位次至少为1。")})


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndicatorQuerySet:
        scope = indicator_unit_scope(user)
        return self if scope is None else self.filter(responsible_unit_id__in=scope)


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标代码"), max_length=100, help_text=_("导入文件中的指标列名或代码。"))
    name = models.CharField(_("指标名称"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=100, blank=True)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    measure_unit = models.CharField(_("计量单位"), max_length=30, blank=True)
    weight = models.FloatField(_("权重"), default=1.0)
    responsible_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    target_rank = models.PositiveSmallIntegerField(_("目标排名"), null=True, blank=True, help_text=_("留空则以进入第一方阵为目标。"))
    frontier = models.FloatField(_("固定前沿值"), null=True, blank=True, help_text=_("留空则取当期各主体的最优值。"))
    worst = models.FloatField(_("固定最差值"), null=True, blank=True, help_text=_("留空则取当期各主体的最差值。"))
    sort_order = models.IntegerField(_("排序"), default=0)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_set_id", "sort_order", "pk"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_code_unique_in_set")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or self.code

    @property
    def effective_target(self) -> int:
        """The rank aimed for: the indicator's own target, else the first tier (进入第一方阵)."""
        return self.target_rank or self.indicator_set.tier_size

    def spec(self) -> scoring.IndicatorSpec:
        return scoring.IndicatorSpec(
            code=self.code, name=self.label, direction=self.direction, weight=float(self.weight),
            unit=self.measure_unit, frontier=self.frontier, worst=self.worst, target_rank=self.target_rank,
        )

    def clean(self):
        try:
            self.spec()
        except ValueError:
            if self.weight is not None and self.weight < 0:
                raise ValidationError({"weight": _("权重不能为负数。")})
            raise ValidationError(_("固定前沿值必须优于固定最差值（越低越好的指标，前沿值应更小）。"))


class Entity(models.Model):
    """A peer being evaluated (a city, a county); one per set is us (本市)."""

    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(_("名称"), max_length=100)
    is_us = models.BooleanField(_("本市"), default=False)
    sort_order = models.IntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_set_id", "sort_order", "pk"]
        verbose_name = _("对标主体")
        verbose_name_plural = _("对标主体")
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "name"], name="entity_name_unique_in_set"),
            models.UniqueConstraint(fields=["indicator_set"], condition=models.Q(is_us=True), name="one_us_per_set"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="periods")
    key = models.CharField(_("期间"), max_length=50)
    label = models.CharField(_("期间名称"), max_length=100, blank=True)
    order = models.IntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["indicator_set_id", "order", "pk"]
        verbose_name = _("期间")
        verbose_name_plural = _("期间")
        constraints = [models.UniqueConstraint(fields=["indicator_set", "key"], name="period_key_unique_in_set")]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The period's name in the reader's language when its key is one of the usual forms
        (2026H1, 2026Q2, 2026-05); else the label the file gave, or the key."""
        return period_name(self.key) or self.label or self.key


_HALF_LABELS = {1: gettext_noop("%(year)s年上半年"), 2: gettext_noop("%(year)s年下半年")}
_PERIOD_KEY = re.compile(r"(?P<year>\d{4})(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|-(?P<month>\d{2}))?")


def period_name(key: str) -> str | None:
    """2026H1 → 2026年上半年 (H1 2026 in English); None when the key is not of a usual form."""
    match = _PERIOD_KEY.fullmatch((key or "").strip())
    if not match:
        return None
    year = int(match["year"])
    if match["half"]:
        return fill_gettext(_HALF_LABELS[int(match["half"][1])], year=year)
    if match["quarter"]:
        return quarter_label(year, int(match["quarter"][1]))
    if match["month"]:
        month = int(match["month"])
        return month_label(year, month) if 1 <= month <= 12 else None
    return None  # a year alone reads the same in every language: the key or the file's label


class Observation(models.Model):
    """One datum: a raw value, or the published score / rank where raw values are not published.

    ``indicator_set`` repeats what the indicator already says so that scoring a set reads its
    observations with one indexed scan and no joins."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="observations")
    entity = models.ForeignKey(Entity, verbose_name=_("对标主体"), on_delete=models.CASCADE, related_name="observations")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="observations")
    period = models.ForeignKey(Period, verbose_name=_("期间"), on_delete=models.CASCADE, related_name="observations")
    value = models.FloatField(_("数值"), null=True, blank=True)
    published_score = models.FloatField(_("公布得分"), null=True, blank=True)
    published_rank = models.PositiveIntegerField(_("公布排名"), null=True, blank=True)

    class Meta:
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        constraints = [models.UniqueConstraint(fields=["entity", "indicator", "period"], name="observation_unique_cell")]
        indexes = [models.Index(fields=["indicator_set", "period"])]


class ObservationImport(models.Model):
    """One import that changed something: who, when, which file, and what it changed."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    changed_count = models.PositiveIntegerField(_("修改"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    # [{"entity", "indicator", "period", "old": {value, score, rank}, "new": {…}}], capped (see services)
    changes = models.JSONField(_("修改明细"), default=list, blank=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")


class IndicatorTask(models.Model):
    """The link between an indicator and the task made from it (一键转任务)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="task_links")
    task = models.OneToOneField("tasks.Task", verbose_name=_("任务"), on_delete=models.CASCADE, related_name="indicator_link")
    period_key = models.CharField(_("依据期间"), max_length=50, blank=True)
    rank_at_creation = models.PositiveIntegerField(_("生成时排名"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("指标任务")
        verbose_name_plural = _("指标任务")


class StoredScores(models.Model):
    """The output of scoring one period of a set (:mod:`luoshi.indicators.scorestore`), written by
    every service that changes what scoring reads and read by the pages instead of scoring again."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="+")
    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="+")
    observation_count = models.PositiveIntegerField(default=0)
    data = models.BinaryField()


class StoredPresentation(models.Model):
    """What the set's pages show of one period, in the shape they read it
    (:class:`luoshi.indicators.evaluation.Presentation`): written beside :class:`StoredScores` from the same
    results, so a page reads one small row per period instead of decoding every entity's cells."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="+")
    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="+")
    format = models.PositiveSmallIntegerField(default=0)
    entity_count = models.PositiveIntegerField(default=0)
    # Our composite, for the trend without unpacking anything.
    our_rank = models.PositiveIntegerField(null=True)
    our_composite = models.FloatField(null=True)
    ranking = models.BinaryField()  # every entity's composite row, in rank order
    cells = models.BinaryField()  # our cell per indicator, with its rank the period before
    details = models.BinaryField()  # per language: our gaps and flags


class StoredMarkup(models.Model):
    """The markup of a set page's content (its header and all below it), written by the first
    view of the page after its presentation was stored (:mod:`luoshi.indicators.fragments`). It
    belongs to the presentation row it was written from, so storing the presentation again deletes
    it; ``slot`` names the page, its parameters, the language, which indicators the reader may see
    and whether they may manage the set, and ``digest`` everything else the markup was written from
    (the indicators, the periods, the templates and the catalogue), so a page whose digest differs
    writes the markup again."""

    presentation = models.ForeignKey(StoredPresentation, on_delete=models.CASCADE, related_name="+")
    slot = models.CharField(max_length=32)
    digest = models.CharField(max_length=32)
    markup = models.BinaryField()
    # When it was last written: the daily sweep deletes markup older than STORED_MARKUP_DAYS, so
    # the pages no one opens again do not keep theirs until the next import.
    written_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["presentation", "slot"], name="indicators_storedmarkup_slot")]
