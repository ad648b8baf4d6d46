"""The MTA pipe endpoint: POST a raw RFC 5322 message with the shared secret."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tickets.errors import TicketError
from tickets.services.email_intake import MAX_RAW_BYTES, email_receive


@csrf_exempt  # machine-to-machine: authenticated by the shared secret, not a session
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    secret = settings.ATTUNE_INBOUND_EMAIL_SECRET
    presented = request.headers.get("X-Attune-Secret", "")
    if not secret:
        return JsonResponse({"error": "Inbound email is not configured."}, status=503)
    if not hmac.compare_digest(presented.encode(), secret.encode()):
        return JsonResponse({"error": "Invalid or missing X-Attune-Secret."}, status=403)
    # Read the stream, not request.body: DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB) is meant
    # for form posts and would refuse ordinary mail with a few attachments.
    raw = request.read(MAX_RAW_BYTES + 1)
    try:
        inbound, created = email_receive(raw)
    except TicketError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {"id": inbound.pk, "message_id": inbound.message_id, "duplicate": not created},
        status=202 if created else 200,
    )
