from __future__ import annotations

import re
import uuid
from collections import defaultdict
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from luoshi.core.rows import SEES_EVERY_ATTR


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


def signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


_CACHE_ATTR = "_luoshi_visible_unit_ids"
#: Where ``access.own_unit_ids`` keeps a user's own units (dropped by :func:`forget` too).
OWN_CACHE_ATTR = "_luoshi_own_unit_ids"


def visible_unit_ids(user) -> frozenset[int] | None:
    """The ids of the units whose work `user` may read; None means every unit.

    Rules (PRODUCT.md, Roles): admins and supervisors see everything; a leader sees the units they
    oversee (分管) and their sub-units, plus their own unit, and a leader marked `sees_all_units`
    (主要领导) everything; a unit liaison sees their own unit and its sub-units; anyone else nothing."""
    if not signed_in(user):
        return frozenset()
    if user.sees_everything:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roots: set[int] = set()
    if user.unit_id:
        roots.add(user.unit_id)
    if user.role == Role.LEADER:
        roots.update(user.oversees.values_list("pk", flat=True))
    ids = frozenset(Unit.objects.with_descendants(roots)) if roots else frozenset()
    setattr(user, _CACHE_ATTR, ids)
    if roots == {user.unit_id}:
        # The same units as the person's own (`access.own_unit_ids`): a page that asks for both
        # (the task page: what the person sees, then their roles) reads the directory once.
        setattr(user, OWN_CACHE_ATTR, ids)
    return ids


def forget(user) -> None:
    """Drop the cached scopes after the user's unit, role or oversight changed."""
    for attr in (_CACHE_ATTR, OWN_CACHE_ATTR, SEES_EVERY_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


class UnitQuerySet(TreeQuerySet):
    def visible_to(self, user) -> UnitQuerySet:
        ids = visible_unit_ids(user)
        return self if ids is None else self.filter(pk__in=ids)

    def with_descendants(self, roots) -> set[int]:
        """The ids of `roots` and every unit below them (one query over the whole directory)."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children[parent_id].append(pk)
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            stack.extend(children.get(pk, ()))
        return seen

    def active(self) -> UnitQuerySet:
        return self.filter(active=True)


def unit_display_name(name: str, short_name: str) -> str:
    """How a unit is named in lists and headers: its short name, else its name. Also for rows read
    as values, without a Unit instance."""
    return short_name or name


def person_name(name: str, username: str) -> str:
    """How a person is named: the real name, else the login name (also for rows read as values)."""
    return name or username


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
        return unit_display_name(self.name, self.short_name)

    def all_names(self) -> list[str]:
        names = [self.name]
        if self.short_name:
            names.append(self.short_name)
        names.extend(self.alias_list)
        return list(dict.fromkeys(names))


def split_names(text: str) -> list[str]:
    """Split a list of names written with 、，, ; or one per line, as people type them."""
    return [part.strip() for part in re.split(r"[\n\r、，,;；]+", text or "") if part.strip()]


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        ids = visible_unit_ids(user)
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
        return person_name(self.name, self.username)

    def get_full_name(self) -> str:
        return person_name(self.name, self.username)

    # The role rules, defined once: `luoshi.orgs.access` adds only "signed in and active".
    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        """Works in the supervision office: a supervisor, or an admin (who may do what they do)."""
        return self.is_admin or self.role == Role.SUPERVISOR

    @property
    def sees_everything(self) -> bool:
        return self.is_supervisor or (self.role == Role.LEADER and self.sees_all_units)

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON


class Session(AbstractBaseSession):
    """A signed-in browser's session, as Django's database store keeps it, with the person it signs
    in beside the data: the session store reads the session, the person and their unit with one
    statement (``orgs.sessions``) instead of three. ``user`` is only a copy of what the data say,
    written whenever the session is saved; no constraint, so a person deleted while their session
    is saved does not fail the save (Django's delete of a person still removes their sessions)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, db_constraint=False, related_name="+")

    class Meta(AbstractBaseSession.Meta):
        db_table = "orgs_session"

    def __str__(self) -> str:
        # Not the key (Django's own shows it): the key is the cookie that signs its person in, and
        # the admin lists a person's sessions by name when the person is deleted.
        return _("会话（%(until)s 到期）") % {"until": timezone.localtime(self.expire_date).strftime("%Y-%m-%d %H:%M")}

    @classmethod
    def get_session_store_class(cls):
        return import_module(settings.SESSION_ENGINE).SessionStore


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


class JobRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobRunQuerySet:
        """Each person sees their own jobs; admins see everyone's, so that a failure can be
        looked into. Only the owner may download a result (`access.get_job_result_for_user`)."""
        if not signed_in(user) or user.pk is None:
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(user=user)


def _job_path(instance, filename: str) -> str:
    # A random folder per file: names are guessable, folders are not, and two jobs never collide.
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class JobRun(models.Model):
    """One large import or export run as a background job: who asked for what, where it stands,
    how far it got, and what came of it (a file to download, an import summary, or the reason it
    failed in the asker's language). Kept with the people because it belongs to one of them and
    every app that imports or exports sits above this one."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(User, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="job_runs")
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("只检查"), default=False)
    #: The language of the page that started it: the job speaks it, whoever's worker runs it.
    language = models.CharField(max_length=16, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    input_file = models.FileField(_("上传文件"), upload_to=_job_path, max_length=255, blank=True)
    input_name = models.CharField(_("上传文件名"), max_length=255, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to=_job_path, max_length=255, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=255, blank=True)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    #: What went wrong for the people who run the servers (the exception), shown to admins only.
    detail = models.TextField(blank=True)
    follows = models.ForeignKey("self", verbose_name=_("所依据的检查"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["state", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("orgs:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


def person_of_row(pk: int | None, name: str, username: str) -> User | None:
    """The person a row read by hand names (by id, name and login name): enough of a `User` to
    be compared (by id) and written (`str()`), without reading the account's every column."""
    return None if pk is None else User(pk=pk, name=name, username=username)
