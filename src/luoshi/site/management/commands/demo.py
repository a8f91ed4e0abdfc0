"""`luoshi demo`: migrate, load the demo data of 示范市, print the logins and serve — with one
job worker beside the web server, so notifications go out without anything else to start.

Idempotent and quick on a second run: every app's loader creates only what is missing."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from luoshi.directives import demo as directives_demo
from luoshi.indicators import demo as indicators_demo
from luoshi.orgs import demo as orgs_demo
from luoshi.projects import demo as projects_demo
from luoshi.reports import demo as reports_demo
from luoshi.requests import demo as requests_demo
from luoshi.supervision import demo as supervision_demo
from luoshi.tasks import demo as tasks_demo

#: Each app's `load(**context)`, in the order their data depends on each other: the directory
#: before the directives that name its units, the directives before the tasks taken from them.
LOADERS = (
    ("orgs", orgs_demo),
    ("directives", directives_demo),
    ("tasks", tasks_demo),
    ("supervision", supervision_demo),
    ("indicators", indicators_demo),
    ("projects", projects_demo),
    ("requests", requests_demo),
    ("reports", reports_demo),
)


class Command(BaseCommand):
    help = "Load the 示范市 demo data (idempotent) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        context: dict = {}
        for label, module in LOADERS:
            result = module.load(**context)
            if isinstance(result, dict):
                context.update({f"{label}_{k}": v for k, v in result.items()})
        self.stdout.write(f"演示数据已就绪（{time.monotonic() - started:.1f} 秒）。")
        self.print_logins()
        if not no_serve:
            worker = self.start_worker()
            # A plain `kill` ends the demo through the finally below, taking its worker with it.
            signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()
                    worker.wait(timeout=15)

    def start_worker(self):
        """`luoshi db_worker` as a child process when jobs wait in the database (the default);
        with TASKS_BACKEND=immediate they run in the web server itself and there is nothing to start."""
        if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
            return None
        self.stdout.write("后台任务进程已启动（luoshi db_worker）。")
        return subprocess.Popen([sys.executable, "-m", "luoshi", "db_worker", "--no-reload", "--verbosity", "0"])

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write("演示账号（密码均为 %s）：" % orgs_demo.DEMO_PASSWORD)
        for role, username, who in orgs_demo.logins():
            self.stdout.write(f"  {role:<10} {username:<16} {who}")
        self.stdout.write("")
