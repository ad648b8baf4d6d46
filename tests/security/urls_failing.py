"""The site's URLs plus one view that fails, so the 500 response class can be checked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from helpdesk.urls import urlpatterns as site_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unhandled error, as a bug would raise")


urlpatterns = [path("__failing__/", failing_view), *site_urlpatterns]
