"""Every API route, versioned under /api/v1/, plus the OpenAPI schema and offline docs."""

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.api import TokenListCreateApi, TokenRevokeApi
from empathy.api import CoachApi, ScoreListApi
from empathy.api_feedback import FeedbackAcknowledgeApi, FeedbackListApi
from empathy.api_library import ExemplaryListApi, ReflectionListCreateApi
from empathy.api_manage import EmpathyDashboardApi, ReviewApi
from helpdesk.api import not_found
from surveys.api import SurveyListApi, SurveySummaryApi
from tickets.api import (
    MessageListCreateApi,
    QueueListApi,
    TicketDetailApi,
    TicketListCreateApi,
    TicketMergeApi,
)
from tickets.api_customers import CustomerDetailApi, CustomerListApi
from tickets.api_events import TicketEventListApi
from tickets.api_macros import MacroDetailApi, MacroListCreateApi
from webhooks.api import WebhookDetailApi, WebhookListCreateApi

v1 = [
    path("tickets/", TicketListCreateApi.as_view(), name="tickets"),
    path("tickets/<int:ticket_id>/", TicketDetailApi.as_view(), name="ticket"),
    path("tickets/<int:ticket_id>/merge/", TicketMergeApi.as_view(), name="ticket-merge"),
    path("tickets/<int:ticket_id>/messages/", MessageListCreateApi.as_view(), name="messages"),
    path("tickets/<int:ticket_id>/events/", TicketEventListApi.as_view(), name="ticket-events"),
    path("queues/", QueueListApi.as_view(), name="queues"),
    path("customers/", CustomerListApi.as_view(), name="customers"),
    path("customers/<int:customer_id>/", CustomerDetailApi.as_view(), name="customer"),
    path("macros/", MacroListCreateApi.as_view(), name="macros"),
    path("macros/<int:macro_id>/", MacroDetailApi.as_view(), name="macro"),
    path("tokens/", TokenListCreateApi.as_view(), name="tokens"),
    path("tokens/<int:token_id>/", TokenRevokeApi.as_view(), name="token"),
    path("empathy/coach/", CoachApi.as_view(), name="empathy-coach"),
    path("empathy/scores/", ScoreListApi.as_view(), name="empathy-scores"),
    path("empathy/scores/<int:score_id>/review/", ReviewApi.as_view(), name="empathy-review"),
    path("empathy/feedback/", FeedbackListApi.as_view(), name="empathy-feedback"),
    path(
        "empathy/feedback/<int:review_id>/acknowledge/",
        FeedbackAcknowledgeApi.as_view(),
        name="empathy-feedback-acknowledge",
    ),
    path("empathy/dashboard/", EmpathyDashboardApi.as_view(), name="empathy-dashboard"),
    path("empathy/exemplary/", ExemplaryListApi.as_view(), name="empathy-exemplary"),
    path("empathy/reflections/", ReflectionListCreateApi.as_view(), name="empathy-reflections"),
    path("surveys/", SurveyListApi.as_view(), name="surveys"),
    path("surveys/summary/", SurveySummaryApi.as_view(), name="survey-summary"),
    path("webhooks/", WebhookListCreateApi.as_view(), name="webhooks"),
    path("webhooks/<int:webhook_id>/", WebhookDetailApi.as_view(), name="webhook"),
]


@extend_schema(exclude=True)
class SchemaApi(SpectacularAPIView):
    """The schema describes the v1 API, not itself."""


urlpatterns = [
    path("schema/", SchemaApi.as_view(), name="schema"),
    # Our CSP refuses inline code: the split view serves Swagger's start script as a file.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    # Last: whatever else ends in a slash. Paths without one keep APPEND_SLASH's redirect.
    re_path(r"^(?:[\s\S]*/)?$", not_found),
]
