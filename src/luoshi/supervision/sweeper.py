"""The daily sweep (`luoshi sweep`): recompute the health of every active task, send the due
reminders, mark unanswered actions overdue, propose escalations, and retry failed deliveries.

Idempotent by construction: every reminder and proposal is named by a key for the fact it tells
(report_due:<task>:<unit>:<period> …) that is unique in the database, so a second sweep the same
day, or a second sweep running at the same moment, finds the key taken and sends nothing; outbound
deliveries are claimed with a conditional UPDATE before sending. Nothing runs in one long
transaction, so two sweeps do not block each other for long."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext as _

from luoshi.core import bulk, collector
from luoshi.core.rows import whole_objects
from luoshi.orgs import jobs, sessions
from luoshi.orgs.access import SYSTEM
from luoshi.orgs.models import Unit, User
from luoshi.tasks import assess, extensions, periods, rules
from luoshi.tasks.models import Milestone, ProgressReport, Task, TaskTransition, task_urls
from luoshi.tasks.workflow import ACTIVE_STATES

from . import ladder
from .models import Channel, Delivery, EscalationProposal, Message, Notification, SupervisionAction, red_reason, render_proposal_reason, unanswered_reason
from .services import (
    action_expire, conf, deliver_due, deliveries_due, notify_many, proposal_make, proposals_make_many, proposals_withdraw, retry_locked,
)

CHUNK = 1000

#: From this many new messages on, the sweep refreshes the statistics of the tables it filled.
ANALYZE_AFTER = 1000


#: The steps of the ladder at or above a 督办单: a task already under one of these is not proposed again.
ORDER_OR_ABOVE = ladder.LADDER[ladder.LADDER.index(ladder.ORDER):]


@dataclass
class SweepResult:
    health_updated: int = 0
    reminders_sent: int = 0
    escalations_proposed: int = 0
    notifications_failed: int = 0
    notifications_sent: int = 0
    actions_overdue: int = 0
    tasks_assessed: int = 0
    dry_run: bool = False
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.dry_run:
            # Nothing was changed or sent: say what a real run would do.
            return (
                f"sweep (dry run, nothing changed): would update health {self.health_updated}, "
                f"would send reminders {self.reminders_sent}, would propose escalations {self.escalations_proposed}"
            )
        return (
            f"sweep: health updated {self.health_updated}, reminders sent {self.reminders_sent}, "
            f"escalations proposed {self.escalations_proposed}, notifications failed {self.notifications_failed}"
        )


@dataclass
class Reminder:
    key: str
    kind: str
    task: object
    unit: object
    words: object  # () -> (title, body): built only for reminders not yet sent

    @property
    def title(self) -> str:
        return self.words()[0]

    @property
    def body(self) -> str:
        return self.words()[1]


class _Directory:
    """People and channels per unit, loaded once per sweep instead of once per message."""

    def __init__(self):
        self.people: dict[int, list] = defaultdict(list)
        for person in User.objects.filter(is_active=True, unit__isnull=False):
            self.people[person.unit_id].append(person)
        self.channels: dict[int, list] = defaultdict(list)
        for channel in Channel.objects.filter(active=True):
            self.channels[channel.unit_id].append(channel)




def _active_tasks():
    return Task.objects.filter(status__in=ACTIVE_STATES)


def _load_chunk(lo: int, hi: int, units: dict) -> list:
    """The active tasks with ids in [lo, hi] and what the rules read of them, one query per kind
    of row. A range of ids rather than a list of them: a thousand parameters per query cost more
    to send than the rows they fetch."""
    tasks = whole_objects(_active_tasks().filter(pk__gte=lo, pk__lte=hi).order_by("pk"))
    span = {"task_id__gte": lo, "task_id__lte": hi}
    # Kept as the tuples the database returns: a first sweep at 100,000 tasks reads a million
    # reports, and a model object (or even a named tuple) for each cost more than reading them.
    reports: dict[int, list[tuple]] = defaultdict(list)
    for row in ProgressReport.objects.filter(superseded=False, **span).values_list("task_id", *assess.REPORT_FACT_COLUMNS):
        reports[row[0]].append(row[1:])
    milestones: dict[int, list] = defaultdict(list)
    for milestone in Milestone.objects.filter(**span).order_by("due_on", "pk"):
        milestones[milestone.task_id].append(milestone)
    transitions: dict[int, list] = defaultdict(list)
    for transition in TaskTransition.objects.filter(to_status="closure_requested", **span):
        transitions[transition.task_id].append(transition)
    co_units: dict[int, list] = defaultdict(list)
    for task_id, unit_id in Task.co_units.through.objects.filter(**span).order_by("unit_id").values_list("task_id", "unit_id"):
        co_units[task_id].append(units[unit_id])
    lead_unit = Task._meta.get_field("lead_unit")
    for task in tasks:
        # The units are loaded once per sweep: joined into every task's row they cost a model
        # object per task.
        if task.lead_unit_id is not None:
            lead_unit.set_cached_value(task, units[task.lead_unit_id])
        task.swept_reports = reports.get(task.pk, [])
        task.swept_report_facts = assess.lead_report_facts(task.lead_unit_id, task.swept_reports)
        task.swept_milestones = milestones.get(task.pk, [])
        task.swept_transitions = transitions.get(task.pk, [])
        task.swept_co_units = co_units.get(task.pk, [])
    extensions.preload_health(tasks)
    return tasks


class Words:
    """The reminders' templates translated once (the language is that of the whole sweep), and the
    period labels once per period: translating per reminder was a third of a first sweep's time.
    Every reminder is then two ``%`` formats of these, the same text gettext would have built."""

    def __init__(self):
        self.today = _("今日")
        self.in_days = _("%(n)d天后")
        self.due_title = _("【报送提醒】%(task)s：%(period)s进展%(when)s截止（%(due)s）")
        self.due_body = _("请%(unit)s按时报送%(period)s进展情况。")
        self.missing_title = _("【未报送】%(task)s：%(period)s进展已过截止日期（%(due)s）")
        self.missing_body = _("%(unit)s尚未报送%(period)s进展，请尽快补报。")
        self.deadline_title = _("【到期提醒】%(task)s将于%(date)s到期（还有%(n)d天）")
        self.deadline_body = _("当前进度%(p)s%%，请抓紧推进，按期完成后申请销号。")
        self._labels: dict[tuple[str, str], str] = {}

    def label(self, period) -> str:
        key = (period.cadence, period.key)
        if key not in self._labels:
            self._labels[key] = period.label
        return self._labels[key]

    def report_due(self, task, unit, period, days: int) -> tuple[str, str]:
        label = self.label(period)
        when = self.today if days == 0 else self.in_days % {"n": days}
        return (
            self.due_title % {"task": task, "period": label, "when": when, "due": period.due.isoformat()},
            self.due_body % {"unit": unit, "period": label},
        )

    def report_missing(self, task, unit, period) -> tuple[str, str]:
        label = self.label(period)
        return (
            self.missing_title % {"task": task, "period": label, "due": period.due.isoformat()},
            self.missing_body % {"unit": unit, "period": label},
        )

    def deadline(self, task, days_left: int) -> tuple[str, str]:
        return (
            self.deadline_title % {"task": task, "date": task.deadline.isoformat(), "n": days_left},
            self.deadline_body % {"p": round(task.progress_percent or 0)},
        )


def reminders_for(task, today: dt.date, words: Words | None = None) -> list[Reminder]:
    """The reminders a task calls for today (before checking which were already sent); their
    words are built from ``words`` (one per sweep) when asked for."""
    if task.status not in ("in_progress", "returned"):
        return []
    words = words or Words()
    near_report = int(conf("REMIND_REPORT_DUE_DAYS", 3))
    near_deadline = int(conf("REMIND_DEADLINE_DAYS", 7))
    found: list[Reminder] = []
    units = [task.lead_unit] + [u for u in task.swept_co_units if u.pk != task.lead_unit_id]
    owed_from = rules.reporting_from(start_on=task.start_on, published_on=task.published_on)
    if task.cadence in periods.PERIODIC_CADENCES and owed_from:
        reported = {(unit_id, key) for unit_id, key, on, _percent, _superseded in task.swept_reports if on <= today}
        current = periods.period_for(task.cadence, task.due_day, today)
        days = (current.due - today).days
        owed = rules.periods_owed(task.cadence, task.due_day, owed_from=owed_from, today=today)
        last = owed[-1] if owed else None
        for unit in units:
            if current.due >= owed_from and 0 <= days <= near_report and (unit.pk, current.key) not in reported:
                found.append(Reminder(
                    f"report_due:{task.pk}:{unit.pk}:{current.key}", Message.Kind.REPORT_DUE, task, unit,
                    partial(words.report_due, task, unit, current, days),
                ))
            if last is not None and (unit.pk, last.key) not in reported:
                found.append(Reminder(
                    f"report_missing:{task.pk}:{unit.pk}:{last.key}", Message.Kind.REPORT_MISSING, task, unit,
                    partial(words.report_missing, task, unit, last),
                ))
    days_left = assess.days_left(task, today, transitions=getattr(task, "swept_transitions", None))
    if days_left is not None and 0 <= days_left <= near_deadline:
        found.append(Reminder(
            f"deadline:{task.pk}:{task.lead_unit_id}:{task.deadline.isoformat()}", Message.Kind.DEADLINE, task, task.lead_unit,
            partial(words.deadline, task, days_left),
        ))
    return found


def _existing(model, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    if connection.vendor == "postgresql":
        # One binary array parameter rather than one parameter per key.
        with bulk.array_cursor() as cursor:
            cursor.execute(f"SELECT key FROM {connection.ops.quote_name(model._meta.db_table)} WHERE key = ANY(%b::varchar[])", [keys])
            return {key for (key,) in cursor.fetchall()}
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        found.update(model.objects.filter(key__in=keys[i : i + 500]).values_list("key", flat=True))
    return found


def _pipelined(dry_run: bool) -> bool:
    """Whether a chunk's writes may run on a connection of their own. Only on PostgreSQL (SQLite has
    one writer at a time: nothing to overlap) and outside a transaction, whose rows another
    connection could not see; a dry run writes nothing."""
    return not dry_run and connection.vendor == "postgresql" and not connection.in_atomic_block


class _Writer:
    """Runs each chunk's writes in threads with database connections of their own, while the
    caller reads and assesses the next chunk: the server's work on one chunk and the sweep's
    Python on the next then overlap instead of following each other (a first sweep at 100,000
    tasks spends longer waiting on its statements than assessing). Writes go in lanes, the
    assessments in one and the messages in another, each writing one chunk at a time in the order
    of the chunks; a third lane (the messages of alternate chunks) was measured slower on two
    cores. The lanes touch different rows, chunks cover disjoint ranges of tasks and every message
    is keyed, so a second sweep at the same moment still finds each key taken. Without threads the
    writes run at once, in the caller's connection."""

    def __init__(self, *, threaded: bool):
        self._threaded = threaded
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._pending: dict[str, Future] = {}
        self.written = 0

    def submit(self, lane: str, fn, *args) -> None:
        self._wait(lane)
        if not self._threaded:
            self.written += fn(*args) or 0
            return
        if lane not in self._pools:
            self._pools[lane] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sweep-writer-{lane}")
        self._pending[lane] = self._pools[lane].submit(fn, *args)

    def _wait(self, lane: str) -> None:
        if lane in self._pending:
            self.written += self._pending.pop(lane).result() or 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        try:
            for lane in list(self._pending):
                self._wait(lane)
        finally:
            for pool in self._pools.values():
                # Connections belong to their thread: each writer closes its own.
                pool.submit(connections.close_all).result()
                pool.shutdown()


def _write_health(changed, checked_ids, today) -> None:
    retry_locked(lambda: assess.store_health(Task, changed, checked_ids, today))


def _write_messages(reminders, *, directory, url_of, run_id, language) -> int:
    """A chunk's reminders whose keys are free. Returns how many messages it created."""
    # The words of a reminder are built here; a thread starts in the default language.
    with translation.override(language):
        taken = retry_locked(lambda: _existing(Message, [r.key for r in reminders]))
        items = [
            {
                "key": r.key, "kind": r.kind, "unit": r.unit, "task": r.task, **dict(zip(("title", "body"), r.words())), "url": url_of(r.task.pk),
                "recipients": directory.people.get(r.unit.pk, []), "channels": directory.channels.get(r.unit.pk, []),
            }
            for r in reminders
            if r.key not in taken
        ]
        return retry_locked(lambda: notify_many(items, run=run_id))


def run(today: dt.date, *, dry_run: bool = False) -> SweepResult:
    with collector.fewer_collections():
        return _run(today, dry_run=dry_run)


def _run(today: dt.date, *, dry_run: bool) -> SweepResult:
    result = SweepResult(dry_run=dry_run)
    run_id = uuid.uuid4().hex
    directory = _Directory()
    words = Words()
    url_of = task_urls()
    red_days = int(conf("ESCALATE_RED_DAYS", 14))
    red_candidates = []

    # 1. health and reminders, in chunks of tasks (bounded memory, bounded IN lists); each chunk's
    # writes go to the writer while the next chunk is read and assessed
    ids = retry_locked(lambda: list(_active_tasks().order_by("pk").values_list("pk", flat=True)))
    units = {u.pk: u for u in Unit.objects.all()}
    messages = partial(_write_messages, directory=directory, url_of=url_of, run_id=run_id, language=translation.get_language())
    with _Writer(threaded=_pipelined(dry_run)) as writer:
        for start in range(0, len(ids), CHUNK):
            chunk_ids = ids[start : start + CHUNK]
            chunk = retry_locked(lambda: _load_chunk(chunk_ids[0], chunk_ids[-1], units))
            changed = []
            reminders: list[Reminder] = []
            for task in chunk:
                result.tasks_assessed += 1
                verdict = assess.assess_task(
                    task, today, report_facts=task.swept_report_facts, milestones=task.swept_milestones, transitions=task.swept_transitions
                )
                fields = assess.apply(task, verdict, today)
                if set(fields) - {"health_checked_on"}:
                    changed.append(task)
                reminders.extend(reminders_for(task, today, words))
                if task.health == "red" and task.health_since and (today - task.health_since).days >= red_days:
                    red_candidates.append(task)
            result.health_updated += len(changed)
            if dry_run:
                taken = retry_locked(lambda: _existing(Message, [r.key for r in reminders]))
                result.reminders_sent += sum(r.key not in taken for r in reminders)
            else:
                writer.submit("health", _write_health, changed, [t.pk for t in chunk], today)
                writer.submit("messages", messages, reminders)
    result.reminders_sent += writer.written

    if bulk.supported() and result.reminders_sent >= ANALYZE_AFTER and not dry_run:
        # The deliveries are now found and claimed by message, a few hundred at a time.
        retry_locked(lambda: bulk.analyze(Message, Notification, Delivery))

    # 2. actions past their reply date
    late = retry_locked(lambda: list(SupervisionAction.objects.filter(status=ladder.ISSUED, reply_due__lt=today).select_related("unit")))
    for action in late:
        if dry_run:
            result.actions_overdue += 1
            result.reminders_sent += not Message.objects.filter(key=f"action:{action.pk}:overdue").exists()
        elif retry_locked(lambda: action_expire(actor=SYSTEM, action=action, today=today, schedule=False)):
            result.actions_overdue += 1
            result.reminders_sent += 1

    # 3. escalation proposals: first withdraw those whose grounds are gone, then propose
    if not dry_run:
        retry_locked(lambda: proposals_withdraw(actor=SYSTEM, today=today))
    result.escalations_proposed += _propose_for_red(red_candidates, today, red_days, dry_run, run_id)
    result.escalations_proposed += retry_locked(lambda: _propose_for_unanswered(today, dry_run))

    # 4. outbound deliveries: this sweep's messages, and the failures of earlier ones
    if dry_run:
        result.details.append(f"deliveries due {retry_locked(deliveries_due().count)}")
    else:
        result.notifications_sent, result.notifications_failed, queued = deliver_due()
        if queued:
            result.details.append(f"delivery jobs queued {queued}")

    # 5. background jobs whose worker died
    stale = retry_locked(lambda: jobs.fail_stale(dry_run=dry_run))
    if stale:
        result.details.append(f"stale background jobs {'found' if dry_run else 'failed'} {stale}")

    # 6. the files of jobs finished longer ago than JOB_FILE_DAYS
    purged = retry_locked(lambda: jobs.purge_files(dry_run=dry_run))
    if purged:
        result.details.append(f"job files {'due for deletion' if dry_run else 'deleted'} {purged}")

    # 7. sessions past their expiry (nobody else clears them; Django leaves it to `clearsessions`)
    expired = retry_locked(lambda: sessions.delete_expired(dry_run=dry_run))
    if expired:
        result.details.append(f"expired sessions {'due for deletion' if dry_run else 'deleted'} {expired}")
    return result


def _propose_for_red(tasks, today, red_days, dry_run, run_id) -> int:
    if not tasks:
        return 0
    through = SupervisionAction.tasks.through
    covered = retry_locked(lambda: set(
        through.objects.filter(
            task_id__in=[t.pk for t in tasks], supervisionaction__kind__in=ORDER_OR_ABOVE, supervisionaction__status__in=ladder.OPEN_STATES
        ).values_list("task_id", flat=True)
    ))
    candidates = [(f"red:{t.pk}:{t.health_since.isoformat()}", t) for t in tasks if t.pk not in covered and t.lead_unit_id]
    taken = retry_locked(lambda: _existing(EscalationProposal, [key for key, _t in candidates]))
    fresh = [(key, task) for key, task in candidates if key not in taken]
    if dry_run:
        return len(fresh)

    if bulk.supported():
        items = []
        for key, task in fresh:
            data = red_reason(task, task.health_since, today)
            items.append({
                "key": key, "rule": EscalationProposal.Rule.RED, "kind": ladder.ORDER, "unit": task.lead_unit, "tasks": [task],
                "reason": render_proposal_reason(data), "reason_data": data,
            })
        return sum(
            proposals_make_many(actor=SYSTEM, items=items[i : i + CHUNK], today=today, run=run_id) for i in range(0, len(items), CHUNK)
        )
    made = 0
    for key, task in fresh:
        data = red_reason(task, task.health_since, today)
        made += retry_locked(lambda: proposal_make(  # noqa: B023 - called at once
            actor=SYSTEM, key=key, rule=EscalationProposal.Rule.RED, kind=ladder.ORDER, unit=task.lead_unit, tasks=[task],
            reason=render_proposal_reason(data), reason_data=data, today=today, schedule=False,
        )) is not None
    return made


def _propose_for_unanswered(today, dry_run) -> int:
    threshold = int(conf("ESCALATE_UNANSWERED_ORDERS", 2))
    by_unit: dict[int, list[SupervisionAction]] = defaultdict(list)
    overdue = SupervisionAction.objects.filter(kind=ladder.ORDER, status=ladder.OVERDUE).select_related("unit").prefetch_related("tasks")
    if dry_run:
        # in a dry run nothing was marked overdue above; count what would have been
        overdue = SupervisionAction.objects.filter(kind=ladder.ORDER, status__in=[ladder.OVERDUE, ladder.ISSUED], reply_due__lt=today)
        overdue = overdue.select_related("unit").prefetch_related("tasks")
    for action in overdue:
        by_unit[action.unit_id].append(action)
    if not by_unit:
        return 0
    busy = set(
        SupervisionAction.objects.filter(unit_id__in=by_unit, kind__in=[ladder.INTERVIEW, ladder.ACCOUNTABILITY], status__in=ladder.OPEN_STATES)
        .values_list("unit_id", flat=True)
    ) | set(
        EscalationProposal.objects.filter(unit_id__in=by_unit, rule=EscalationProposal.Rule.UNANSWERED, status=EscalationProposal.Status.PENDING)
        .values_list("unit_id", flat=True)
    )
    made = 0
    for unit_id, actions in by_unit.items():
        if len(actions) < threshold or unit_id in busy:
            continue
        actions.sort(key=lambda a: a.pk)
        key = f"unanswered:{unit_id}:{'-'.join(str(a.pk) for a in actions)}"
        if EscalationProposal.objects.filter(key=key).exists():
            continue
        if dry_run:
            made += 1
            continue
        unit = actions[0].unit
        tasks = {t.pk: t for a in actions for t in a.tasks.all()}.values()
        data = unanswered_reason(unit, actions)
        made += proposal_make(
            actor=SYSTEM, key=key, rule=EscalationProposal.Rule.UNANSWERED, kind=ladder.INTERVIEW, unit=unit, tasks=tasks,
            reason=render_proposal_reason(data), reason_data=data, today=today, schedule=False,
        ) is not None
    return made
