"""Demo: one registered member app (a public SMART client) that the demo member used, so the
usage page shows this year's count."""

from django.utils import timezone
from oauth2_provider.models import Application

from members.models import MemberAccount

from .models import PatientAccessTransfer

DEMO_APP = "My Health Record (demo app)"


def seed_interop(*, log) -> None:
    app, created = Application.objects.get_or_create(
        name=DEMO_APP,
        defaults={
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "https://app.example/callback",
            "algorithm": "",
        },
    )
    account = MemberAccount.objects.order_by("created_at").first()
    if created and account is not None:
        PatientAccessTransfer.objects.create(
            application=app, member=account.member, day=timezone.localdate(), calls=3, resources=7
        )
    log(f"Patient Access API: app '{DEMO_APP}' registered (client id {app.client_id}).")
