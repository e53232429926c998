"""Helpers shared by the scheduling views."""

from django.contrib import messages

from um_portal.lib.errors import DomainError
from um_portal.lib.http import add_field_errors, domain_error_status


def apply_domain_error(request, form, error: DomainError) -> int:
    """Show a service's refusal on the form (field messages where they belong, the message on
    top when none is about a field; as a page message without a form) and return the status
    the answer carries (um_portal.lib.http: the error class's own)."""
    if form is None:
        messages.error(request, error.message)
    elif not error.field_errors:
        form.add_error(None, error.message)
    else:
        add_field_errors(form, error.field_errors)
    return domain_error_status(error)
