from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from helpdesk.api_urls import urlpatterns as api_urls
from helpdesk.api_urls import v1
from helpdesk.health import healthz
from tickets.urls import (
    file_patterns,
    inbound_patterns,
    portal_patterns,
    public_patterns,
    workspace_patterns,
)


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    user = request.user
    if not user.is_authenticated:
        return redirect("public:new")
    if user.role == "customer":
        return redirect("portal:list")
    return redirect("workspace:queue")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("support/", include(public_patterns)),
    path("portal/", include(portal_patterns)),
    path("tickets/", include(workspace_patterns)),
    path("files/", include(file_patterns)),
    path("empathy/", include("empathy.urls")),
    path("surveys/", include("surveys.urls")),
    path("inbound/", include(inbound_patterns)),
    path("api/v1/", include((v1, "api-v1"))),
    path("api/", include((api_urls, "api"))),
    path("admin/", admin.site.urls),
]
