"""Managing canned responses (any staff member) in the workspace."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import queues_visible_to
from tickets.errors import TicketError
from tickets.models import Macro, Queue
from tickets.services.macros import PLACEHOLDERS, macro_delete, macro_save, macros_for
from tickets.views.workspace import staff_required


class MacroForm(forms.Form):
    name = forms.CharField(max_length=100)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000)
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(), required=False, empty_label="Every queue"
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["queue"].queryset = queues_visible_to(user)  # type: ignore[attr-defined, arg-type]


def _macro(request: AuthenticatedHttpRequest, macro_id: int) -> Macro:
    macro = macros_for(user=request.user).filter(pk=macro_id).first()
    if macro is None:
        raise Http404("No such macro.")
    return macro


@require_http_methods(["GET", "POST"])
@staff_required
def macro_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MacroForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            macro_save(user=request.user, **form.cleaned_data)
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Macro saved.")
            return redirect("workspace:macros")
    return render(
        request,
        "tickets/workspace/macros.html",
        {
            "macros": macros_for(user=request.user).select_related("queue"),
            "form": form,
            "placeholders": PLACEHOLDERS,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def macro_edit(request: AuthenticatedHttpRequest, macro_id: int) -> HttpResponse:
    macro = _macro(request, macro_id)
    initial = {"name": macro.name, "body": macro.body, "queue": macro.queue}
    form = MacroForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            macro_save(user=request.user, macro=macro, **form.cleaned_data)
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Macro updated.")
            return redirect("workspace:macros")
    return render(
        request,
        "tickets/workspace/macro_edit.html",
        {"macro": macro, "form": form, "placeholders": PLACEHOLDERS},
    )


@require_POST
@staff_required
def macro_remove(request: AuthenticatedHttpRequest, macro_id: int) -> HttpResponse:
    macro_delete(macro=_macro(request, macro_id))
    messages.success(request, "Macro deleted.")
    return redirect("workspace:macros")
