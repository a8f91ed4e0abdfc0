"""Changes to the org directory. Views, the API, commands and tests all come through here."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.core.errors import Conflict, Forbidden, Invalid
from luoshi.core.spreadsheets import (
    ImportReport,
    SpreadsheetError,
    apply_import,
    count_rows,
    find_header,
    import_limits,
    length_problems,
    open_workbook,
    sheet_values,
)

from . import access
from . import jobs
from .models import JobRun, LoginThrottle, Role, Unit, UnitKind, User, split_names




def _require_admin(actor) -> None:
    access.require_actor(actor)
    if not access.is_admin(actor):
        raise Forbidden(_("只有管理员可以修改组织机构。"))


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    name: str,
    kind: str = UnitKind.GOVERNMENT,
    short_name: str = "",
    aliases: str = "",
    parent: Unit | None = None,
    sort_order: int = 0,
    active: bool = True,
) -> Unit:
    _require_admin(actor)
    unit = Unit(
        name=name.strip(),
        kind=kind,
        short_name=short_name.strip(),
        aliases=aliases.strip(),
        parent=parent,
        sort_order=sort_order,
        active=active,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_alias_add(*, actor: User | None, unit: Unit, alias: str) -> Unit:
    """Teach the directory another way of writing a unit (县疾控中心, 城管执法队): the parser then
    knows it. Supervisors may do this as well as admins, since they meet the names in the office's
    documents. An alias another unit already answers to is refused; one the unit has is a no-op."""
    access.require_actor(actor)
    if not (access.is_admin(actor) or access.is_supervisor(actor)):
        raise Forbidden(_("只有督查员或管理员可以为单位添加别名。"))
    alias = " ".join((alias or "").split())
    if not alias or len(alias) > 100 or split_names(alias) != [alias]:
        raise Invalid(_("请填写一个有效的单位名称作为别名。"))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if alias in unit.all_names():
        return unit
    for other in Unit.objects.exclude(pk=unit.pk):
        if alias in other.all_names():
            raise Conflict(
                _("“%(alias)s”已是单位“%(other)s”的名称或别名，不能再用于“%(unit)s”。")
                % {"alias": alias, "other": other.name, "unit": unit.name}
            )
    unit.aliases = "、".join([*unit.alias_list, alias])
    unit._history_user = actor if isinstance(actor, User) else None
    unit._change_reason = _("添加别名：%(alias)s") % {"alias": alias}
    unit.save(update_fields=["aliases"])
    return unit


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    role: str = Role.LIAISON,
    unit: Unit | None = None,
    title: str = "",
    phone: str = "",
    email: str = "",
    password: str | None = None,
    oversees: list[Unit] | tuple = (),
    sees_all_units: bool = False,
    sort_order: int = 0,
) -> User:
    _require_admin(actor)
    person = User(
        username=username.strip(),
        name=name.strip(),
        role=role,
        unit=unit,
        title=title.strip(),
        phone=phone.strip(),
        email=email.strip(),
        sees_all_units=sees_all_units,
        sort_order=sort_order,
    )
    _apply_role_flags(person)
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    if oversees:
        person.oversees.set(oversees)
    return person


def _apply_role_flags(person: User) -> None:
    # Administrators use Django's admin pages to edit the directory and see history.
    person.is_staff = person.role == Role.ADMIN or person.is_superuser
    if person.role == Role.ADMIN:
        person.is_superuser = True


# --- import ----------------------------------------------------------------------------------

UNIT_COLUMNS = {
    "name": ["单位名称", "名称", "单位", "name"],
    "short_name": ["简称", "short_name"],
    "aliases": ["别名", "aliases"],
    "kind": ["类别", "类型", "kind"],
    "parent": ["上级单位", "parent"],
    "sort_order": ["排序", "sort_order"],
    "active": ["启用", "active"],
}
PERSON_COLUMNS = {
    "username": ["用户名", "账号", "username"],
    "name": ["姓名", "name"],
    "unit": ["单位", "所在单位", "unit"],
    "role": ["角色", "role"],
    "title": ["职务", "title"],
    "phone": ["电话", "手机", "phone"],
    "email": ["邮箱", "电子邮箱", "email"],
    "oversees": ["分管单位", "oversees"],
}
UNIT_SHEET_NAMES = ("单位", "units")
PERSON_SHEET_NAMES = ("人员", "people")
TRUE_WORDS = {"是", "启用", "1", "true", "yes", "y", "√"}
FALSE_WORDS = {"否", "停用", "0", "false", "no", "n", "×"}


def _choice(value: str, choices) -> str | None:
    text = str(value).strip()
    for code, label in choices:
        if text in (code, str(label)):
            return code
    return None


@dataclass
class _UnitRow:
    row: int
    name: str
    values: dict
    parent_name: str | None


def directory_import(*, actor: User | None, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import units (sheet 单位) and people (sheet 人员) from an .xlsx file.

    Every row is checked before anything is written; if any row is wrong the report lists every
    problem and nothing is saved. Existing units (by name) and people (by username) are updated and
    reported as such; rows that match what is stored are reported unchanged."""
    _require_admin(actor)
    report = ImportReport()
    try:
        wb = open_workbook(data, max_bytes=import_limits().max_bytes)
    except SpreadsheetError as exc:
        report.error(0, str(exc))
        return report

    sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
    unit_ws = next((sheets[n] for n in UNIT_SHEET_NAMES if n in sheets), None)
    person_ws = next((sheets[n] for n in PERSON_SHEET_NAMES if n in sheets), None)
    if unit_ws is None and person_ws is None:
        report.error(0, _("找不到名为“单位”或“人员”的工作表。"))
        return report

    try:
        unit_rows = _check_units(unit_ws, report) if unit_ws is not None else []
        known_units = {u.name: u for u in Unit.objects.all()}
        names_after = set(known_units) | {r.name for r in unit_rows}
        alias_names = {}
        for unit in known_units.values():
            for alias in unit.all_names():
                alias_names.setdefault(alias, unit.name)
        for row in unit_rows:  # units new in this file can be named by their short name too
            for alias in [row.values["short_name"], *split_names(row.values["aliases"])]:
                if alias:
                    alias_names.setdefault(alias, row.name)
        person_rows = _check_people(person_ws, report, names_after, alias_names, actor) if person_ws is not None else []
    except SpreadsheetError as exc:
        report.error(0, str(exc))
        return report

    def write(report: ImportReport) -> None:
        for row in unit_rows:
            unit = known_units.get(row.name)
            if unit is None:
                unit = Unit(name=row.name, **row.values)
                unit.save()
                known_units[row.name] = unit
                report.created.append(_("单位 %(name)s") % {"name": row.name})
            else:
                changed = [k for k, v in row.values.items() if getattr(unit, k) != v]
                if changed:
                    for key in changed:
                        setattr(unit, key, row.values[key])
                    unit.save()
                    report.updated.append(_("单位 %(name)s") % {"name": row.name})
                else:
                    report.unchanged.append(_("单位 %(name)s") % {"name": row.name})
        for row in unit_rows:
            # Parents are set in a second pass so a file may list a child before its parent.
            if row.parent_name is not None:
                unit = known_units[row.name]
                parent = known_units[row.parent_name]
                if unit.parent_id != parent.pk:
                    unit.parent = parent
                    unit.save()
        for row in person_rows:
            values = dict(row["values"])
            unit_name = values.pop("unit_name")
            oversees = [known_units[n] for n in values.pop("oversees_names")]
            values["unit"] = known_units.get(unit_name) if unit_name else None
            person = User.objects.filter(username=row["username"]).first()
            if person is None:
                person = User(username=row["username"], **values)
                _apply_role_flags(person)
                person.set_unusable_password()
                person.save()
                person.oversees.set(oversees)
                report.created.append(_("人员 %(name)s") % {"name": person})
            else:
                changed = [k for k, v in values.items() if getattr(person, k) != v]
                same_oversight = {u.pk for u in person.oversees.all()} == {u.pk for u in oversees}
                if changed or not same_oversight:
                    for key in changed:
                        setattr(person, key, values[key])
                    _apply_role_flags(person)
                    person.save()
                    person.oversees.set(oversees)
                    report.updated.append(_("人员 %(name)s") % {"name": person})
                else:
                    report.unchanged.append(_("人员 %(name)s") % {"name": person})
        # The tree must stay a tree; a cycle in the file is an error for the whole import.
        if _has_cycle():
            report.error(0, _("上级单位关系形成了循环，请检查“上级单位”列。"))
            report.created.clear(), report.updated.clear(), report.unchanged.clear()

    return apply_import(report, write, dry_run=dry_run)


def _has_cycle() -> bool:
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    for start in parents:
        seen = set()
        node = start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parents.get(node)
    return False


def _check_units(ws, report: ImportReport) -> list[_UnitRow]:
    rows = sheet_values(ws)
    header, cols = find_header(rows, UNIT_COLUMNS, ["name", "kind"])
    result: list[_UnitRow] = []
    seen: dict[str, int] = {}
    sheet = ws.title
    for offset, row in enumerate(rows[header + 1 :], start=header + 2):
        get = lambda key: row[cols[key]] if key in cols and cols[key] < len(row) else None  # noqa: E731
        if all(cell is None for cell in row):
            continue
        name = get("name")
        if not name:
            report.error(offset, _("单位名称不能为空"), _("单位名称"), sheet)
            continue
        name = str(name)
        if len(name) > 100:
            report.error(offset, _("单位名称过长（最多100字）"), _("单位名称"), sheet)
            continue
        if name in seen:
            report.error(offset, _("与第%(row)d行单位名称重复") % {"row": seen[name]}, _("单位名称"), sheet)
            continue
        seen[name] = offset
        kind = _choice(get("kind") or "", UnitKind.choices)
        if kind is None:
            labels = "、".join(str(label) for _code, label in UnitKind.choices)
            report.error(offset, _("类别“%(value)s”无效，应为：%(labels)s") % {"value": get("kind") or "", "labels": labels}, _("类别"), sheet)
            continue
        sort_order = get("sort_order")
        try:
            sort_order = int(sort_order) if sort_order is not None else 0
        except (TypeError, ValueError):
            report.error(offset, _("排序必须是整数"), _("排序"), sheet)
            continue
        active_text = str(get("active")).strip().lower() if get("active") is not None else "是"
        if active_text not in TRUE_WORDS | FALSE_WORDS:
            report.error(offset, _("“启用”应填“是”或“否”"), _("启用"), sheet)
            continue
        values = {
            "short_name": str(get("short_name") or ""),
            "aliases": "、".join(split_names(str(get("aliases") or ""))),
            "kind": kind,
            "sort_order": sort_order,
            "active": active_text in TRUE_WORDS,
        }
        long_values = length_problems(Unit, values)
        for message, column in long_values:
            report.error(offset, message, column, sheet)
        if long_values:
            continue
        parent = get("parent")
        result.append(_UnitRow(row=offset, name=name, values=values, parent_name=str(parent) if parent else None))
    existing = set(Unit.objects.values_list("name", flat=True))
    for row in result:
        if row.parent_name is not None and row.parent_name not in seen and row.parent_name not in existing:
            report.error(row.row, _("上级单位“%(name)s”不存在") % {"name": row.parent_name}, _("上级单位"), sheet)
        if row.parent_name == row.name:
            report.error(row.row, _("上级单位不能是本单位"), _("上级单位"), sheet)
    return result


def _check_people(ws, report: ImportReport, unit_names: set[str], alias_names: dict[str, str], actor: User | None) -> list[dict]:
    rows = sheet_values(ws)
    header, cols = find_header(rows, PERSON_COLUMNS, ["username", "name", "role"])
    result: list[dict] = []
    seen: dict[str, int] = {}
    sheet = ws.title

    def resolve(name: str) -> str | None:
        if name in unit_names:
            return name
        return alias_names.get(name)

    for offset, row in enumerate(rows[header + 1 :], start=header + 2):
        get = lambda key: row[cols[key]] if key in cols and cols[key] < len(row) else None  # noqa: E731
        if all(cell is None for cell in row):
            continue
        username = str(get("username") or "").strip()
        problems = []
        if not username:
            problems.append((_("用户名不能为空"), _("用户名")))
        elif not User.username_validator.regex.match(username) or len(username) > 150:
            problems.append((_("用户名只能包含字母、数字和 @ . + - _"), _("用户名")))
        elif username in seen:
            problems.append((_("与第%(row)d行用户名重复") % {"row": seen[username]}, _("用户名")))
        name = str(get("name") or "").strip()
        if not name:
            problems.append((_("姓名不能为空"), _("姓名")))
        role = _choice(get("role") or "", Role.choices)
        if role is None:
            labels = "、".join(str(label) for _code, label in Role.choices)
            problems.append((_("角色“%(value)s”无效，应为：%(labels)s") % {"value": get("role") or "", "labels": labels}, _("角色")))
        unit_name = None
        if get("unit"):
            unit_name = resolve(str(get("unit")))
            if unit_name is None:
                problems.append((_("单位“%(name)s”不存在") % {"name": get("unit")}, _("单位")))
        elif role == Role.LIAISON:
            problems.append((_("单位联络员必须填写所在单位"), _("单位")))
        oversees_names = []
        for item in split_names(str(get("oversees") or "")):
            resolved = resolve(item)
            if resolved is None:
                problems.append((_("分管单位“%(name)s”不存在") % {"name": item}, _("分管单位")))
            else:
                oversees_names.append(resolved)
        email = str(get("email") or "").strip()
        if email:
            from django.core.validators import validate_email
            from django.core.exceptions import ValidationError

            try:
                validate_email(email)
            except ValidationError:
                problems.append((_("邮箱“%(value)s”格式不正确") % {"value": email}, _("邮箱")))
        values = {"name": name, "title": str(get("title") or ""), "phone": str(get("phone") or ""), "email": email}
        problems += length_problems(User, values)
        # An administrator could otherwise take their own administration away by a typo in a file,
        # leaving nobody to put it right.
        if actor is not None and username == actor.get_username() and access.is_admin(actor) and role not in (None, Role.ADMIN):
            problems.append((_("不能通过导入更改自己的角色：请由另一位管理员修改。"), _("角色")))
        for message, column in problems:
            report.error(offset, message, column, sheet)
        if problems:
            continue
        seen[username] = offset
        result.append(
            {
                "username": username,
                "values": {
                    "name": name,
                    "role": role,
                    "unit_name": unit_name,
                    "title": str(get("title") or ""),
                    "phone": str(get("phone") or ""),
                    "email": email,
                    "oversees_names": oversees_names,
                },
            }
        )
    return result


# --- login throttling ------------------------------------------------------------------------


def account_key(username: str) -> str:
    """The account a login attempt is for, as authentication resolves it: the login form strips and
    NFKC-normalises the name (so `ｆｇｗ` and `𝐟𝐠𝐰` are `fgw`); case is folded on top, which can only
    merge counters, never split one account's."""
    return User.normalize_username(username.strip()).casefold()


def _throttle_keys(username: str, address: str | None) -> list[tuple[str, int]]:
    """(key, failures that lock it): the account from this address at the limit, the account from
    everywhere at four times it. No key is per address alone: behind one NAT or proxy address sits a
    whole office, which a stranger must not be able to lock out."""
    account = f"user:{account_key(username)}"[:150]
    keys = [(account, settings.LOGIN_FAILURE_LIMIT * 4)]
    if address:
        keys.append((f"{account}|addr:{address}"[:200], settings.LOGIN_FAILURE_LIMIT))
    return keys


def login_locked_until(*, username: str, address: str | None) -> dt.datetime | None:
    now = timezone.now()
    until = (
        LoginThrottle.objects.filter(key__in=[key for key, _ in _throttle_keys(username, address)], locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def login_failed(*, username: str, address: str | None) -> None:
    """Count a failure against the account and against (account, address); lock either at its limit.
    Failures older than the lockout window start the count afresh."""
    now = timezone.now()
    window = dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    for key, limit in _throttle_keys(username, address):
        with transaction.atomic():
            throttle, created = LoginThrottle.objects.get_or_create(key=key, defaults={"first_failure_at": now})
            if not created and throttle.first_failure_at and now - throttle.first_failure_at > window:
                LoginThrottle.objects.filter(pk=throttle.pk).update(failures=0, first_failure_at=now, locked_until=None)
            LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
            throttle.refresh_from_db()
            if throttle.failures >= limit:
                LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=now + window)


def login_succeeded(*, username: str, address: str | None) -> None:
    # Only this address's count is forgiven: a success here must not hand a guesser elsewhere a
    # fresh allowance against the account.
    LoginThrottle.objects.filter(key__in=[key for key, _ in _throttle_keys(username, address)[1:]]).delete()


# --- background jobs -------------------------------------------------------------------------------


@transaction.atomic
def job_start(
    *, actor: User, kind: str, title: str, params: dict | None = None, upload: bytes | None = None, upload_name: str = "",
    dry_run: bool = False, total: int | None = None, language: str = "", follows: JobRun | None = None,
) -> JobRun:
    """Record a large import or export and queue it. The upload, if any, is kept in the upload
    store for the job (a worker on another machine reads it from there). Whether the actor may do
    the work itself is decided by the app's service when the job runs it, as inline."""
    access.require_actor(actor)
    if kind not in jobs.HANDLERS:
        raise Invalid(_("未知的后台任务类型：%(kind)s") % {"kind": kind})
    job = JobRun(
        user=actor, kind=kind, title=title[:200], params=params or {}, dry_run=dry_run, total=total, follows=follows,
        language=language or translation.get_language() or settings.LANGUAGE_CODE, input_name=upload_name[:255],
    )
    if upload is not None:
        job.input_file.save(_safe_name(upload_name), ContentFile(upload), save=False)
    elif follows is not None:
        job.input_file.name = follows.input_file.name
    job.save()
    jobs.enqueue(job)
    return job


@transaction.atomic
def job_confirm_import(*, actor: User, job: JobRun) -> JobRun:
    """Import for real the file a finished dry run found fine. Only its owner, only once per dry
    run, and only when the check passed: the file then goes through every check again anyway."""
    access.require_actor(actor)
    # Locked, so that two clicks on 确认 start one import.
    job = JobRun.objects.select_for_update().get(pk=job.pk)
    if job.user_id != actor.pk:
        raise Forbidden(_("只能确认自己提交的导入。"))
    if not (job.dry_run and job.state == JobRun.State.DONE and job.summary.get("ok")):
        raise Conflict(_("只有检查通过的导入可以确认保存。"))
    if JobRun.objects.filter(follows=job).exists():
        raise Conflict(_("该导入已确认过，请勿重复提交。"))
    if not job.input_file:
        raise Conflict(_("检查过的文件已超过保留期限被删除，请重新上传。"))
    title = job.title.removesuffix(_("（检查）")) + _("（保存）")
    return job_start(actor=actor, kind=job.kind, title=title, params=job.params, upload_name=job.input_name,
                     total=job.total, language=translation.get_language() or job.language, follows=job)


def _safe_name(name: str) -> str:
    base = os.path.basename(name or "upload").strip() or "upload"
    return base[-100:]


def import_if_large(
    *, actor: User, kind: str, title: str, data: bytes, upload_name: str, params: dict | None = None, dry_run: bool = False
) -> JobRun | None:
    """The one rule for imports: a file of more than IMPORT_JOB_ROWS rows is imported by a
    background job (returned), a smaller one is left to the caller to import at once (None)."""
    rows = count_rows(data)
    if rows <= settings.IMPORT_JOB_ROWS:
        return None
    suffix = _("（检查）") if dry_run else _("（保存）")
    return job_start(actor=actor, kind=kind, title=title + suffix, params=params, upload=data, upload_name=upload_name,
                     dry_run=dry_run, total=rows)


def _directory_job(job: JobRun) -> jobs.JobOutput:
    report = directory_import(actor=job.user, data=jobs.input_bytes(job), dry_run=job.dry_run)
    return jobs.JobOutput(rows=job.total or 0, summary=jobs.report_summary(report, dry_run=job.dry_run))


jobs.register("import:directory", _directory_job)
