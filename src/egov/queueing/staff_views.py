"""The desk officer's queue page: their counter, call the next number, recall, close."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.accounts.models import Role
from egov.accounts.scoping import get_scoped_or_404
from egov.core import flash
from egov.queueing import queries, services
from egov.queueing.forms import CounterForm
from egov.queueing.models import Ticket


def _desk(request, desk_id: int):
    return get_scoped_or_404(
        queries.public_desks(), request.user, roles=[Role.DESK_OFFICER], pk=desk_id
    )


def _page(request, desk, form=None, status=200):
    saved = services.counter_of(desk, request.user)
    if form is None:
        initial = {"label": saved.label, "served": saved.fields.all()} if saved else {}
        form = CounterForm(initial=initial, desk=desk)
    mine = list(
        queries.today_tickets(desk)
        .filter(status=Ticket.Status.CALLED, called_by=request.user)
        .select_related("field")
    )
    return render(
        request,
        "queueing/officer.html",
        {
            "desk": desk,
            "form": form,
            "counter": saved,
            "mine": mine,
            "counts": queries.counts_by_field(desk),
            "others": [t for t in queries.calling(desk) if t.called_by_id != request.user.pk],
        },
        status=status,
    )


@staff_required
def desks(request):
    found = list(queries.officer_desks(request.user))
    if len(found) == 1:
        return redirect("queueing_staff:desk", desk_id=found[0].pk)
    return render(request, "queueing/desks.html", {"desks": found})


@staff_required
def desk(request, desk_id: int):
    return _page(request, _desk(request, desk_id))


@staff_required
@require_POST
def set_counter(request, desk_id: int):
    desk = _desk(request, desk_id)
    form = CounterForm(request.POST, desk=desk)
    if not form.is_valid():
        return _page(request, desk, form, status=400)
    services.set_counter(
        desk,
        officer=request.user,
        label=form.cleaned_data["label"],
        fields=form.cleaned_data["served"],
    )
    messages.success(request, _("Your counter was saved."))
    return redirect("queueing_staff:desk", desk_id=desk.pk)


@staff_required
@require_POST
def call_next(request, desk_id: int):
    desk = _desk(request, desk_id)
    try:
        ticket = services.call_next(desk, officer=request.user)
    except ValidationError as exc:
        flash.errors(request, exc)
    else:
        if ticket is None:
            messages.info(request, _("Nobody is waiting for your fields."))
        else:
            messages.success(
                request,
                _("Number %(label)s is called to counter %(counter)s.")
                % {"label": ticket.label, "counter": ticket.counter},
            )
    return redirect("queueing_staff:desk", desk_id=desk.pk)


ACTIONS = {
    "recall": (services.recall, gettext_lazy("Number %(label)s is called again.")),
    "serve": (services.serve, gettext_lazy("Number %(label)s was served.")),
    "no-show": (services.mark_no_show, gettext_lazy("Number %(label)s did not come.")),
}


@staff_required
@require_POST
def act(request, desk_id: int, public_id, action: str):
    desk = _desk(request, desk_id)
    ticket = get_object_or_404(queries.today_tickets(desk).filter(public_id=public_id))
    if action not in ACTIONS:
        raise Http404
    operation, done = ACTIONS[action]
    try:
        ticket = operation(ticket, officer=request.user)
    except ValidationError as exc:
        flash.errors(request, exc)
    else:
        messages.success(request, done % {"label": ticket.label})
    return redirect("queueing_staff:desk", desk_id=desk.pk)
