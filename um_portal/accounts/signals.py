"""Receivers for the sign-in signals of Django and django-axes; accounts.signin does the work."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .signin import sign_in_failure_record, sign_in_lockout_record
from .two_factor import second_factor_mark_session


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    sign_in_failure_record(
        username=str(credentials.get("username") or ""),
        ip_address=getattr(request, "axes_ip_address", None),
        path=request.path if request is not None else "",
    )


@receiver(user_locked_out, dispatch_uid="accounts.audit_sign_in_locked_out")
def audit_sign_in_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    sign_in_lockout_record(username=username, ip_address=ip_address)


@receiver(user_logged_in, dispatch_uid="accounts.second_factor_mark_session")
def mark_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        second_factor_mark_session(request, user)
