"""API plumbing shared by every app: error bodies, pagination, throttles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def error_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers `{"error": {"code", "message", "fields"?}}`.

    Services raise Django's ValidationError (or TicketError) for business rules; the API
    turns them into 400s here, so views never translate errors themselves.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {"non_field_errors": exc.messages}
            if not hasattr(exc, "error_dict")
            else exc.message_dict
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        non_field = fields.pop("non_field_errors", None) if isinstance(fields, dict) else None
        message = " ".join(str(m) for m in non_field) if non_field else "Invalid input."
        body: dict[str, Any] = {"code": "invalid", "message": message}
        if fields:
            body["fields"] = fields
        if non_field and response.status_code == status.HTTP_400_BAD_REQUEST:
            body["code"] = getattr(exc, "code", None) or "invalid"
    else:
        detail = data.get("detail") if isinstance(data, dict) else data
        body = {"code": str(getattr(detail, "code", code)), "message": str(detail)}
    response.data = {"error": body}
    return response


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """Unknown API URLs (`/api/v1/tickets/abc/`) answer in the API's error shape.

    Without it they fall through to the site's HTML 404 page, which API clients cannot read.
    """
    body = {"error": {"code": "not_found", "message": "Not found."}}
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)


class ErrorDetailSerializer(serializers.Serializer[object]):
    code = serializers.CharField()
    message = serializers.CharField()
    # The metaclass collects declared fields, so this does not shadow Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Per-field messages, for invalid input."
    )


class ErrorSerializer(serializers.Serializer[object]):
    error = ErrorDetailSerializer()


_ERROR_DESCRIPTIONS = {
    400: "Invalid input or a business rule refused it.",
    401: "Missing, invalid or revoked credentials.",
    403: "Not allowed for this user.",
    404: "No such object, or not visible to this user.",
    409: "The object changed since it was read.",
    429: "Too many requests.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the errors an operation answers, besides the 401 and 429 of all."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in sorted({*codes, 401, 429})
    }


class CreatedCursorPagination(pagination.CursorPagination):
    """Cursor pagination: constant cost at any depth, stable under inserts."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-created_at"


DEFAULT_PERIOD_DAYS = 56  # reports cover the last eight weeks unless told otherwise


class PeriodSerializer(serializers.Serializer[object]):
    """`start`/`end` query parameters of a report, with the default period filled in."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, date]:
        end = attrs.get("end") or timezone.localdate()
        try:
            start = attrs.get("start") or end - timedelta(days=DEFAULT_PERIOD_DAYS)
        except OverflowError:  # end=0001-01-05: eight weeks before it is no date
            raise serializers.ValidationError({"end": ["Too early."]}) from None
        if start > end:
            raise serializers.ValidationError("The start must not be after the end.")
        return {"start": start, "end": end}
