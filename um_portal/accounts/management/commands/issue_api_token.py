"""Print an API token for a user (creating it if needed), for `Authorization: Bearer <token>`."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from um_portal.accounts.models import User


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
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        if not (user.is_provider or user.is_staff_member):
            raise CommandError(f"User {username!r} has no role that may use the API.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
