"""`luoshi demo`: migrate, load the demo data of 示范市, print the logins and serve.

Idempotent and quick on a second run: every app's loader creates only what is missing."""

import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


def demo_loaders():
    """Each app may have a `demo` module with `load(**context)`; they run in INSTALLED_APPS order,
    so the directory exists before the directives that name its units."""
    for config in apps.get_app_configs():
        if not config.name.startswith("luoshi."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield config.label, module


class Command(BaseCommand):
    help = "Load the 示范市 demo data (idempotent) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        context: dict = {}
        for label, module in demo_loaders():
            result = module.load(**context)
            if isinstance(result, dict):
                context.update({f"{label}_{k}": v for k, v in result.items()})
        self.stdout.write(f"演示数据已就绪（{time.monotonic() - started:.1f} 秒）。")
        self.print_logins()
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)

    def print_logins(self):
        from luoshi.orgs.demo import DEMO_PASSWORD, logins

        self.stdout.write("")
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for role, username, who in logins():
            self.stdout.write(f"  {role:<10} {username:<16} {who}")
        self.stdout.write("")
