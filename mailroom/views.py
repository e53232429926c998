"""The mail room page (UM manager): the daily batches, their download (which hands a batch to the
mail house) and the return file import."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from um_portal.accounts.permissions import role_required
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.errors import DomainError
from um_portal.lib.http import report_domain_error

from .conf import mailroom_setting
from .forms import ReturnFileForm
from .selectors import MAILROOM_ROLES, mail_batch_case_ids, mail_batch_get, mail_batch_list
from .services import mail_batch_for_download, mail_return_import


def _page(request, *, form=None, status: int = 200):
    # The list shows dates and counts only, no member: nothing to log in the access log here.
    context = {
        "batches": mail_batch_list(request.user),
        "form": form or ReturnFileForm(),
        "by_sftp": mailroom_setting("MAILROOM_HANDOVER") == "sftp",
    }
    return render(request, "mailroom/batches.html", context, status=status)


@role_required(*MAILROOM_ROLES)
@require_GET
def batches(request):
    return _page(request)


@role_required(*MAILROOM_ROLES)
@require_POST
def batch_download(request, batch_id):
    """POST, not GET: downloading is the hand-over (a prefetching browser must not make it)."""
    batch = mail_batch_get(request.user, batch_id)
    try:
        data = mail_batch_for_download(batch=batch, actor=request.user)
    except FileNotFoundError:
        messages.error(request, "The batch's files are missing from storage.")
        return redirect("mailroom:batches")
    # The index names every member in the batch: each case is logged (one INSERT).
    audit_access_many(
        user=request.user,
        case_ids=mail_batch_case_ids(batch),
        action="mail_batch_download",
        channel=Channel.STAFF,
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="um-portal-mail-{batch.batch_date:%Y%m%d}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*MAILROOM_ROLES)
@require_POST
def return_import(request):
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        counts = mail_return_import(
            data=upload.read(), actor=request.user, filename=upload.name or ""
        )
    except DomainError as error:
        status = report_domain_error(request, error, form)
        return _page(request, form=form, status=status)
    messages.success(
        request,
        f"Return file recorded: {counts['mailed']} mailed, {counts['returned']} returned, "
        f"{counts['undeliverable']} undeliverable, {counts['unchanged']} already recorded.",
    )
    return redirect("mailroom:batches")
