"""`luoshi sweep [--date YYYY-MM-DD] [--dry-run]`: the daily run (schedule it once a day)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Recompute task health, send due reminders, propose escalations, retry failed notifications."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be done; change nothing")

    def handle(self, *args, date=None, dry_run=False, **options):
        from luoshi.supervision import sweeper

        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期格式不正确（应为 YYYY-MM-DD）：{date}") from None
        else:
            today = timezone.localdate()
        result = sweeper.run(today, dry_run=dry_run)
        self.stdout.write(result.line())
