"""Second factor for staff sign-in (django-otp): a TOTP authenticator and recovery codes.

HIPAA 45 CFR 164.312(d) (person or entity authentication) and ASVS 2.7/2.8: in production mode
(STAFF_2FA_REQUIRED) staff whose role reaches clinical data must sign in with a code from their
authenticator app; anyone else, providers included, may enrol, and once enrolled is asked too.
The session remembers that the second factor was given, so a page costs no extra query.
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from um_portal.audit.services import audit_event

from .roles import Role

# The roles that must use a second factor when STAFF_2FA_REQUIRED is on.
TWO_FACTOR_ROLES = (Role.DIRECTOR, Role.NURSE, Role.INTAKE, Role.MANAGER)
# Set in the session once the second factor was given, or was found not to be needed.
SESSION_KEY = "second_factor_ok"
RECOVERY_CODE_COUNT = 10
# Backends whose sign-in already includes the identity provider's own multi-factor check.
SSO_BACKENDS = ("um_portal.accounts.oidc.RoleMappingOIDCBackend",)


def second_factor_required(user) -> bool:
    """Whether this user must give a second factor after the password."""
    if settings.STAFF_2FA_REQUIRED and user.has_role(*TWO_FACTOR_ROLES):
        return True
    return user_has_device(user, confirmed=True)


def second_factor_mark_session(request, user) -> None:
    """At sign-in: note in the session when no second factor will be asked of this user."""
    if getattr(user, "backend", "") in SSO_BACKENDS or not second_factor_required(user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def second_factor_verify(*, request, code: str) -> bool:
    """Check a code from the authenticator or a recovery code; on success the session counts
    as verified. Recovery codes work once. Failures are audited; django-otp slows down
    repeated failures per device."""
    user = request.user
    code = "".join(code.split())
    device = match_token(user, code) if code else None
    if device is None:
        audit_event(
            actor=user,
            action="two_factor.failed",
            summary=f"Wrong second-factor code for {user.username}.",
            data={"user": str(user.pk)},
        )
        return False
    otp_login(request, device)
    request.session[SESSION_KEY] = True
    if isinstance(device, StaticDevice):
        audit_event(
            actor=user,
            action="two_factor.recovery_code_used",
            summary=f"{user.username} signed in with a recovery code.",
            data={"user": str(user.pk), "codes_left": device.token_set.count()},
        )
    return True


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed until its first code is entered)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_enrol(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending authenticator with its first code. On success it replaces any earlier
    authenticator, new recovery codes replace the old ones, and they are returned to be shown
    once; None when the code is wrong."""
    user = request.user
    if device.user_id != user.pk or not device.verify_token("".join(code.split())):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    otp_login(request, device)
    request.session[SESSION_KEY] = True
    audit_event(
        actor=user,
        action="two_factor.enrolled",
        summary=f"{user.username} enrolled an authenticator app.",
        data={"user": str(user.pk)},
    )
    return codes
