"""`luoshi sweep [--date YYYY-MM-DD] [--dry-run]`: the daily run (schedule it once a day).

Supervision's sweep (health, reminders, proposals, deliveries), then the day's dashboard snapshot
from reports: the command sits above both, so neither needs to know the other."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.indicators import fragments
from luoshi.reports.services import snapshot_take
from luoshi.supervision import sweeper
from luoshi.supervision.services import retry_locked


class Command(BaseCommand):
    help = "Recompute task health, send due reminders, propose escalations, retry failed notifications."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be done; change nothing")

    def handle(self, *args, date=None, dry_run=False, **options):
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期格式不正确（应为 YYYY-MM-DD）：{date}") from None
        else:
            today = timezone.localdate()
        result = sweeper.run(today, dry_run=dry_run)
        if not dry_run:
            # The day's health counts, from which the leaders' dashboard draws its trend.
            retry_locked(lambda: snapshot_take(today=today))
            # The indicator pages' markup no one has opened for a while (written again on demand).
            pruned = retry_locked(lambda: fragments.prune(now=timezone.now()))
            if pruned:
                result.details.append(f"stored indicator markup deleted {pruned}")
            for detail in result.details:  # e.g. delivery jobs left for the workers
                self.stdout.write(detail)
        self.stdout.write(result.line())
