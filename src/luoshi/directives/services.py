"""Changes to directives and their decomposition. Views, the API, the demo and tests all come
through here; tasks are created only through luoshi.tasks.services."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Conflict, Forbidden, Invalid, LuoshiError
from luoshi.core.statemachine import StateMachine, TransitionRefused
from luoshi.core.versioning import update_checked
from luoshi.core.spreadsheets import ImportReport, SpreadsheetError, apply_import, parse_date, read_table
from luoshi.orgs import jobs
from luoshi.orgs.access import require_actor
from luoshi.orgs.models import Role, Unit, User, split_names
from luoshi.orgs.services import unit_alias_add
from luoshi.tasks import rules
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task
from luoshi.tasks.services import task_create, task_publish

from . import access, table
from .documents import DocumentError, normalise_text, read_document, text_fingerprint
from .models import DecompositionItem, Directive, DirectiveKind, DirectiveStatus, ItemOrigin, ItemState
from .parsing import ParseError, ParseResult, UnitName, add_words, parse
from .parsing.clauses import clause_boundaries
from .parsing.dates import detect_date, field_deadline, find_deadline, ongoing
from .parsing.parser import full_width
from .parsing.units import UnitMatcher, display


class _DirectiveMoveRefused(TransitionRefused):
    pass


# The directive's life, as one table: (status, action) → (new status, who). Every action is the
# office's; the services check that once (`_require_supervisor`) before they move the directive.
TRANSITIONS = StateMachine(
    {
        (DirectiveStatus.DRAFT, "parse"): (DirectiveStatus.DECOMPOSED, {"supervisor"}),
        (DirectiveStatus.DECOMPOSED, "parse"): (DirectiveStatus.DECOMPOSED, {"supervisor"}),
        (DirectiveStatus.DRAFT, "import"): (DirectiveStatus.DECOMPOSED, {"supervisor"}),
        (DirectiveStatus.DECOMPOSED, "import"): (DirectiveStatus.DECOMPOSED, {"supervisor"}),
        (DirectiveStatus.DECOMPOSED, "publish"): (DirectiveStatus.PUBLISHED, {"supervisor"}),
        # Rows accepted later (or imported) may still be published after the first batch.
        (DirectiveStatus.PUBLISHED, "parse"): (DirectiveStatus.PUBLISHED, {"supervisor"}),
        (DirectiveStatus.PUBLISHED, "import"): (DirectiveStatus.PUBLISHED, {"supervisor"}),
        (DirectiveStatus.PUBLISHED, "publish"): (DirectiveStatus.PUBLISHED, {"supervisor"}),
    },
    states=DirectiveStatus.values,
    refused=_DirectiveMoveRefused,
)
ITEM_STATES_SETTABLE = (ItemState.CANDIDATE, ItemState.ACCEPTED, ItemState.DROPPED)


def _require_supervisor(actor) -> None:
    require_actor(actor)
    if not access.may_manage_directives(actor):
        raise Forbidden(_("只有督查员可以处理来源文件。"))


def _move(directive: Directive, action: str, *, actor, reason: str) -> None:
    try:
        row = TRANSITIONS.allowed(directive.status, action)
    except TransitionRefused:
        raise Invalid(_("当前状态（%(status)s）下不能执行此操作。") % {"status": directive.get_status_display()}) from None
    directive.status = row.target
    directive._history_user = actor
    directive._change_reason = reason
    directive.save()


# --- the unit directory as the parser sees it -----------------------------------------------


@dataclass
class Directory:
    units: list[UnitName] = field(default_factory=list)
    by_name: dict[str, Unit] = field(default_factory=dict)
    matcher: UnitMatcher | None = None

    def unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        found = self.by_name.get(display(name))
        if found is None and self.matcher is not None:
            canonical = self.matcher.canonical(name)
            found = self.by_name.get(display(canonical)) if canonical else None
        return found


def directory() -> Directory:
    """Active units with their short names and aliases; also teaches jieba those names so titles
    are never cut inside a unit's name."""
    result = Directory()
    words: list[str] = []
    for unit in Unit.objects.active().order_by("sort_order", "pk"):
        names = unit.all_names()
        result.units.append(UnitName(unit.name, tuple(names[1:])))
        for name in names:
            result.by_name.setdefault(display(name), unit)
        words.extend(names)
    result.matcher = UnitMatcher(result.units)
    if words:
        add_words(words)
    return result


def _leaders() -> dict[str, User]:
    return {u.name: u for u in User.objects.filter(role=Role.LEADER, is_active=True).exclude(name="")}


def match_leader(text: str | None, leaders: dict[str, User]) -> User | None:
    """A leader named in a 牵头领导 cell or field: the exact name, or the name followed by a title
    (孙志强副主任)."""
    text = (text or "").strip()
    if not text:
        return None
    if text in leaders:
        return leaders[text]
    hits = [user for name, user in leaders.items() if text.startswith(name)]
    return hits[0] if len(hits) == 1 else None


# --- intake ----------------------------------------------------------------------------------


class DuplicateText(Conflict):
    """The text is already the text of another directive; `existing` is that directive."""

    def __init__(self, message: str, existing: Directive):
        super().__init__(message)
        self.existing = existing


@transaction.atomic
def directive_create(
    *,
    actor,
    issued_on: dt.date,
    title: str = "",
    kind: str = DirectiveKind.SPEECH,
    issuer: str = "",
    date_confirmed: bool = False,
    text: str = "",
    filename: str = "",
    data: bytes | None = None,
    parse_now: bool = True,
    refuse_duplicate: bool = False,
) -> Directive:
    """Create a directive from pasted text or an uploaded file (which wins when both are given);
    with `parse_now` its candidates are drafted at once. Nothing is saved when the file is refused,
    nor, with `refuse_duplicate` (the intake page, until the user confirms), when the same text was
    entered before."""
    _require_supervisor(actor)
    if not isinstance(issued_on, dt.date):
        raise Invalid(_("请填写有效的日期。"))
    if kind not in DirectiveKind.values:
        raise Invalid(_("未知的来源文件类型。"))
    if data is not None:
        limit = settings.UPLOAD_MAX_BYTES
        if len(data) > limit:
            raise Invalid(_("文件过大，上限为 %(limit)d MB。") % {"limit": limit // (1024 * 1024)})
        try:
            text = read_document(filename, data)
        except DocumentError as exc:
            raise Invalid(str(exc)) from exc
    text = normalise_text(text or "").strip("\n")
    if not text.strip():
        raise Invalid(_("请粘贴正文或上传文件。"))
    fingerprint = text_fingerprint(text)
    existing = Directive.objects.filter(text_hash=fingerprint).order_by("pk").first()
    if existing is not None and refuse_duplicate:
        raise DuplicateText(
            _("该正文已于%(date)s录入为《%(title)s》，再次录入将产生重复任务。确需再次录入，请勾选“仍然录入”后重新提交。")
            % {"date": timezone.localtime(existing.created_at).date().isoformat(), "title": existing.title},
            existing,
        )
    title = (title or "").strip() or next(line.strip() for line in text.splitlines() if line.strip())
    directive = Directive(
        text_hash=fingerprint,
        title=title[:200],
        kind=kind,
        issuer=(issuer or "").strip()[:100],
        issued_on=issued_on,
        date_confirmed=bool(date_confirmed),
        text=text,
        created_by=actor,
        source_filename=(filename or "")[:255] if data is not None else "",
    )
    if data is not None:
        directive.source_file.save(_safe_filename(filename), ContentFile(data), save=False)
    directive._history_user = actor
    directive._change_reason = _("创建")
    directive.save()
    if parse_now:
        directive_parse(actor=actor, directive=directive)
    return directive


def _safe_filename(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", (name or "directive.txt").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return stem[-100:] or "directive.txt"


@transaction.atomic
def directive_set_date(*, actor, directive: Directive, issued_on: dt.date) -> Directive:
    """Confirm (or correct) the directive's date. Relative deadlines of rows not yet published and
    not typed by a person are resolved again against it."""
    _require_supervisor(actor)
    if not isinstance(issued_on, dt.date):
        raise Invalid(_("请填写有效的日期。"))
    changed = directive.issued_on != issued_on
    directive.issued_on = issued_on
    directive.date_confirmed = True
    directive._history_user = actor
    directive._change_reason = _("核对日期")
    directive.save()
    if changed:
        items = directive.items.exclude(state=ItemState.PUBLISHED).exclude(deadline_text="").filter(deadline_edited=False)
        for item in items:
            # the words as they were first read: a table's cell (6月, 6.30) as a cell, a sentence's
            # words (年底前) the same either way
            _words, date = field_deadline(item.deadline_text, issued_on)
            if date != item.deadline:
                DecompositionItem.objects.filter(pk=item.pk).update(deadline=date, version=F("version") + 1)
    return directive


def run_parser(directive: Directive, units: Directory | None = None) -> ParseResult:
    units = units or directory()
    try:
        return parse(directive.text, issued=directive.issued_on, units=units.units)
    except ParseError as exc:
        raise Invalid(str(exc)) from exc


def section_paths(result: ParseResult) -> list[str]:
    """For each outline item, the labels from its part down to it (二·一要), for the 来源 column."""
    paths: list[str] = []
    stack: list[tuple[int, str]] = []
    for item in result.outline:
        while stack and stack[-1][0] >= item.level:
            stack.pop()
        label = (item.label or "").strip("、.．，, ")
        if label:
            stack.append((item.level, label))
        paths.append("·".join(lbl for _lvl, lbl in stack))
    return paths


@transaction.atomic
def directive_parse(*, actor, directive: Directive) -> list[DecompositionItem]:
    """Draft the candidates. Rows a person already touched (accepted, dropped, edited, published,
    imported) are kept; untouched candidates are replaced by the parser's current ones."""
    _require_supervisor(actor)
    units = directory()
    result = run_parser(directive, units)
    leaders = _leaders()
    directive.items.filter(state=ItemState.CANDIDATE, version=1, origin=ItemOrigin.PARSER).delete()
    kept = {(i.source_start, i.source_end) for i in directive.items.all()}
    position = directive.items.aggregate(m=Max("position"))["m"] or 0
    paths = section_paths(result)
    created: list[DecompositionItem] = []
    by_index: dict[int, DecompositionItem] = {}
    for index, cand in enumerate(result.tasks):
        if (cand.start, cand.end) in kept:
            continue
        position += 1
        lead = units.unit(cand.lead_unit)
        # Units that only reported or are merely mentioned (mentioned_units) own nothing here.
        co_names = getattr(cand, "co_units", None) or cand.units
        co = [u for u in (units.unit(name) for name in co_names) if u is not None and u != lead]
        # 每月5日前报送 is the row's 报送周期 and 报送日; a cadence the tasks cannot keep (每半月, 每旬)
        # leaves the default for the clerk to set.
        cadence, due_day = (cand.cadence_text and rules.P.parse_cadence(cand.cadence_text)) or (rules.P.MONTHLY, None)
        item = DecompositionItem.objects.create(
            directive=directive,
            position=position,
            origin=ItemOrigin.PARSER,
            source_start=cand.start,
            source_end=cand.end,
            section=paths[cand.section] if cand.section is not None and cand.section < len(paths) else "",
            parent=by_index.get(cand.parent) if cand.parent is not None else None,
            title=cand.title[:300] or cand.text[:30],
            measures=cand.measures,
            target_text="；".join(cand.targets),
            # Names the directory could not place (各部门各单位, 各镇（街道）) stay visible as written.
            unit_names=[name for name in cand.units if units.unit(name) is None],
            lead_leader=match_leader(cand.lead_leader, leaders),
            lead_leader_text=(cand.lead_leader or "")[:100],
            lead_unit=lead,
            deadline=cand.deadline,
            deadline_text=(cand.deadline_text or "")[:100],
            cadence=cadence,
            due_day=due_day,
            kind=cand.kind,
            confidence=cand.confidence,
            updated_by=actor,
        )
        if co:
            item.co_units.set(list(dict.fromkeys(co)))
        by_index[index] = item
        created.append(item)
    _move(directive, "parse", actor=actor, reason=_("解析出 %(n)d 条候选任务") % {"n": len(created)})
    return created


# --- editing the decomposition ---------------------------------------------------------------


def _editable(item: DecompositionItem) -> None:
    if item.state == ItemState.PUBLISHED:
        raise Invalid(_("已发布的条目不能再修改，请到任务页面修改。"))


def _bump(item: DecompositionItem, expected_version: int | None, actor, **fields) -> None:
    """Save `fields` only if nobody changed the row since `expected_version` was read."""
    update_checked(
        item, expected_version=expected_version, conflict=_("该条目已被他人修改，请刷新后再操作（您的修改未保存）。"),
        updated_by=actor, updated_at=timezone.now(), **fields,
    )
    # A save() after the guarded update writes the history row with the actor.
    item._history_user = actor
    item.save(update_fields=list(fields) or ["updated_at"])


EDITABLE = {
    "title", "measures", "target_text", "lead_leader", "lead_unit", "deadline", "deadline_text", "cadence", "due_day",
}


def check_plan(*, deadline: dt.date | None, cadence: str, due_day: int | None, deadline_changed: bool = False) -> None:
    """A row's plan, for a single edit and for a bulk assignment alike: the tasks' one plan rule
    (``tasks.rules.plan_problems``). A row has no start of its own: its task starts the day it is
    published, today at the earliest, so a deadline typed in must not fall before today
    (publication checks every row again)."""
    if deadline is not None and not isinstance(deadline, dt.date):
        raise Invalid(_("请填写有效的日期。"))
    task_services.check_plan(start_on=None, deadline=deadline, cadence=cadence, due_day=due_day,
                             published_on=timezone.localdate() if deadline_changed else None)


def renumber(directive: Directive) -> None:
    """Positions 1…n in the table's order, after rows were merged or split. A dropped row keeps
    its place, so restoring it puts it back where it was; the 序号 the table shows counts live rows
    only (`numbered`)."""
    rows = directive.items.order_by("position", "pk").values_list("pk", "position")
    for n, (pk, position) in enumerate(list(rows), start=1):
        if position != n:
            DecompositionItem.objects.filter(pk=pk).update(position=n)


def numbered(items: Iterable[DecompositionItem]) -> list[DecompositionItem]:
    """Sets `item.number`, the 序号 of the 任务分解表: the rank among rows not dropped (None for a
    dropped row), so numbers close up when a row is dropped, merged or split."""
    items = list(items)
    n = 0
    for item in items:
        if item.state == ItemState.DROPPED:
            item.number = None
        else:
            n += 1
            item.number = n
    return items


@transaction.atomic
def item_update(
    *, actor, item: DecompositionItem, expected_version: int, co_units: Iterable[Unit] | None = None, **changes
) -> DecompositionItem:
    """Edit a row: 工作任务, 具体措施, 牵头领导, 牵头单位, 责任单位, 完成时限, 报送周期 and 报送日."""
    _require_supervisor(actor)
    _editable(item)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()[:300]
        if not changes["title"]:
            raise Invalid(_("工作任务不能为空。"))
    if "deadline_text" in changes:
        changes["deadline_text"] = (changes["deadline_text"] or "").strip()[:100]
    check_plan(
        deadline=changes.get("deadline", item.deadline),
        cadence=changes.get("cadence", item.cadence),
        due_day=changes.get("due_day", item.due_day),
        deadline_changed="deadline" in changes,
    )
    if "deadline" in changes and changes["deadline"] != item.deadline:
        changes["deadline_edited"] = True
    _bump(item, expected_version, actor, **changes)
    if co_units is not None:
        item.co_units.set([u for u in co_units if u.pk != item.lead_unit_id])
    elif item.lead_unit_id:
        item.co_units.remove(item.lead_unit_id)
    return item


@transaction.atomic
def item_set_state(*, actor, item: DecompositionItem, state: str, expected_version: int | None = None) -> DecompositionItem:
    """Accept, drop, or put a row back among the candidates."""
    _require_supervisor(actor)
    _editable(item)
    if state not in ITEM_STATES_SETTABLE:
        raise Invalid(_("无效的操作。"))
    _bump(item, expected_version, actor, state=state)
    return item


@transaction.atomic
def items_merge(*, actor, directive: Directive, items: Sequence[DecompositionItem]) -> DecompositionItem:
    """Join two or more rows into the first: its title, the measures one after another, the span
    from the first word to the last, the union of the units."""
    _require_supervisor(actor)
    items = sorted({i.pk: i for i in items}.values(), key=lambda i: (i.position, i.pk))
    if len(items) < 2:
        raise Invalid(_("请至少选择两条进行合并。"))
    for item in items:
        if item.directive_id != directive.pk:
            raise Invalid(_("只能合并同一来源文件的条目。"))
        _editable(item)
    keep, others = items[0], items[1:]
    starts = [i.source_start for i in items if i.source_start is not None]
    ends = [i.source_end for i in items if i.source_end is not None]
    measures = "\n".join(dict.fromkeys(m.strip() for m in (i.measures for i in items) if m and m.strip()))
    lead = next((i.lead_unit for i in items if i.lead_unit_id), None)
    # The other rows' lead units stay responsible: they become co-units of the merged row.
    co = {u.pk: u for i in items for u in [*([i.lead_unit] if i.lead_unit_id else []), *i.co_units.all()]}
    names = list(dict.fromkeys(n for i in items for n in i.unit_names))
    dated = [i for i in items if i.deadline]
    deadline_from = dated[0] if dated else next((i for i in items if i.deadline_text), None)
    state = ItemState.ACCEPTED if any(i.state == ItemState.ACCEPTED for i in items) else ItemState.CANDIDATE
    other_pks = [i.pk for i in others]
    DecompositionItem.objects.filter(parent_id__in=other_pks).update(parent=keep)
    DecompositionItem.objects.filter(pk__in=other_pks).delete()
    _bump(
        keep,
        None,
        actor,
        source_start=min(starts) if starts else None,
        source_end=max(ends) if ends else None,
        measures=measures,
        lead_unit=lead,
        lead_leader=keep.lead_leader or next((i.lead_leader for i in items if i.lead_leader_id), None),
        unit_names=names,
        deadline=deadline_from.deadline if deadline_from else None,
        deadline_text=deadline_from.deadline_text if deadline_from else "",
        target_text="；".join(dict.fromkeys(t for i in items for t in i.target_text.split("；") if t)),
        state=state,
        origin=ItemOrigin.MANUAL,
    )
    keep.co_units.set([u for pk, u in co.items() if pk != keep.lead_unit_id])
    renumber(directive)
    keep.refresh_from_db()
    return keep


def derive_title(text: str) -> str:
    """A first title for a row cut out of a longer one: its first clause, without the enumerator
    and the leading subject-modal, at most 30 characters. The supervisor rewords it."""
    text = re.sub(r"^\s*(?:[一二三四五六七八九十]+[、是要]|第[一二三四五六七八九十]+[，,、]|（[一二三四五六七八九十\d]+）|\d+[.．、])", "", text.strip())
    first = re.split(r"[。；！？\n]", text, maxsplit=1)[0].strip()
    first = re.sub(r"^[^，。；]{0,12}?(?:要|必须|务必)", "", first) or first
    return first[:30] or text[:30]


@transaction.atomic
def item_split(*, actor, item: DecompositionItem, at: int, expected_version: int | None = None) -> DecompositionItem:
    """Cut a row in two at character offset `at` of the directive's text (strictly inside the
    row's span). The first part keeps the row; the second becomes a new row just after it."""
    _require_supervisor(actor)
    _editable(item)
    if item.source_start is None or item.source_end is None:
        raise Invalid(_("该条目没有原文位置，无法拆分。"))
    text = item.directive.text
    if not isinstance(at, int) or not item.source_start < at < item.source_end:
        raise Invalid(_("拆分位置必须在该条原文之内。"))
    head_end = at
    while head_end > item.source_start and text[head_end - 1].isspace():
        head_end -= 1
    tail_start = at
    while tail_start < item.source_end and text[tail_start].isspace():
        tail_start += 1
    if head_end <= item.source_start or tail_start >= item.source_end:
        raise Invalid(_("拆分后两部分都不能为空。"))
    old_end = item.source_end
    head, tail = text[item.source_start : head_end], text[tail_start:old_end]
    co_units = list(item.co_units.all())
    DecompositionItem.objects.filter(directive=item.directive, position__gt=item.position).update(position=F("position") + 1)
    _bump(item, expected_version, actor, source_end=head_end, measures=head.strip(), origin=ItemOrigin.MANUAL)
    tail_words, tail_date = find_deadline(tail, item.directive.issued_on)
    second = DecompositionItem.objects.create(
        directive=item.directive,
        position=item.position + 1,
        state=item.state,
        origin=ItemOrigin.MANUAL,
        source_start=tail_start,
        source_end=old_end,
        section=item.section,
        parent=item.parent,
        title=derive_title(tail),
        measures=tail.strip(),
        unit_names=[n for n in item.unit_names if n in tail] or list(item.unit_names),
        lead_unit=item.lead_unit,
        lead_leader=item.lead_leader,
        deadline=tail_date if tail_words else item.deadline,
        deadline_text=(tail_words or item.deadline_text)[:100],
        cadence=item.cadence,
        due_day=item.due_day,
        kind=item.kind,
        updated_by=actor,
    )
    if co_units:
        second.co_units.set(co_units)
    renumber(item.directive)
    second.refresh_from_db()
    item.refresh_from_db()
    return second


UNSET = object()


def _selection(directive: Directive, items: Sequence[DecompositionItem]) -> list[DecompositionItem]:
    items = sorted({i.pk: i for i in items}.values(), key=lambda i: (i.position, i.pk))
    if not items:
        raise Invalid(_("请先选择条目。"))
    for item in items:
        if item.directive_id != directive.pk:
            raise Invalid(_("有条目不属于该来源文件。"))
        _editable(item)
    return items


@transaction.atomic
def items_bulk_assign(
    *,
    actor,
    directive: Directive,
    items: Sequence[DecompositionItem],
    versions: dict[int, int] | None = None,
    lead_unit=UNSET,
    co_units=UNSET,
    lead_leader=UNSET,
    deadline=UNSET,
    cadence=UNSET,
) -> list[DecompositionItem]:
    """Set the lead unit, co-units, lead leader, deadline or cadence of several rows at once. All
    or nothing: a row changed by someone else since `versions` was read, a published row or a plan
    the single edit would refuse, and no row changes."""
    _require_supervisor(actor)
    items = _selection(directive, items)
    changes = {}
    if lead_unit is not UNSET:
        changes["lead_unit"] = lead_unit
    if lead_leader is not UNSET:
        changes["lead_leader"] = lead_leader
    if deadline is not UNSET:
        changes["deadline"] = deadline
    if cadence is not UNSET:
        changes["cadence"] = cadence
    if not changes and co_units is UNSET:
        raise Invalid(_("请选择要批量设置的内容。"))
    versions = versions or {}
    for item in items:
        cadence_now = changes.get("cadence", item.cadence)
        check_plan(
            deadline=changes.get("deadline", item.deadline),
            cadence=cadence_now,
            # A new cadence drops a 报送日 that would not fit it.
            due_day=None if "cadence" in changes and cadence_now != item.cadence else item.due_day,
            deadline_changed="deadline" in changes,
        )
    for item in items:
        fields = dict(changes)
        if "cadence" in fields and fields["cadence"] != item.cadence:
            fields["due_day"] = None
        if "deadline" in fields and fields["deadline"] != item.deadline:
            fields["deadline_edited"] = True
        _bump(item, versions.get(item.pk), actor, **fields)
        if co_units is not UNSET:
            item.co_units.set([u for u in co_units if u.pk != item.lead_unit_id])
        elif item.lead_unit_id:
            item.co_units.remove(item.lead_unit_id)
    return items


@transaction.atomic
def items_set_state(
    *, actor, directive: Directive, items: Sequence[DecompositionItem], state: str, versions: dict[int, int] | None = None
) -> list[DecompositionItem]:
    """Accept, drop or restore the selected rows together (all or nothing)."""
    _require_supervisor(actor)
    items = _selection(directive, items)
    versions = versions or {}
    for item in items:
        item_set_state(actor=actor, item=item, state=state, expected_version=versions.get(item.pk))
    return items


def boundaries(item: DecompositionItem) -> list[int]:
    """Where the row may be cut: offsets in the directive's text just after each clause mark
    (，；、。) inside the row's span."""
    if item.source_start is None or item.source_end is None:
        return []
    return [item.source_start + at for at in clause_boundaries(item.source_text)]


@transaction.atomic
def item_split_actions(*, actor, item: DecompositionItem, expected_version: int | None = None) -> list[DecompositionItem]:
    """拆分为各项: the row's words parsed again on their own, one row per action the parser finds
    there. The first action keeps the row; the others follow it."""
    _require_supervisor(actor)
    _editable(item)
    if item.source_start is None or item.source_end is None:
        raise Invalid(_("该条目没有原文位置，无法拆分。"))
    units = directory()
    try:
        result = parse(item.source_text, issued=item.directive.issued_on, units=units.units)
    except ParseError as exc:
        raise Invalid(str(exc)) from exc
    actions = sorted({(c.start, c.end): c for c in result.tasks if c.end > c.start}.values(), key=lambda c: c.start)
    if len(actions) < 2:
        raise Invalid(_("该条只有一项工作，无需拆分。"))
    base = item.source_start
    directive = item.directive
    DecompositionItem.objects.filter(directive=directive, position__gt=item.position).update(position=F("position") + len(actions) - 1)
    rows = []
    for n, cand in enumerate(actions):
        lead = units.unit(cand.lead_unit) or item.lead_unit
        co_names = getattr(cand, "co_units", None) or [u for u in cand.units if u != cand.lead_unit]
        co = [u for u in (units.unit(name) for name in co_names) if u is not None and u != lead]
        fields = {
            "source_start": base + cand.start,
            "source_end": base + cand.end,
            "title": (cand.title or derive_title(cand.text))[:300],
            "measures": cand.measures or cand.text,
            "unit_names": [name for name in cand.units if units.unit(name) is None],
            "lead_unit": lead,
            "deadline": cand.deadline if cand.deadline_text else item.deadline,
            "deadline_text": (cand.deadline_text or item.deadline_text or "")[:100],
            "target_text": "；".join(cand.targets),
            "origin": ItemOrigin.MANUAL,
        }
        if n == 0:
            _bump(item, expected_version, actor, **fields)
            row = item
        else:
            row = DecompositionItem.objects.create(
                directive=directive,
                position=item.position + n,
                state=item.state,
                section=item.section,
                parent=item.parent,
                lead_leader=item.lead_leader,
                lead_leader_text=item.lead_leader_text,
                cadence=item.cadence,
                due_day=item.due_day,
                kind=cand.kind,
                updated_by=actor,
                **fields,
            )
        row.co_units.set(list(dict.fromkeys(co)))
        rows.append(row)
    renumber(directive)
    return rows


@transaction.atomic
def item_map_unit(*, actor, item: DecompositionItem, name: str, unit: Unit) -> Unit:
    """对应到…: a unit name the directory did not know, as the document wrote it, is this unit.
    The name becomes the unit's alias (so the next parse knows it), and every row of the directive
    that named it now has the unit: as lead unit when it had none, otherwise among the co-units."""
    _require_supervisor(actor)
    _editable(item)
    name = (name or "").strip()
    if name not in item.unit_names:
        raise Invalid(_("该条目没有提到“%(name)s”。") % {"name": name})
    if not unit.active:
        raise Invalid(_("单位“%(name)s”已停用。") % {"name": unit.name})
    unit_alias_add(actor=actor, unit=unit, alias=name)
    for row in item.directive.items.exclude(state=ItemState.PUBLISHED):
        if name not in row.unit_names:
            continue
        fields = {"unit_names": [n for n in row.unit_names if n != name]}
        if not row.lead_unit_id:
            fields["lead_unit"] = unit
        _bump(row, row.version, actor, **fields)
        if row.lead_unit_id != unit.pk:
            row.co_units.add(unit)
    item.refresh_from_db()
    return unit


@dataclass
class DocumentDate:
    date: dt.date | None
    year: int | None
    text: str
    source: str
    mismatch: bool


def document_date(directive: Directive) -> DocumentDate | None:
    """The date the document gives itself (发布时间, "9月3日，市政府召开…", the year of its 文号),
    compared with the directive's date, so the page can warn before deadlines resolve against it."""
    text = directive.text or ""
    try:
        found = detect_date(full_width(text), directive.issued_on.year)
    except Exception:  # the warning is a help; a text it cannot read must not break the page
        return None
    if not found:
        return None
    date, year = found.get("date"), found.get("year")
    if date is not None:
        mismatch = date != directive.issued_on
    else:
        mismatch = year is not None and year != directive.issued_on.year
    evidence = text[found.get("start", 0) : found.get("end", 0)].strip() or str(found.get("text") or "")
    return DocumentDate(date=date, year=year, text=evidence[:80], source=str(found.get("source") or ""), mismatch=mismatch)


# --- publishing ------------------------------------------------------------------------------


def publish_problems(items: Iterable[DecompositionItem], today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    problems = []
    for number, item in enumerate(items, start=1):
        missing = [
            label
            for label, value in ((_("工作任务"), item.title.strip()), (_("牵头单位"), item.lead_unit_id), (_("完成时限"), item.deadline))
            if not value
        ]
        if missing:
            problems.append(
                _("第%(n)d条「%(title)s」缺少：%(fields)s")
                % {"n": number, "title": item.title[:30], "fields": "、".join(str(m) for m in missing)}
            )
            continue
        for _field, message in rules.plan_problems(start_on=None, deadline=item.deadline, cadence=item.cadence, due_day=item.due_day,
                                                   published_on=today):
            problems.append(_("第%(n)d条「%(title)s」：%(problem)s") % {"n": number, "title": item.title[:30], "problem": message})
    return problems


@transaction.atomic
def directive_publish(*, actor, directive: Directive, today: dt.date | None = None) -> list:
    """Publish every accepted row as a task (task_create + task_publish), each keeping the span of
    the words it came from. All or nothing: one incomplete row and nothing is published."""

    _require_supervisor(actor)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    items = list(
        directive.items.filter(state=ItemState.ACCEPTED, task__isnull=True)
        .select_related("lead_unit", "lead_leader", "parent__task")
        .prefetch_related("co_units")
        .order_by("position", "pk")
    )
    if not items:
        raise Invalid(_("没有已采纳、待发布的条目。请先采纳要发布的候选任务。"))
    problems = publish_problems(items, today)
    if problems:
        raise Invalid(_("有 %(n)d 条尚不完整，未发布任何任务。") % {"n": len(problems)}, problems)
    tasks_by_item: dict[int, object] = {}
    tasks = []
    for item in items:
        parent_task = None
        if item.parent_id:
            parent_task = tasks_by_item.get(item.parent_id) or (item.parent.task if item.parent else None)
        try:
            task = task_create(
                actor=actor,
                title=item.title,
                directive=directive,
                parent=parent_task,
                measures=item.measures,
                lead_leader=item.lead_leader,
                lead_unit=item.lead_unit,
                co_units=list(item.co_units.all()),
                deadline=item.deadline,
                deadline_text=item.deadline_text,
                cadence=item.cadence,
                due_day=item.due_day,
                target_text=item.target_text,
                source_start=item.source_start,
                source_end=item.source_end,
                source_text=item.source_text,
            )
            task_publish(actor=actor, task=task, today=today)
        except LuoshiError as exc:
            raise Invalid(_("「%(title)s」：%(error)s") % {"title": item.title[:30], "error": exc}) from exc
        tasks_by_item[item.pk] = task
        _bump(item, None, actor, state=ItemState.PUBLISHED, task=task)
        tasks.append(task)
    _move(directive, "publish", actor=actor, reason=_("发布 %(n)d 项任务") % {"n": len(tasks)})
    return tasks


# --- 任务分解表 export and import --------------------------------------------------------------


def export_rows(directive: Directive) -> list[table.Row]:
    """Accepted and published rows; before anything is accepted, every live candidate, so the draft
    table can be sent round for comment. A published row carries its task's number before the title,
    as the table exported from the reports page does, so either file imports back onto its rows."""
    items = (
        directive.items.exclude(state=ItemState.DROPPED)
        .select_related("lead_unit", "lead_leader", "task__directive")
        .prefetch_related("co_units")
    )
    chosen = [i for i in items if i.state in (ItemState.ACCEPTED, ItemState.PUBLISHED)] or list(items)
    return [
        table.Row(
            title=table.title_cell(i.task.citation, i.title) if i.task_id else i.title,
            measures=i.measures,
            lead_leader=(i.lead_leader.name or i.lead_leader.username) if i.lead_leader else i.lead_leader_text,
            lead_unit=i.lead_unit.display_name if i.lead_unit else "",
            co_units=[u.display_name for u in i.co_units.all()],
            deadline=i.deadline,
            deadline_text=i.deadline_text,
            section=i.section,
            start=i.source_start,
            end=i.source_end,
        )
        for i in chosen
    ]


def export_xlsx(directive: Directive) -> bytes:
    subtitle = _("来源：%(title)s（%(date)s）") % {"title": directive.title, "date": directive.issued_on.isoformat()}
    return table.workbook(title=_("任务分解表"), subtitle=subtitle, rows=export_rows(directive))


@dataclass
class _ImportRow:
    row: int
    title: str
    measures: str
    lead_leader: User | None
    lead_unit: Unit
    co_units: list[Unit]
    deadline: dt.date | None
    deadline_text: str
    span: tuple[int, int] | None
    item: DecompositionItem | None
    task: Task | None


def _cell(values: Sequence, cols: dict[str, int], key: str):
    index = cols.get(key)
    if index is None or index >= len(values):
        return None
    return values[index]


def _same_row(row: _ImportRow, obj) -> bool:
    """Whether `obj` (a row of the table or its published task) already says what the file's row
    says. A date cell is all the export writes for a deadline, so the words kept beside a known date
    (年底前) are not a difference."""
    deadline_same = obj.deadline == row.deadline and (
        row.deadline_text == obj.deadline_text or (row.deadline is not None and not row.deadline_text)
    )
    return (
        obj.title.strip() == row.title
        and (obj.measures or "").strip() == row.measures
        and obj.lead_leader_id == (row.lead_leader.pk if row.lead_leader else None)
        and obj.lead_unit_id == row.lead_unit.pk
        and deadline_same
        and {u.pk for u in obj.co_units.all() if u.pk != obj.lead_unit_id} == {u.pk for u in row.co_units}
    )


def _retitled(span, by_span: dict, file_titles: set[str], file_spans: Counter) -> DecompositionItem | None:
    """The draft row a line stands for whose title was retyped in the sheet: of the rows drawn from
    the very words the line's 来源 names, the one whose own title is nowhere in the file, when no
    other line found by no title names those words (a row copied to split it keeps the old title
    on one line, and each copy is then a row of its own; two rows may so share their words)."""
    same = [i for i in by_span.get(span, []) if i.title.strip() not in file_titles] if span is not None else []
    if len(same) == 1 and file_spans[span] == 1:
        return same[0]
    return None


@transaction.atomic
def decomposition_import(*, actor, directive: Directive, data: bytes, dry_run: bool = False) -> ImportReport:
    """Read a 任务分解表 into the directive's decomposition as accepted rows. Every row is checked
    first; if any is rejected, nothing is saved.

    Which existing row a line of the file is: a 工作任务 that begins with the number of one of this
    directive's tasks and a space (what the exported table writes for a published row) is that
    task's row, whatever its title now says; otherwise a 工作任务 equal to one live row's title is
    that row; otherwise a draft row whose title was retyped is found by its 来源 (`_retitled`).
    Anything else is a new row. Titles are compared exactly, never by likeness, so two
    different tasks are never merged; a title shared by two live rows matches neither and is refused.
    A matched draft row whose cells differ is updated; a published row must come back as it was
    exported (its task is changed on the task page), so importing an exported table unedited
    changes nothing."""
    _require_supervisor(actor)
    report = ImportReport()
    try:
        rows, header_index, cols = read_table(data, table.IMPORT_COLUMNS, table.REQUIRED)
    except SpreadsheetError as exc:
        report.error(0, str(exc))
        return report
    except Exception:
        report.error(0, _("无法读取：Excel 文件已损坏或格式不正确。"))
        return report
    units = directory()
    leaders = _leaders()
    text = directive.text
    live = list(
        directive.items.exclude(state=ItemState.DROPPED)
        .select_related("task__directive")
        .prefetch_related("co_units", "task__co_units")
    )
    item_of_task = {i.task_id: i for i in live if i.task_id}
    # Every task of the directive, not only those published from a row: a sub-task added on the
    # task page is in the exported table too, and must not come back as a new row.
    by_citation = {t.citation: t for t in directive.tasks.select_related("directive").prefetch_related("co_units") if t.citation}
    by_title: dict[str, list[DecompositionItem]] = {}
    by_span: dict[tuple[int, int], list[DecompositionItem]] = {}
    for i in live:
        by_title.setdefault(i.title.strip(), []).append(i)
        if i.state != ItemState.PUBLISHED and i.source_start is not None and i.source_end is not None:
            by_span.setdefault((i.source_start, i.source_end), []).append(i)
    lines = [values for values in rows[header_index + 1 :] if any(v is not None for v in values)]
    titled = [table.split_title(str(_cell(v, cols, "title") or "").strip(), by_citation) for v in lines]
    file_titles = {title for _citation, title in titled}
    # the lines no number or title places, by the words they name
    file_spans = Counter(
        table.span_of(_cell(v, cols, "source")) for v, (citation, title) in zip(lines, titled) if not citation and title not in by_title
    )
    parsed: list[_ImportRow] = []
    seen: dict[object, int] = {}
    for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {key: _cell(values, cols, key) for key in cols}
        if all(v is None for k, v in cells.items()):
            continue
        citation, title = table.split_title(str(cells.get("title") or "").strip(), by_citation)
        task = by_citation[citation] if citation else None
        item = item_of_task.get(task.pk) if task is not None else None
        errors_before = len(report.errors)
        if not title:
            report.error(offset, _("工作任务为空"), column=_("工作任务"))
        elif task is None and len(by_title.get(title, ())) > 1:
            report.error(
                offset, _("已有 %(n)d 条同名的工作任务，无法确定对应哪一条；请先在分解表页面修改其中一条的标题") % {"n": len(by_title[title])},
                column=_("工作任务"),
            )
        else:
            if task is None and title in by_title:
                item = by_title[title][0]
            elif task is None:
                item = _retitled(table.span_of(cells.get("source")), by_span, file_titles, file_spans)
            if item is not None and task is None:
                task = item.task
            key = ("task", task.pk) if task is not None else ("item", item.pk) if item is not None else ("new", title)
            if key in seen:
                report.error(offset, _("与第%(row)d行的工作任务重复") % {"row": seen[key]}, column=_("工作任务"))
            else:
                seen[key] = offset
        lead_name = str(cells.get("lead_unit") or "").strip()
        lead = units.unit(lead_name) if lead_name else None
        if not lead_name:
            report.error(offset, _("牵头单位为空"), column=_("牵头单位"))
        elif lead is None:
            report.error(offset, _("单位“%(name)s”不在单位名录中") % {"name": lead_name}, column=_("牵头单位"))
        co: list[Unit] = []
        for name in split_names(str(cells.get("co_units") or "")):
            unit = units.unit(name)
            if unit is None:
                report.error(offset, _("单位“%(name)s”不在单位名录中") % {"name": name}, column=_("责任单位"))
            elif unit != lead and unit not in co:
                co.append(unit)
        leader_text = str(cells.get("lead_leader") or "").strip()
        leader = match_leader(leader_text, leaders)
        # a leader the row names only in words (not in the address book) is exported as those words
        if leader_text and leader is None and not (item is not None and item.lead_leader_id is None and item.lead_leader_text == leader_text):
            report.error(offset, _("牵头领导“%(name)s”不在通讯录的领导中") % {"name": leader_text}, column=_("牵头领导"))
        raw_deadline = cells.get("deadline")
        deadline, deadline_text = None, ""
        if raw_deadline is not None:
            try:
                deadline = parse_date(raw_deadline)
            except ValueError:
                # Read as the parser reads a table's 完成时限 cell (6月, 2026.6, 6.30); a duty with no end
                # (长期坚持) or 立即 is kept as words, and the row waits for a date before it is published.
                deadline_text, deadline = field_deadline(str(raw_deadline), directive.issued_on)
                if deadline is None and not ongoing(str(raw_deadline)) and find_deadline(str(raw_deadline), None)[0] is None:
                    report.error(
                        offset,
                        _("完成时限“%(value)s”无法识别（示例：2026-12-31、年底前）") % {"value": raw_deadline},
                        column=_("完成时限"),
                    )
                deadline_text = str(raw_deadline)[:100]
        published = task is not None or (item is not None and item.state == ItemState.PUBLISHED)
        if deadline is not None and not published:
            # the same plan rule as a row edited on the page: its task would start today at the earliest
            for _field, message in rules.plan_problems(start_on=None, deadline=deadline, cadence=rules.P.MONTHLY, due_day=None,
                                                       published_on=timezone.localdate()):
                report.error(offset, message, column=_("完成时限"))
        span = table.span_of(cells.get("source"))
        if span and span[1] > len(text):
            span = None
        if len(report.errors) == errors_before:
            row = _ImportRow(
                offset, title, str(cells.get("measures") or "").strip(), leader, lead, co, deadline, deadline_text, span, item, task
            )
            if published and not any(obj is not None and _same_row(row, obj) for obj in (task, item)):
                report.error(
                    offset,
                    _("此行已发布为任务 %(number)s，表中的修改不能导入；请到任务页面修改") % {"number": task.citation if task else item.title[:30]},
                    column=_("工作任务"),
                )
            else:
                parsed.append(row)
    if not parsed and not report.errors:
        report.error(0, _("表中没有任务行。"))
    if report.errors:
        return report
    updates: list[tuple[DecompositionItem, _ImportRow, dict]] = []
    creates: list[tuple[_ImportRow, dict]] = []
    for row in parsed:
        item = row.item
        fields = {
            "measures": row.measures,
            "lead_leader": row.lead_leader,
            "lead_unit": row.lead_unit,
            "deadline": row.deadline,
            "deadline_text": row.deadline_text,
        }
        label = _("第%(row)d行 %(title)s") % {"row": row.row, "title": row.title[:30]}
        if row.task is not None or (item is not None and item.state == ItemState.PUBLISHED) or (
            item is not None and item.state == ItemState.ACCEPTED and _same_row(row, item)
        ):
            report.unchanged.append(label)
            continue
        if item is not None:
            if item.title.strip() != row.title:
                fields["title"] = row.title[:300]
            if row.deadline is not None and row.deadline == item.deadline and not row.deadline_text:
                # an unchanged date keeps the words it was read from
                fields["deadline_text"] = item.deadline_text
            updates.append((item, row, fields))
            report.updated.append(label)
            continue
        report.created.append(label)
        creates.append((row, fields))

    def write(report: ImportReport) -> None:
        position = directive.items.aggregate(m=Max("position"))["m"] or 0
        for item, row, fields in updates:
            _bump(item, None, actor, state=ItemState.ACCEPTED, deadline_edited=True, **fields)
            item.co_units.set(row.co_units)
        for row, fields in creates:
            position += 1
            new = DecompositionItem.objects.create(
                directive=directive,
                position=position,
                state=ItemState.ACCEPTED,
                origin=ItemOrigin.IMPORT,
                source_start=row.span[0] if row.span else None,
                source_end=row.span[1] if row.span else None,
                title=row.title[:300],
                deadline_edited=True,
                updated_by=actor,
                **fields,
            )
            if row.co_units:
                new.co_units.set(row.co_units)
        if report.created or report.updated:
            _move(directive, "import", actor=actor, reason=_("导入任务分解表 %(n)d 行") % {"n": len(parsed)})

    return apply_import(report, write, dry_run=dry_run)


def _decomposition_job(job) -> jobs.JobOutput:
    """A large 任务分解表 import, run by a background job through the same service as the page."""
    directive = access.get_directive_for_user(job.user, job.params["directive"])
    report = decomposition_import(actor=job.user, directive=directive, data=jobs.input_bytes(job), dry_run=job.dry_run)
    return jobs.JobOutput(rows=job.total or 0, summary=jobs.report_summary(report, dry_run=job.dry_run))


jobs.register("import:decomposition", _decomposition_job)
