import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from luoshi.supervision import ladder
from luoshi.supervision.models import EscalationProposal, Notification, ReviewItem, ReviewRound, SupervisionAction


def test_it_loads_a_living_supervision_demo_once(db):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    actions = SupervisionAction.objects.all()
    assert set(actions.values_list("kind", flat=True)) == set(ladder.LADDER)
    statuses = set(actions.values_list("status", flat=True))
    assert {"issued", "replied", "overdue", "closed"} <= statuses
    assert EscalationProposal.objects.filter(status="pending").exists()
    round_ = ReviewRound.objects.get()
    items = ReviewItem.objects.filter(round=round_)
    confirmed = items.filter(confirmed_at__isnull=False).count()
    assert 0 < confirmed < items.count()
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert all(a.issued_at.date() <= timezone.localdate() for a in actions)
    before = (actions.count(), EscalationProposal.objects.count(), Notification.objects.count())
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert (SupervisionAction.objects.count(), EscalationProposal.objects.count(), Notification.objects.count()) == before
    # the sweep of the next day finds something to do
    out = io.StringIO()
    call_command("sweep", "--date", (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "--dry-run", stdout=out)
    assert "reminders sent 0," not in out.getvalue()
