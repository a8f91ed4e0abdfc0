"""Reads that the pages, the API and the exports share, so a filter or a count means the same
thing wherever it is read: the board, the API list and the ledger/rectification spreadsheets list
:func:`tasks_for`; the dashboard cards, the workbench, the bulletin and the trend snapshot count
with :func:`task_counts`.

The facts themselves are defined in :mod:`luoshi.tasks.rules`; here they are only translated into
queries (the overdue filter is :func:`luoshi.tasks.rules.overdue_days` ``> 0`` written in SQL)."""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connections
from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from luoshi.core.rows import Prepared, any_of, attnames, count_of, objects, sees_every
from luoshi.orgs.models import Unit, person_name, unit_display_name

from . import workflow
from .models import (
    Attachment, ExtensionRequest, Instruction, Milestone, ProgressReport, Task, TaskTransition, citation_of, label_of, scope_from_markers,
    scope_markers, task_scope,
)
from .numbering import canonical_code, code_tail

ACTIVE = tuple(sorted(workflow.ACTIVE_STATES))
# Drafts are not yet anybody's work and cancelled tasks no longer are: neither is counted.
NOT_COUNTED = (workflow.DRAFT, workflow.CANCELLED)
LEVELS = ("red", "yellow", "green", "done", "none")
COUNTS = (*LEVELS, "total", "overdue")

SORTS = ("health", "number", "deadline", "-deadline", "progress", "behind", "unit")


def with_stopped_on(tasks: QuerySet) -> QuerySet:
    """Annotate ``stopped_on``: the day a pending closure was requested (the task's clock stops
    then, see :func:`luoshi.tasks.rules.clock_date`); None for any other task."""
    requested = (
        TaskTransition.objects.filter(task_id=OuterRef("pk"), to_status=workflow.CLOSURE_REQUESTED)
        .order_by("-created_at")
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")[:1]
    )
    return tasks.annotate(stopped_on=Subquery(requested, output_field=DateField()))


def overdue_q(today: dt.date) -> Q:
    """Being worked on and overdue by :func:`luoshi.tasks.rules.overdue_days` on ``today``: past
    the deadline, unless the clock stopped (closure requested) on or before it. Needs
    :func:`with_stopped_on`."""
    stopped_in_time = Q(status=workflow.CLOSURE_REQUESTED, stopped_on__isnull=False, stopped_on__lte=F("deadline"))
    return Q(status__in=ACTIVE, deadline__lt=today) & ~stopped_in_time


def unit_ids_under(unit_id: int) -> set[int]:
    """A unit and every unit below it: a filter on a unit takes in its sub-units, as a viewer's
    scope does."""
    return Unit.objects.with_descendants({unit_id})


def counted(user) -> QuerySet:
    """The tasks a viewer sees that are somebody's work (neither draft nor cancelled)."""
    return Task.objects.visible_to(user).exclude(status__in=NOT_COUNTED)


def search_q(q: str) -> Q:
    """What a task search box matches: title or measures, or the citable number however it is
    typed (〔2026〕3-1.2, 2026-3-1.2, or 3-1.2 without the year, which finds it in every year)."""
    found = Q(title__icontains=q) | Q(measures__icontains=q) | Q(number=q) | Q(code=canonical_code(q) or q)
    tail = code_tail(q)
    return found | Q(code__endswith=tail) if tail else found


def filter_tasks(tasks: QuerySet, filters: dict, *, today: dt.date | None = None) -> QuerySet:
    """Apply the board's filters (already validated values) to ``tasks``. ``unit`` = tasks the unit
    or a unit below it works on (leads or shares); add ``lead`` to keep only those it leads."""
    today = today or timezone.localdate()
    if filters.get("q"):
        tasks = tasks.filter(search_q(filters["q"]) | Q(tags__contains=filters["q"]))
    if filters.get("health"):
        tasks = tasks.filter(health=filters["health"])
    status = filters.get("status")
    if status == "active":
        tasks = tasks.filter(status__in=workflow.ACTIVE_STATES)
    elif status:
        tasks = tasks.filter(status=status)
    if filters.get("kind"):
        tasks = tasks.filter(kind=filters["kind"])
    if filters.get("unit"):
        ids = unit_ids_under(int(filters["unit"]))
        if filters.get("lead"):
            tasks = tasks.filter(lead_unit_id__in=ids)
        else:
            co = Task.co_units.through.objects.filter(unit_id__in=ids).values("task_id")
            tasks = tasks.filter(Q(lead_unit_id__in=ids) | Q(pk__in=co))
    if filters.get("leader"):
        tasks = tasks.filter(lead_leader_id=filters["leader"])
    if filters.get("directive"):
        tasks = tasks.filter(directive_id=filters["directive"])
    if filters.get("deadline_from"):
        tasks = tasks.filter(deadline__gte=filters["deadline_from"])
    if filters.get("deadline_to"):
        tasks = tasks.filter(deadline__lte=filters["deadline_to"])
    if filters.get("parent"):
        tasks = tasks.filter(parent_id=filters["parent"])
    if filters.get("overdue") not in (None, "", "0", False):
        tasks = with_stopped_on(tasks).filter(overdue_q(today))
    return tasks


def tasks_for(user, filters: dict | None = None, *, today: dt.date | None = None, counted_only: bool = False) -> QuerySet:
    """The one board/ledger/API list: the tasks ``user`` sees, filtered and sorted."""
    filters = filters or {}
    tasks = counted(user) if counted_only else Task.objects.visible_to(user)
    tasks = filter_tasks(tasks, filters, today=today)
    return board_order(tasks, filters.get("sort"))


# The board's default order, red first, nearest deadline first (the workbench lists a unit's tasks so).
BOARD_HEALTH_ORDER = ("health_rank", F("deadline").asc(nulls_last=True), "pk")


def board_order(tasks: QuerySet, sort: str | None) -> QuerySet:
    """``tasks`` in the board's order ``sort`` (by health when none), with what its rows show."""
    order = {
        "health": BOARD_HEALTH_ORDER,
        "number": ["directive_id", "number", "pk"],
        "deadline": [F("deadline").asc(nulls_last=True), "pk"],
        "-deadline": [F("deadline").desc(nulls_last=True), "-pk"],
        "progress": [F("progress_percent").asc(nulls_first=True), "pk"],
        "behind": [(F("progress_percent") - F("expected_percent")).asc(nulls_last=True), "pk"],
        "unit": ["lead_unit__sort_order", "lead_unit_id", "pk"],
    }[sort or "health"]
    return (
        tasks.select_related("lead_unit", "lead_leader", "directive")
        .defer("directive__text")
        .prefetch_related("co_units")
        .order_by(*order)
    )


class BoardRow:
    """One row of the board as it is shown, read as plain values: the board's page reads fifty of
    them where a model instance with its unit, leader and co-units would cost four times the SQL."""

    __slots__ = (
        "pk", "title", "citation", "health", "health_reasons", "status", "deadline", "expected_percent", "progress_percent",
        "lead_unit_name", "lead_leader_name", "co_unit_names",
    )

    def get_health_display(self) -> str:
        return label_of(Task, "health", self.health)

    def get_status_display(self) -> str:
        return label_of(Task, "status", self.status)


_BOARD_COLUMNS = (
    "pk", "title", "code", "number", "health", "health_reasons", "status", "deadline", "expected_percent", "progress_percent",
    "lead_unit__name", "lead_unit__short_name", "lead_leader__name", "lead_leader__username",
)


class BoardRows:
    """The rows of :func:`tasks_for` as :class:`BoardRow`, for a Paginator: ``count()`` counts them,
    a slice reads that slice's rows in one query and their co-units in one more."""

    def __init__(self, tasks: QuerySet):
        self.tasks = tasks.prefetch_related(None)
        self.ordered = tasks.ordered  # Paginator warns about pages of an unordered list

    def count(self) -> int:
        return self.tasks.count()

    def __getitem__(self, index: slice) -> list[BoardRow]:
        if not isinstance(index, slice):
            raise TypeError("BoardRows are read a page (a slice) at a time")
        return board_rows(self.tasks.values_list(*_BOARD_COLUMNS)[index])


def board_rows(values) -> list[BoardRow]:
    """:class:`BoardRow` of each of ``values`` (tuples of ``_BOARD_COLUMNS``), with their co-units."""
    rows = []
    for pk, title, code, number, health, reasons, status, deadline, expected, progress, unit, unit_short, leader, login in values:
        row = BoardRow()
        row.pk, row.title, row.citation, row.health, row.health_reasons = pk, title, citation_of(code, number), health, reasons
        row.status, row.deadline, row.expected_percent, row.progress_percent = status, deadline, expected, progress
        row.lead_unit_name = unit_display_name(unit, unit_short) if unit is not None else ""
        row.lead_leader_name = person_name(leader, login) if login is not None else ""
        rows.append(row)
    note_co_unit_names(rows)
    return rows


# Whoever sees every task opens the board and the tree unfiltered first: their first pages, each
# read with the count of all by one statement compiled once (building and compiling the page's two
# reads cost it more CPU than the database took to answer them). The count is a sub-query the
# database answers once, not a window over every row.
def with_count_of_all(tasks: QuerySet) -> QuerySet:
    """``tasks`` with ``total``: how many tasks there are, what ``Task.objects.count()`` answers."""
    return tasks.annotate(total=Subquery(count_of(Task.objects.all())))


@functools.cache
def _every_first_board_page(size: int) -> Prepared:
    return Prepared(lambda: with_count_of_all(board_order(Task.objects.all(), None)).values(*_BOARD_COLUMNS, "total")[:size])


def every_first_board_page(size: int) -> tuple[list[BoardRow], int]:
    """The board's first ``size`` rows of every task, unfiltered, in its default order, and the
    number of tasks."""
    found = _every_first_board_page(size).rows(using=Task.objects.db)
    rows = board_rows(tuple(row[name] for name in _BOARD_COLUMNS) for row in found)
    return rows, (found[0]["total"] if found else 0)


def co_units_order(alias: str, connection) -> str:
    """SQL ordering the rows of ``alias`` (the units table) as ``task.co_units.all()`` orders a
    task's co-units (the units' own ordering), for the statements written by hand that read them."""
    q = connection.ops.quote_name
    return ", ".join(
        f"{alias}.{q(Unit._meta.get_field(name.lstrip('-')).column)}{' DESC' if name.startswith('-') else ''}" for name in Unit._meta.ordering
    )


def note_co_unit_names(tasks) -> None:
    """Set ``co_unit_names`` on each of ``tasks`` (objects with a ``pk``): its co-units' display
    names in the order of ``task.co_units.all()``, read with one statement for the lot, written by
    hand with the ids as one array: prefetched, each task cost a queryset and each co-unit a model
    object, and the ORM's ``__in`` over a page of ids cost more CPU than the database's answer."""
    by_pk = {}
    for task in tasks:
        task.co_unit_names = []
        by_pk[task.pk] = task
    if not by_pk:
        return
    connection = connections[Task.objects.db]
    q = connection.ops.quote_name
    through, unit = q(Task.co_units.through._meta.db_table), q(Unit._meta.db_table)
    tasks_sql, params = any_of("c.task_id", list(by_pk), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.task_id, u.name, u.short_name FROM {through} c JOIN {unit} u ON u.id = c.unit_id "
            f"WHERE {tasks_sql} ORDER BY {co_units_order('u', connection)}, c.unit_id",
            params,
        )
        co_units = cursor.fetchall()
    for task_id, name, short_name in co_units:
        by_pk[task_id].co_unit_names.append(unit_display_name(name, short_name))


def count_expressions(today: dt.date) -> dict:
    """The aggregate expressions of :func:`task_counts` (over a queryset annotated with
    :func:`with_stopped_on`)."""
    counts = {level: Count("pk", filter=Q(health=level)) for level in LEVELS}
    counts["overdue"] = Count("pk", filter=overdue_q(today))
    counts["total"] = Count("pk")
    return counts


def task_counts(user, today: dt.date | None = None, *, tasks: QuerySet | None = None, **filters) -> dict[str, int]:
    """``{red, yellow, green, done, none, total, overdue}`` over the counted tasks ``user`` sees
    (or over ``tasks``), after the board's ``filters``."""
    today = today or timezone.localdate()
    tasks = counted(user) if tasks is None else tasks
    tasks = filter_tasks(tasks, filters, today=today)
    found = with_stopped_on(tasks).order_by().aggregate(**count_expressions(today))
    return {k: found[k] or 0 for k in COUNTS}


# What a person who sees every task (a supervisor) counts, compiled once: the workbench asks on
# every visit, and building the aggregate cost more CPU than the database took to answer it.
# COUNT(*), not COUNT(id): with only health and status named, PostgreSQL counts from the (health,
# status) index alone instead of reading every row of a table the sweep has rewritten (3 ms, not 13).
_EVERY_HEALTH = Prepared(lambda: Task.objects.exclude(status__in=NOT_COUNTED).order_by().values("health").annotate(n=Count("*")))


def health_counts(user) -> dict[str, int]:
    """How many of the counted tasks ``user`` sees are at each health level: :func:`task_counts`'s
    levels, without its overdue and total counts."""
    if sees_every(Task.objects.all(), user):
        rows = _EVERY_HEALTH.rows()
    else:
        rows = counted(user).order_by().values("health").annotate(n=Count("*"))
    found = dict.fromkeys(LEVELS, 0)
    for row in rows:
        if row["health"] in found:
            found[row["health"]] += row["n"]
    return found


# --- the task page -------------------------------------------------------------------------------
# What the task page lists of one task, each kind in one statement compiled once (``Prepared``) and
# loaded without ``Model.__init__``: compiling these per request (or reading them through
# ``RawQuerySet``, which builds each row and each person named by ``__init__``) cost about as much
# CPU as the rest of the page. The people and units are read by the columns the page names them by;
# any other column of theirs is deferred.
def _named(*links: str) -> tuple[str, ...]:
    """The columns of the people (or units) ``links`` point to that the page shows."""
    found = []
    for link in links:
        columns = ("name", "short_name") if link == "unit" else ("name", "username")
        found += [f"{link}__id", *(f"{link}__{c}" for c in columns)]
    return tuple(found)


_PAGE_READS = {
    "reports": (
        Prepared(lambda pk: ProgressReport.objects.filter(task=pk).order_by("-submitted_at", "-pk").values(
            *attnames(ProgressReport), *_named("unit", "submitted_by"))),
        ProgressReport, ("unit", "submitted_by"),
    ),
    "transitions": (
        Prepared(lambda pk: TaskTransition.objects.filter(task=pk).order_by("created_at", "pk").values(
            *attnames(TaskTransition), *_named("actor"))),
        TaskTransition, ("actor",),
    ),
    "attachments": (
        Prepared(lambda pk: Attachment.objects.filter(task=pk).order_by("pk").values("id", "report_id", "transition_id", "name", "size")),
        Attachment, (),
    ),
    "instructions": (
        Prepared(lambda pk: Instruction.objects.filter(task=pk).order_by("-created_at", "-pk").values(
            *attnames(Instruction), *_named("author"))),
        Instruction, ("author",),
    ),
    "extensions": (
        Prepared(lambda pk: ExtensionRequest.objects.filter(task=pk).order_by("-created_at", "-pk").values(
            *attnames(ExtensionRequest), *_named("requested_by", "decided_by"))),
        ExtensionRequest, ("requested_by", "decided_by"),
    ),
    "milestones": (
        Prepared(lambda pk: Milestone.objects.filter(task=pk).order_by("due_on", "pk").values(*attnames(Milestone))),
        Milestone, (),
    ),
}


def task_page_rows(task) -> dict:
    """The task's reports (newest first, each with its unit and who sent it), state changes
    (oldest first, with who), instructions and extension requests (newest first, with who asked
    and who decided), milestones (by date), and the files of its reports and state changes,
    keyed ("report", pk) / ("transition", pk): six statements whatever the task holds."""
    using = Task.objects.db
    found = {
        kind: objects(model, read.rows(task.pk, using=using), related=related, using=using)
        for kind, (read, model, related) in _PAGE_READS.items()
    }
    files: dict[tuple[str, int], list] = {}
    for attachment in found.pop("attachments"):
        if attachment.report_id:
            files.setdefault(("report", attachment.report_id), []).append(attachment)
        if attachment.transition_id:
            files.setdefault(("transition", attachment.transition_id), []).append(attachment)
    found["files"] = files
    return found


# A task's co-units, as ``prefetch_related("co_units")`` reads them (the units' own order): the
# statement is the same for everyone, so it is compiled once.
_UNIT_COLUMNS = attnames(Unit)
_CO_UNITS = Prepared(lambda pk: Unit.objects.filter(co_tasks=pk).values(*_UNIT_COLUMNS))


def keep_co_units(task: Task) -> list[Unit]:
    """Read the task's co-units once and keep them on it, where ``task.co_units.all()`` finds them
    (as ``prefetch_related_objects`` keeps them): the roles, the report form and the page each ask."""
    units = objects(Unit, _CO_UNITS.rows(task.pk, using=Task.objects.db), using=Task.objects.db)
    kept = task.co_units.all()
    kept._result_cache, kept._prefetch_done = units, True
    cache = task.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[Task.co_units.field.name] = kept
    return units


# The most ancestors a task's relatives are read for with a statement compiled once (deeper
# tasks, which plans do not have, are read through the ORM).
_MOST_ANCESTORS = 6
_TASK_COLUMNS = attnames(Task)
_LEAD_UNIT_COLUMNS = tuple(f"lead_unit__{name}" for name in _UNIT_COLUMNS)


def _relatives_query(tasks: QuerySet, task_id, directive_id, numbers) -> QuerySet:
    """A task's sub-tasks and its ancestors (numbers 1 and 1.2 of 1.2.3: an indexed lookup rather
    than a recursive query over the whole tree), with their lead units, in plan order."""
    wanted = Q(parent=task_id)
    if numbers:
        wanted |= Q(directive_id=directive_id, number__in=numbers)
    return tasks.filter(wanted).order_by("position", "pk")


@functools.cache
def _relatives_read(depth: int, directive: bool, shape: tuple) -> Prepared:
    """The relatives of a task with ``depth`` ancestors, of a directive or of none (whose ancestors
    have none either: the statement says IS NULL, which no value put in its place would), read
    through a scope of ``shape`` (``models.scope_markers``), compiled once."""
    def build(task_id, directive_id, leader_id, u1, u2, u3, u4, u5, u6, n1, n2, n3, n4, n5, n6):
        tasks = Task.objects.within(scope_from_markers(shape, leader_id, u1, u2, u3, u4, u5, u6), few=True)
        numbers = [n1, n2, n3, n4, n5, n6][:depth]
        of = _relatives_query(tasks, task_id, directive_id if directive else None, numbers)
        return of.values(*_TASK_COLUMNS, *_LEAD_UNIT_COLUMNS)
    return Prepared(build)


def task_relatives(user, task: Task) -> tuple[list[Task], list[Task]]:
    """The task's sub-tasks the user sees (in plan order) and its ancestors (root first)."""
    numbers = []
    if task.parent_id and task.number:
        parts = task.number.split(".")
        numbers = [".".join(parts[:i]) for i in range(1, len(parts))]
    compiled = scope_markers(task_scope(user)) if len(numbers) <= _MOST_ANCESTORS else None
    if compiled is not None:
        shape, scope_values = compiled
        read = _relatives_read(len(numbers), task.directive_id is not None, shape)
        values = [task.pk, task.directive_id, *scope_values, *numbers, *[None] * (_MOST_ANCESTORS - len(numbers))]
        found = objects(Task, read.rows(*values, using=Task.objects.db), related=("lead_unit",))
    else:
        found = list(_relatives_query(Task.objects.visible_to(user), task.pk, task.directive_id, numbers).select_related("lead_unit"))
    children = [t for t in found if t.parent_id == task.pk]
    ancestors = sorted((t for t in found if t.parent_id != task.pk), key=lambda a: a.number.count("."))
    return children, ancestors
