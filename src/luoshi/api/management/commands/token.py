from django.core.management.base import BaseCommand, CommandError

from luoshi.api.services import token_create
from luoshi.orgs.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        _record, token = token_create(user=user, name=name)
        self.stdout.write(token)
