"""Print an API token for a user (creating it if needed), for `Authorization: Bearer <token>`."""

from django.core.management.base import BaseCommand, CommandError

from um_portal.accounts.models import User
from um_portal.accounts.services import api_token_issue
from um_portal.lib.errors import NotPermitted


class Command(BaseCommand):
    help = "Print the API token of USERNAME, creating one if needed (--rotate: a new one)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace any existing token with a new one."
        )

    def handle(self, *args, username: str, rotate: bool, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        try:
            token, _ = api_token_issue(user=user, actor=None, rotate=rotate)
        except NotPermitted as exc:
            raise CommandError(f"User {username!r}: {exc.message}") from exc
        self.stdout.write(token.key)
