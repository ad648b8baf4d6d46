from django.urls import path

from tickets.views import (
    bulk,
    files,
    inbound,
    macros,
    portal,
    presence,
    public,
    search,
    workspace,
)

public_patterns = (
    [
        path("new/", public.ticket_new, name="new"),
        path("thanks/", public.ticket_thanks, name="thanks"),
    ],
    "public",
)

portal_patterns = (
    [
        path("", portal.ticket_list, name="list"),
        path("login/<str:token>/", portal.magic_login, name="login"),
        path("tickets/<int:ticket_id>/", portal.ticket_detail, name="detail"),
        path("tickets/<int:ticket_id>/reply/", portal.ticket_reply, name="reply"),
    ],
    "portal",
)

workspace_patterns = (
    [
        path("", workspace.queue, name="queue"),
        path("new/", workspace.ticket_new_for_customer, name="new"),
        path("search/", search.search, name="search"),
        path("bulk/", bulk.bulk, name="bulk"),
        path("macros/", macros.macro_list, name="macros"),
        path("macros/<int:macro_id>/", macros.macro_edit, name="macro-edit"),
        path("macros/<int:macro_id>/delete/", macros.macro_remove, name="macro-delete"),
        path("<int:ticket_id>/", workspace.ticket_detail, name="detail"),
        path("<int:ticket_id>/reply/", workspace.ticket_reply_post, name="reply"),
        path("<int:ticket_id>/status/", workspace.ticket_status_post, name="status"),
        path("<int:ticket_id>/priority/", workspace.ticket_priority_post, name="priority"),
        path("<int:ticket_id>/take/", workspace.ticket_take_post, name="take"),
        path("<int:ticket_id>/presence/", presence.presence, name="presence"),
        path("<int:ticket_id>/assign/", workspace.ticket_assign_post, name="assign"),
        path("<int:ticket_id>/tags/", workspace.ticket_tags_post, name="tags"),
        path("<int:ticket_id>/merge/", workspace.ticket_merge_post, name="merge"),
    ],
    "workspace",
)

file_patterns = (
    [path("<int:attachment_id>/", files.attachment_download, name="attachment")],
    "files",
)

inbound_patterns = (
    [path("email/", inbound.inbound_email, name="email")],
    "inbound",
)
