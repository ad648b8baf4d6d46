"""Attachment downloads: access-checked, never rendered inline as active content."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import can_see_internal_notes, tickets_visible_to
from tickets.models import Attachment, MessageKind


@require_GET
@login_required
def attachment_download(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=attachment_id, message__ticket__in=tickets_visible_to(request.user))
        .first()
    )
    if attachment is None or (
        attachment.message.kind == MessageKind.NOTE and not can_see_internal_notes(request.user)
    ):
        raise Http404("No such attachment.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        # Whatever the upload claimed, the browser gets opaque bytes to save.
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
