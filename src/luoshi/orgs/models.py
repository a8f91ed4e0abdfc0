from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from . import access


class UnitKind(models.TextChoices):
    PARTY = "party", _("党委部门")
    GOVERNMENT = "government", _("政府部门")
    CONGRESS = "congress", _("人大政协")
    TOWN = "town", _("镇街道")
    SOE = "soe", _("国企")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    SUPERVISOR = "supervisor", _("督查员")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("单位联络员")


class UnitQuerySet(TreeQuerySet):
    def visible_to(self, user) -> UnitQuerySet:
        ids = access.visible_unit_ids(user)
        return self if ids is None else self.filter(pk__in=ids)

    def active(self) -> UnitQuerySet:
        return self.filter(active=True)


class Unit(TreeNode):
    """A 单位: a department, a town, a state enterprise. `parent` gives the hierarchy."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.TextField(
        _("别名"), blank=True, help_text=_("其他写法，每行一个或以顿号分隔；指令解析时按这些名称识别单位。")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices, default=UnitKind.GOVERNMENT)
    sort_order = models.IntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = UnitQuerySet.as_manager(with_tree_fields=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_names(self.aliases)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def all_names(self) -> list[str]:
        names = [self.name]
        if self.short_name:
            names.append(self.short_name)
        names.extend(self.alias_list)
        return list(dict.fromkeys(names))


def split_names(text: str) -> list[str]:
    """Split a list of names written with 、，, ; or one per line, as people type them."""
    import re

    return [part.strip() for part in re.split(r"[\n\r、，,;；]+", text or "") if part.strip()]


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        ids = access.visible_unit_ids(user)
        if ids is None:
            return self
        if not user.is_authenticated:
            return self.none()
        # People without a unit (a leader of the whole city, say) are visible only to those who
        # see everything; and everyone may see themselves.
        return self.filter(models.Q(unit_id__in=ids) | models.Q(pk=user.pk))


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    pass


class User(AbstractUser):
    """A person: an account attached to a unit, with one role."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.LIAISON)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    oversees = models.ManyToManyField(
        Unit, verbose_name=_("分管单位"), blank=True, related_name="overseeing_leaders"
    )
    sees_all_units = models.BooleanField(
        _("可见全部单位"), default=False, help_text=_("主要领导可查看所有单位的工作，不限于分管单位。")
    )
    sort_order = models.IntegerField(_("排序"), default=0)

    objects = PersonManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[oversees])

    class Meta:
        ordering = ["sort_order", "name", "username"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON


class LoginThrottle(models.Model):
    """Failed logins per key (an account name or an address). Kept in the database so that every
    app server sees the same count."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
