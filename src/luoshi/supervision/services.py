"""Changes in supervision: actions on the ladder, escalation proposals, notifications, review rounds.
Every write goes through one of these functions (views, API, the sweep, the demo, tests)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from contextlib import nullcontext

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Max, Min, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core import bulk
from luoshi.core.errors import Forbidden, Invalid
from luoshi.core.jobs import TaskResultStatus, can_defer, task
from luoshi.core.versioning import update_checked
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Unit, User
from luoshi.tasks.models import Task, TaskKind
from luoshi.tasks.signals import health_changed
from luoshi.tasks.workflow import ACTIVE_STATES

from . import access, channels, ladder
from .models import (
    ActionCounter,
    ActionEvent,
    Channel,
    Delivery,
    EscalationProposal,
    Message,
    Notification,
    ReviewItem,
    ReviewRound,
    SupervisionAction,
)

logger = logging.getLogger("luoshi.supervision")




def conf(name: str, default):
    return getattr(settings, "LUOSHI", {}).get(name, default)


def default_reply_days(kind: str) -> int:
    days = conf("ACTION_REPLY_DAYS", {})
    return int(days.get(kind, 5)) if isinstance(days, dict) else int(days)


# --- notifications ---------------------------------------------------------------------------
def unit_people(unit) -> list:
    return list(User.objects.filter(unit=unit, is_active=True))


def supervisors() -> list:
    return list(User.objects.filter(is_active=True, role="supervisor"))


def notify(
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str | None = None,
    unit=None,
    recipients: Sequence | None = None,
    task=None,
    action=None,
    schedule: bool = True,
    unit_channels: Sequence | None = None,
) -> Message | None:
    """Put a message in the inboxes of `recipients` (default: the people of `unit`) and queue its
    e-mail and the unit's group bots. With a `key`, a fact is told once: a second call with the
    same key (later, or at the same moment in another process) returns None and sends nothing.
    Deliveries run after commit as a job (`schedule`), or in the next sweep."""
    people = list(recipients) if recipients is not None else (unit_people(unit) if unit is not None else [])
    emails = sorted({p.email.strip() for p in people if (p.email or "").strip()})
    if unit is not None:
        # The sweep passes the unit's channels it has already loaded.
        found = list(unit_channels if unit_channels is not None else Channel.objects.filter(unit=unit, active=True))
    else:
        found = []
    try:
        # One transaction for the message and everything it fans out to: a fact whose key is
        # taken has always been told in full.
        with transaction.atomic():
            message = Message.objects.create(
                key=key, kind=kind, unit=unit, task=task, action=action, title=title[:200], body=body, url=url[:300]
            )
            Notification.objects.bulk_create([Notification(message=message, recipient=p) for p in people])
            deliveries = [Delivery(message=message, via=Delivery.Via.EMAIL, target=",".join(emails))] if emails else []
            deliveries += [Delivery(message=message, via=c.kind, channel=c, target=c.url) for c in found]
            Delivery.objects.bulk_create(deliveries)
    except IntegrityError:
        return None
    if deliveries and schedule:
        transaction.on_commit(lambda: _deliver_after_commit([message.pk]))
    return message


def notify_many(items: Sequence[dict], *, run: str) -> int:
    """Tell many keyed facts in one transaction (the sweep): each item has key, kind, unit, task,
    title, body, url, recipients and channels. Keys already taken — by an earlier run, or by a
    sweep running at this moment, whose INSERT this one waits for — are skipped; returns how many
    messages this call created. Deliveries are left for the caller to send."""
    if not items:
        return 0
    items = sorted(items, key=lambda i: i["key"])  # one insertion order for every sender: no deadlock
    by_key = {i["key"]: i for i in items}
    if bulk.supported():
        return _notify_many_set_based(items, by_key, run)
    with transaction.atomic():
        Message.objects.bulk_create(
            [Message(key=i["key"], run=run, kind=i["kind"], unit=i["unit"], task=i["task"], title=i["title"][:200], body=i["body"], url=i["url"][:300]) for i in items],
            ignore_conflicts=True,
            batch_size=500,
        )
        keys = list(by_key)
        mine: list[tuple[int, str]] = []
        for start in range(0, len(keys), 500):
            mine.extend(Message.objects.filter(key__in=keys[start : start + 500], run=run).values_list("pk", "key"))
        notifications, deliveries = [], []
        for message_id, key in mine:
            item = by_key[key]
            people = item["recipients"]
            notifications += [Notification(message_id=message_id, recipient_id=p.pk) for p in people]
            emails = sorted({p.email.strip() for p in people if (p.email or "").strip()})
            if emails:
                deliveries.append(Delivery(message_id=message_id, via=Delivery.Via.EMAIL, target=",".join(emails)))
            deliveries += [Delivery(message_id=message_id, via=c.kind, channel_id=c.pk, target=c.url) for c in item["channels"]]
        Notification.objects.bulk_create(notifications, batch_size=1000)
        Delivery.objects.bulk_create(deliveries, batch_size=1000)
    return len(mine)


def _notify_many_set_based(items: Sequence[dict], by_key: dict, run: str) -> int:
    """`notify_many` on PostgreSQL: one INSERT per table, the messages' returning the keys that
    were free, so neither model objects nor a second look-up are needed."""
    with transaction.atomic():
        mine = bulk.insert_rows(
            Message,
            {
                "key": [i["key"] for i in items], "kind": [i["kind"] for i in items], "unit_id": [getattr(i["unit"], "pk", None) for i in items],
                "task_id": [getattr(i["task"], "pk", None) for i in items], "title": [i["title"][:200] for i in items], "body": [i["body"] for i in items],
                "url": [i["url"][:300] for i in items],
            },
            {"run": run},
            skip_conflicts_on="key",
            returning=("id", "key"),
        )
        notified: dict[str, list] = {"message_id": [], "recipient_id": []}
        sent: dict[str, list] = {"message_id": [], "via": [], "channel_id": [], "target": []}
        # The sweep passes each unit's lists of people and channels, the same for every message of
        # that unit: what they fan out to is worked out once per unit, not once per message.
        fanned: dict[tuple[int, int], tuple[list, list]] = {}
        for message_id, key in mine:
            item = by_key[key]
            people, found = item["recipients"], item["channels"]
            if (id(people), id(found)) not in fanned:
                emails = sorted({p.email.strip() for p in people if (p.email or "").strip()})
                outbound = [(str(Delivery.Via.EMAIL), None, ",".join(emails))] if emails else []
                fanned[id(people), id(found)] = ([p.pk for p in people], outbound + [(str(c.kind), c.pk, c.url) for c in found])
            recipient_ids, outbound = fanned[id(people), id(found)]
            notified["message_id"] += [message_id] * len(recipient_ids)
            notified["recipient_id"] += recipient_ids
            for via, channel_id, target in outbound:
                sent["message_id"].append(message_id)
                sent["via"].append(via)
                sent["channel_id"].append(channel_id)
                sent["target"].append(target)
        bulk.insert_rows(Notification, notified)
        bulk.insert_rows(Delivery, sent)
    return len(mine)


def _deliver_after_commit(message_ids: list[int]) -> None:
    if conf("NOTIFY_DELIVERY", "job") != "sweep":
        enqueue_delivery(message_ids)
    # "sweep": leave them for the next sweep


def enqueue_delivery(message_ids: Sequence[int], *, run_after: dt.datetime | None = None):
    """Queue one delivery job for these messages; returns its result, or None when the queue could
    not be reached — the request that caused the message must not fail for that, and the sweep
    sends whatever is still pending."""
    job = deliver_job if run_after is None else deliver_job.using(run_after=run_after)
    try:
        # A queued job is a row: in a savepoint, so that a refused row leaves a caller's
        # transaction (the sweep queues all its jobs in one) usable. A backend that runs the job
        # at once must not: each e-mail it sends is recorded in a commit of its own.
        with transaction.atomic() if can_defer(job) else nullcontext():
            return job.enqueue(message_ids=list(message_ids))
    except Exception:
        logger.exception("could not queue the delivery of messages %s", list(message_ids)[:20])
        return None


def retry_delay(attempts: int) -> dt.timedelta:
    """How long a delivery that has failed `attempts` times waits before the next try: 1, 4, 16,
    64 … minutes, at most a day."""
    return dt.timedelta(minutes=min(4 ** max(attempts - 1, 0), 24 * 60))


@task()
def deliver_job(message_ids: list[int]) -> list[int]:
    """The delivery job: send what is due of these messages; when some failed and may be tried
    again, queue the next try after a growing delay (the task framework has no retries of its
    own). A backend that cannot defer (immediate) leaves the retry to the sweep. Returns
    [sent, failed]."""
    sent, failed = deliver_pending(message_ids=message_ids)
    if failed and can_defer(deliver_job):
        again = deliveries_due(message_ids=message_ids).filter(status=Delivery.Status.FAILED).aggregate(n=Min("attempts"))["n"]
        if again is not None:
            enqueue_delivery(message_ids, run_after=timezone.now() + retry_delay(again))
    return [sent, failed]


def deliver_due(*, batch: int = 200) -> tuple[int, int, int]:
    """The sweep's fan-out: one delivery job per `batch` messages with deliveries due (new ones,
    failures of earlier runs, claims gone stale). Returns (sent, failed, queued): what the jobs that
    ran at once sent and failed, and how many jobs wait for a worker."""
    ids = retry_locked(lambda: list(deliveries_due().order_by("message_id").values_list("message_id", flat=True).distinct()))
    sent = failed = queued = 0
    # A queue that holds its jobs stores each as a row: the rows are committed together, not with
    # one wait for the disk per job (a thousand at 100,000 tasks). The immediate backend sends at
    # once, and every sent e-mail is recorded in a commit of its own: no transaction around it.
    with transaction.atomic() if can_defer(deliver_job) else nullcontext():
        results = [enqueue_delivery(ids[start : start + batch]) for start in range(0, len(ids), batch)]
    for result in results:
        if result is None:
            continue
        if result.status == TaskResultStatus.SUCCESSFUL:
            sent += result.return_value[0]
            failed += result.return_value[1]
        elif result.status != TaskResultStatus.FAILED:
            queued += 1
    return sent, failed, queued


def retry_locked(fn, attempts: int = 200):
    """Run `fn`, again after a short pause while SQLite answers "locked" (another writer holds
    the database; PostgreSQL never says so). Only for idempotent units of work outside any
    transaction: inside one, the error must reach whoever owns the transaction."""
    for attempt in range(attempts):
        try:
            return fn()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1 or transaction.get_connection().in_atomic_block:
                raise
            time.sleep(random.uniform(0.002, 0.03))


CLAIM_STALE = dt.timedelta(minutes=10)


def deliveries_due(*, message_ids: Iterable[int] | None = None, now: dt.datetime | None = None):
    now = now or timezone.now()
    max_attempts = int(conf("NOTIFY_MAX_ATTEMPTS", 5))
    qs = Delivery.objects.filter(attempts__lt=max_attempts).filter(
        Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED])
        # a sender that died mid-way left its claim behind; take it over after a while
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_STALE)
    )
    if message_ids is not None:
        qs = qs.filter(message_id__in=list(message_ids))
    return qs


def deliver_pending(*, message_ids: Iterable[int] | None = None, now: dt.datetime | None = None, batch: int = 500) -> tuple[int, int]:
    """Send what is pending or failed; returns (sent, failed). Rows are claimed a batch at a time
    with one conditional UPDATE that marks them with this run's token; only the rows carrying the
    token are sent, so concurrent senders never send one row twice. Each row is marked sent the
    moment its send returns, in its own short transaction: a sender killed half-way leaves only
    the rows it had not sent to be taken over once its claim is stale.

    On PostgreSQL those per-row commits do not wait for the disk (``synchronous_commit`` off for
    this sender's session): a commit is final for every other session at once, and a sender
    process that dies loses none of them; only a crash of the database server itself could lose
    the last fraction of a second of them, and those rows are then sent a second time once their
    claim is stale — never lost. Waiting for the disk once per e-mail was most of a first sweep's
    time, and grows with every e-mail."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    ids = retry_locked(lambda: list(deliveries_due(message_ids=message_ids, now=now).order_by("pk").values_list("pk", flat=True)))
    sent = failed = 0
    mail = None
    untouched: list[int] = []
    relaxed = _relax_commits(bool(ids))
    try:
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            # the same conditions again: a row another sender claimed meanwhile no longer matches
            claim = deliveries_due(now=now).filter(pk__in=chunk)
            retry_locked(lambda: claim.update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, claim=token))
            mine = retry_locked(lambda: list(Delivery.objects.filter(pk__in=chunk, claim=token, status=Delivery.Status.SENDING).select_related("message", "channel")))
            untouched = [d.pk for d in mine]
            for delivery in mine:
                untouched.remove(delivery.pk)
                try:
                    mail = _send(delivery, mail)
                except channels.SendFailed as exc:
                    failed += 1
                    logger.warning("delivery %s via %s failed: %s", delivery.pk, delivery.via, exc)
                    error = str(exc)[:2000]
                    retry_locked(lambda: _record(FAILED_SQL, [Delivery.Status.FAILED.value, error, delivery.pk]))  # noqa: B023
                else:
                    sent += 1
                    retry_locked(lambda: _record(SENT_SQL, [Delivery.Status.SENT.value, _SENT_AT.get_db_prep_save(timezone.now(), connection), delivery.pk]))  # noqa: B023
    except BaseException:
        # Stopped (a worker shut down, an interrupt): the rows not yet started are handed back at
        # once rather than after the claim goes stale. The one in flight stays claimed — whether
        # it went out is unknown — and is taken over when the claim is stale.
        if untouched:
            Delivery.objects.filter(pk__in=untouched, claim=token, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.PENDING, attempts=F("attempts") - 1, claim="", claimed_at=None
            )
        raise
    finally:
        if relaxed:
            _restore_commits()
        if mail is not None:
            try:
                mail.close()
            except Exception:  # closing a broken SMTP session must not hide what was sent
                logger.warning("closing the mail connection failed", exc_info=True)
    return sent, failed


_DELIVERY = Delivery._meta.db_table
# One statement per sent row, written out: building an ORM update per e-mail cost more than the
# database's work.
SENT_SQL = f"UPDATE {_DELIVERY} SET status = %s, sent_at = %s, last_error = '' WHERE id = %s"
FAILED_SQL = f"UPDATE {_DELIVERY} SET status = %s, last_error = %s WHERE id = %s"
_SENT_AT = Delivery._meta.get_field("sent_at")


def _record(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _relax_commits(needed: bool) -> bool:
    """Let this session's commits return before they reach the disk (see `deliver_pending`);
    True when it did."""
    if not needed or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    return True


def _restore_commits() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    except Exception:  # a broken connection is closed anyway; the setting dies with it
        logger.warning("could not reset synchronous_commit", exc_info=True)


def _send(delivery: Delivery, mail):
    """Send one claimed delivery (raises SendFailed); returns the mail session, opened on the
    first e-mail and kept for the whole run rather than one per e-mail."""
    from django.core.mail import get_connection

    if delivery.channel_id and not delivery.channel.active:
        raise channels.SendFailed(_("渠道已停用"))
    if delivery.via == Delivery.Via.EMAIL and mail is None:
        mail = get_connection(fail_silently=False)
        try:
            mail.open()
        except Exception as exc:
            raise channels.SendFailed(f"{type(exc).__name__}: {exc}") from exc
    message = delivery.message
    channels.send(delivery.via, delivery.target, message.title, message.body, message.url, mail_connection=mail)
    return mail


def notification_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Forbidden(_("只能处理自己的通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- actions ---------------------------------------------------------------------------------
def _next_seq(kind: str, year: int) -> int:
    """The next number for (kind, year). The UPDATE locks the counter row until the transaction
    ends, so concurrent issuers queue; the first of a year creates the row (a racing creator
    loses on the unique constraint and takes the UPDATE path)."""
    for _attempt in range(3):
        if ActionCounter.objects.filter(kind=kind, year=year).update(last=F("last") + 1):
            return ActionCounter.objects.get(kind=kind, year=year).last
        start = SupervisionAction.objects.filter(kind=kind, year=year).aggregate(m=Max("seq"))["m"] or 0
        try:
            with transaction.atomic():
                ActionCounter.objects.create(kind=kind, year=year, last=start + 1)
            return start + 1
        except IntegrityError:
            continue
    raise Invalid(_("编号生成失败，请重试。"))  # pragma: no cover


def _event(action, event, from_status, actor, note="") -> ActionEvent:
    return ActionEvent.objects.create(action=action, event=event, from_status=from_status, to_status=action.status, actor=actor, note=note)


def _unit_tasks_error(unit, tasks) -> str | None:
    for task in tasks:
        if task.status in ("draft", "cancelled"):
            return _("任务“%(task)s”未发布或已撤销，不能督办。") % {"task": task}
        if task.lead_unit_id != unit.pk and not any(u.pk == unit.pk for u in task.co_units.all()):
            return _("任务“%(task)s”不是%(unit)s牵头或参与的任务。") % {"task": task, "unit": unit}
    return None


@transaction.atomic
def action_issue(
    *,
    actor,
    kind: str,
    unit,
    reason: str,
    reply_due: dt.date | None,
    tasks: Iterable = (),
    today: dt.date | None = None,
) -> SupervisionAction:
    """Issue one step of the ladder to a unit (supervisors); numbered per kind and year."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以签发督办事项。"))
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    tasks = list(tasks)
    if kind not in ladder.LADDER:
        raise Invalid(_("请选择督办方式。"))
    if unit is None or not getattr(unit, "active", True):
        raise Invalid(_("请选择督办对象单位。"))
    if not reason:
        raise Invalid(_("请填写督办事由。"))
    if reply_due is None:
        raise Invalid(_("请填写答复时限。"))
    if reply_due < today:
        raise Invalid(_("答复时限不能早于今天。"))
    problem = _unit_tasks_error(unit, tasks)
    if problem:
        raise Invalid(problem)
    seq = _next_seq(kind, today.year)
    action = SupervisionAction.objects.create(
        kind=kind, year=today.year, seq=seq, number=ladder.number(kind, today.year, seq), unit=unit, reason=reason,
        reply_due=reply_due, issued_by=actor, issued_on=today,
    )
    if tasks:
        action.tasks.set(tasks)
    _event(action, ladder.ISSUE, "", actor, reason)
    notify(
        kind=Message.Kind.ACTION,
        key=f"action:{action.pk}:issue",
        unit=unit,
        action=action,
        title=_("%(number)s %(kind)s：请于%(due)s前答复") % {"number": action.number, "kind": action.get_kind_display(), "due": reply_due.isoformat()},
        body=reason + ("\n" + "；".join(str(t) for t in tasks) if tasks else ""),
        url=action.get_absolute_url(),
    )
    return action


def _move(action: SupervisionAction, event: str, roles: set[str], reason: str, **fields) -> str:
    """Apply one row of the ladder's table with a conditional UPDATE: if someone else moved the
    action meanwhile, refuse instead of overwriting."""
    try:
        move = ladder.check(action.status, event, roles, reason)
    except ladder.MoveRefused as exc:
        raise Invalid(str(exc)) from exc
    source = action.status
    update_checked(
        action, bump=False, where={"status": source}, conflict=_("该督办事项已被他人处理，请刷新页面。"), status=move.target, **fields
    )
    return source


@transaction.atomic
def action_reply(*, actor, action: SupervisionAction, reply: str, today: dt.date | None = None) -> SupervisionAction:
    """The addressed unit answers (its liaisons)."""
    if not access.may_reply_action(actor, action):
        raise Forbidden(_("只有督办对象单位的联络员可以答复。"))
    today = today or timezone.localdate()
    reply = (reply or "").strip()
    late = bool(action.reply_due and today > action.reply_due)
    source = _move(action, ladder.REPLY, {ladder.UNIT}, reply, reply=reply, replied_by=actor, replied_at=timezone.now(), replied_late=late)
    _event(action, ladder.REPLY, source, actor, reply)
    notify(
        kind=Message.Kind.ACTION_REPLY,
        recipients=[action.issued_by],
        action=action,
        title=_("%(unit)s已答复%(number)s") % {"unit": action.unit, "number": action.number},
        body=reply[:500],
        url=action.get_absolute_url(),
    )
    return action


@transaction.atomic
def action_reopen(*, actor, action: SupervisionAction, reason: str) -> SupervisionAction:
    """The office finds the reply insufficient and sends it back (supervisors)."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以退回答复。"))
    source = _move(action, ladder.REOPEN, {ladder.SUPERVISOR}, reason)
    _event(action, ladder.REOPEN, source, actor, reason.strip())
    notify(
        kind=Message.Kind.ACTION,
        unit=action.unit,
        action=action,
        title=_("%(number)s 答复被退回，请重新答复") % {"number": action.number},
        body=reason.strip(),
        url=action.get_absolute_url(),
    )
    return action


@transaction.atomic
def action_close(*, actor, action: SupervisionAction, note: str = "") -> SupervisionAction:
    """办结 (supervisors). Closing an unanswered action needs a note saying why."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以办结督办事项。"))
    note = (note or "").strip()
    source = _move(action, ladder.CLOSE, {ladder.SUPERVISOR}, note, closed_by=actor, closed_at=timezone.now(), close_note=note)
    _event(action, ladder.CLOSE, source, actor, note)
    return action


def action_expire(*, actor, action: SupervisionAction, today: dt.date, schedule: bool = True) -> bool:
    """Mark an unanswered action overdue (the sweep, as `SYSTEM`). True when this call made the change."""
    orgs_access.require_actor(actor)
    if not (action.status == ladder.ISSUED and action.reply_due and action.reply_due < today):
        return False
    with transaction.atomic():
        if not SupervisionAction.objects.filter(pk=action.pk, status=ladder.ISSUED).update(status=ladder.OVERDUE):
            return False
        action.status = ladder.OVERDUE
        _event(action, ladder.EXPIRE, ladder.ISSUED, orgs_access.user_or_none(actor), _("超过答复时限%(due)s未答复") % {"due": action.reply_due.isoformat()})
        notify(
            kind=Message.Kind.ACTION_OVERDUE,
            key=f"action:{action.pk}:overdue",
            unit=action.unit,
            action=action,
            title=_("%(number)s 已超过答复时限，请尽快答复") % {"number": action.number},
            body=action.reason,
            url=action.get_absolute_url(),
            schedule=schedule,
        )
    return True


# --- escalation proposals --------------------------------------------------------------------
def proposal_make(
    *, actor, key: str, rule: str, kind: str, unit, tasks: Iterable, reason: str, today: dt.date, schedule: bool = True,
    reason_data: dict | None = None,
) -> EscalationProposal | None:
    """Record a rule's proposal once per fact (`key`); None when it exists already. The sweep
    proposes as `SYSTEM`."""
    orgs_access.require_actor(actor)
    tasks = list(tasks)
    try:
        with transaction.atomic():
            proposal = EscalationProposal.objects.create(
                key=key, rule=rule, kind=kind, unit=unit, reason=reason, reason_data=reason_data or {}, proposed_on=today
            )
            if tasks:
                proposal.tasks.set(tasks)
            notify(
                kind=Message.Kind.PROPOSAL,
                key=f"proposal:{proposal.pk}",
                recipients=supervisors(),
                title=_("建议对%(unit)s发出%(kind)s") % {"unit": unit, "kind": ladder.KIND_LABELS[kind]},
                body=reason,
                url="/supervision/#proposals",
                schedule=schedule,
            )
    except IntegrityError:
        return None
    return proposal


def proposals_make_many(*, actor, items: Sequence[dict], today: dt.date, run: str) -> int:
    """`proposal_make` for many facts at once (the sweep's red rule on PostgreSQL): each item has
    key, rule, kind, unit, tasks, reason and reason_data. One INSERT per table; keys already taken — earlier,
    or by a sweep running at this moment — are skipped, and only the proposals this call inserted
    are told to the supervisors. Returns how many it made."""
    orgs_access.require_actor(actor)
    if not items:
        return 0
    items = sorted(items, key=lambda i: i["key"])
    by_key = {i["key"]: i for i in items}
    with transaction.atomic():
        mine = bulk.insert_rows(
            EscalationProposal,
            {
                "key": list(by_key), "rule": [i["rule"] for i in items], "kind": [i["kind"] for i in items],
                "unit_id": [i["unit"].pk for i in items], "reason": [i["reason"] for i in items],
                "reason_data": [i.get("reason_data") or {} for i in items],
            },
            {"proposed_on": today, "status": EscalationProposal.Status.PENDING},
            skip_conflicts_on="key",
            returning=("id", "key"),
        )
        through = EscalationProposal.tasks.through
        links = [(pk, task.pk) for pk, key in mine for task in by_key[key]["tasks"]]
        bulk.insert_rows(through, {"escalationproposal_id": [p for p, _t in links], "task_id": [t for _p, t in links]})
        people = supervisors()
        notify_many(
            [
                {
                    "key": f"proposal:{pk}", "kind": Message.Kind.PROPOSAL, "unit": None, "task": None,
                    "title": _("建议对%(unit)s发出%(kind)s") % {"unit": by_key[key]["unit"], "kind": ladder.KIND_LABELS[by_key[key]["kind"]]},
                    "body": by_key[key]["reason"], "url": "/supervision/#proposals", "recipients": people, "channels": [],
                }
                for pk, key in mine
            ],
            run=run,
        )
    return len(mine)


@transaction.atomic
def proposal_confirm(
    *,
    actor,
    proposal: EscalationProposal,
    reason: str | None = None,
    reply_due: dt.date | None = None,
    today: dt.date | None = None,
) -> SupervisionAction:
    """Confirm a proposal: issue the proposed action (supervisors)."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以确认升级建议。"))
    today = today or timezone.localdate()
    if proposal.status != EscalationProposal.Status.PENDING:
        raise Invalid(_("该建议已处理。"))
    tasks = [t for t in proposal.tasks.all() if t.status not in ("draft", "cancelled", "closed")]
    action = action_issue(
        actor=actor, kind=proposal.kind, unit=proposal.unit, tasks=tasks, reason=(reason or proposal.reason),
        reply_due=reply_due or today + dt.timedelta(days=default_reply_days(proposal.kind)), today=today,
    )
    update_checked(
        proposal, bump=False, where={"status": EscalationProposal.Status.PENDING}, conflict=_("该建议已被他人处理。"),
        status=EscalationProposal.Status.CONFIRMED, decided_by=actor, decided_at=timezone.now(), action=action,
    )
    return action


@transaction.atomic
def proposal_dismiss(*, actor, proposal: EscalationProposal, note: str) -> EscalationProposal:
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以驳回升级建议。"))
    note = (note or "").strip()
    if not note:
        raise Invalid(_("驳回须填写理由。"))
    update_checked(
        proposal, bump=False, where={"status": EscalationProposal.Status.PENDING}, conflict=_("该建议已处理。"),
        status=EscalationProposal.Status.DISMISSED, decided_by=actor, decided_at=timezone.now(), decision_note=note,
    )
    return proposal


def _still_grounded(proposal: EscalationProposal) -> bool:
    """Whether the fact a pending proposal was made for still holds: one of its tasks is red (rule
    red), or every 督办单 it names is still overdue without a reply (rule unanswered)."""
    if proposal.rule == EscalationProposal.Rule.RED:
        return any(t.health == "red" for t in proposal.tasks.all())
    ids = [int(pk) for pk in proposal.key.rsplit(":", 1)[-1].split("-") if pk.isdigit()]
    overdue = SupervisionAction.objects.filter(pk__in=ids, status=ladder.OVERDUE).count()
    return bool(ids) and overdue == len(ids)


def proposals_withdraw(*, actor, tasks: Iterable | None = None, today: dt.date | None = None) -> int:
    """Withdraw the pending proposals whose grounds are gone (all of them, or those of ``tasks``):
    the sweep before it proposes, and a task's health leaving red. Done by the system: nobody
    decided it, the facts did."""
    orgs_access.require_actor(actor)
    pending = EscalationProposal.objects.filter(status=EscalationProposal.Status.PENDING).prefetch_related("tasks")
    if tasks is not None:
        pending = pending.filter(tasks__in=[t.pk for t in tasks]).distinct()
    withdrawn = 0
    for proposal in pending:
        if _still_grounded(proposal):
            continue
        note = _("已撤回（任务已恢复）") if proposal.rule == EscalationProposal.Rule.RED else _("已撤回（督办单已答复）")
        withdrawn += EscalationProposal.objects.filter(pk=proposal.pk, status=EscalationProposal.Status.PENDING).update(
            status=EscalationProposal.Status.WITHDRAWN, decided_by=orgs_access.user_or_none(actor), decided_at=timezone.now(),
            decision_note=note,
        )
    return withdrawn


@receiver(health_changed, dispatch_uid="luoshi.supervision.withdraw")
def _withdraw_on_recovery(sender, *, task, before, after, today=None, **kwargs) -> None:
    if before == "red" and after != "red":
        proposals_withdraw(actor=orgs_access.SYSTEM, tasks=[task], today=today)


# --- review rounds ---------------------------------------------------------------------------
def review_scope(*, scope_kind: str = "", scope_units: Iterable = (), scope_directive=None):
    tasks = Task.objects.filter(status__in=ACTIVE_STATES, lead_unit__isnull=False)
    if scope_kind:
        tasks = tasks.filter(kind=scope_kind)
    units = list(scope_units)
    if units:
        tasks = tasks.filter(lead_unit__in=units)
    if scope_directive is not None:
        tasks = tasks.filter(directive=scope_directive)
    return tasks


@transaction.atomic
def review_round_open(
    *,
    actor,
    title: str,
    due_on: dt.date | None,
    instructions: str = "",
    scope_kind: str = "",
    scope_units: Iterable = (),
    scope_directive=None,
    today: dt.date | None = None,
) -> ReviewRound:
    """Open a 回头看: one item per task in scope, for its lead unit to confirm by `due_on`."""

    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以发起回头看。"))
    today = today or timezone.localdate()
    title = (title or "").strip()
    if not title:
        raise Invalid(_("请填写回头看名称。"))
    if due_on is None or due_on < today:
        raise Invalid(_("确认截止日期不能为空，也不能早于今天。"))
    if scope_kind and scope_kind not in TaskKind.values:
        raise Invalid(_("任务类型不正确。"))
    scope_units = list(scope_units)
    tasks = list(review_scope(scope_kind=scope_kind, scope_units=scope_units, scope_directive=scope_directive).only("pk", "lead_unit_id"))
    if not tasks:
        raise Invalid(_("范围内没有在办任务。"))
    round_ = ReviewRound.objects.create(
        title=title[:200], instructions=instructions, due_on=due_on, scope_kind=scope_kind, scope_directive=scope_directive,
        opened_by=actor, opened_on=today,
    )
    if scope_units:
        round_.scope_units.set(scope_units)
    ReviewItem.objects.bulk_create([ReviewItem(round=round_, task_id=t.pk, unit_id=t.lead_unit_id) for t in tasks])

    for unit in Unit.objects.filter(pk__in={t.lead_unit_id for t in tasks}):
        notify(
            kind=Message.Kind.REVIEW,
            key=f"review:{round_.pk}:{unit.pk}",
            unit=unit,
            title=_("回头看：%(title)s，请于%(due)s前逐项确认") % {"title": round_.title, "due": due_on.isoformat()},
            body=instructions,
            url=round_.get_absolute_url(),
        )
    return round_


@transaction.atomic
def review_confirm(*, actor, item: ReviewItem, verdict: str, note: str = "") -> ReviewItem:
    """The unit confirms one task of the round (its liaisons); a later confirmation replaces an
    earlier one while the round is open."""
    if not access.may_confirm_review_item(actor, item):
        raise Forbidden(_("只有任务牵头单位的联络员可以确认。"))
    if item.round.status != ReviewRound.Status.OPEN:
        raise Invalid(_("该回头看已结束。"))
    if verdict not in ReviewItem.Verdict.values:
        raise Invalid(_("请选择核实情况。"))
    note = (note or "").strip()
    if verdict in (ReviewItem.Verdict.BEHIND, ReviewItem.Verdict.BLOCKED) and not note:
        raise Invalid(_("进度滞后或存在困难的，请说明原因。"))
    item.verdict, item.note, item.confirmed_by, item.confirmed_at = verdict, note, actor, timezone.now()
    item.save(update_fields=["verdict", "note", "confirmed_by", "confirmed_at"])
    return item


@transaction.atomic
def review_round_close(*, actor, round: ReviewRound) -> ReviewRound:
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以结束回头看。"))
    ReviewRound.objects.filter(pk=round.pk).update(status=ReviewRound.Status.CLOSED)
    round.refresh_from_db()
    return round
