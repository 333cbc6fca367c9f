from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role
from egov.dossiers.models import Dossier
from egov.notifications import events, services
from egov.notifications.forms import NotificationFilterForm, PreferenceForm, TemplateForm
from egov.notifications.models import Channel, Notification, NotificationTemplate

RESEND_ROLES = [Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN]
# What a citizen reads about a message of theirs: whether it went, in their words.
CITIZEN_STATUS = {
    Notification.Status.QUEUED: gettext_lazy("Being sent"),
    Notification.Status.SENDING: gettext_lazy("Being sent"),
    Notification.Status.SENT: gettext_lazy("Sent"),
    Notification.Status.FAILED: gettext_lazy("Could not be sent"),
}


# --- Citizens ------------------------------------------------------------------------------------


@login_required
def preferences(request):
    current = services.preference_for(request.user)
    form = PreferenceForm(
        request.POST or None,
        user=request.user,
        initial={"channels": current.channels, "language": current.language},
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            user=request.user,
            channels=form.cleaned_data["channels"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def inbox(request):
    """The citizen's own messages, newest first, each with the dossier it is about."""
    if request.user.kind != "citizen":
        raise Http404
    page = Paginator(services.messages_of(request.user), 20).get_page(request.GET.get("page"))
    dossier_ids = {
        int(m.object_id)
        for m in page
        if m.object_type == "dossiers.dossier" and m.object_id.isdigit()
    }
    dossiers = dict(
        Dossier.objects.filter(pk__in=dossier_ids, applicant=request.user).values_list(
            "pk", "public_id"
        )
    )
    rows = [
        (
            message,
            dossiers.get(int(message.object_id)) if message.object_id.isdigit() else None,
            CITIZEN_STATUS[message.status],
        )
        for message in page
    ]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


# --- Staff: the delivery log ---------------------------------------------------------------------


def visible_notifications(user, roles=None):
    """Notifications of the agencies in the user's scope (those with no agency: city-wide only)."""
    rows = Notification.objects.select_related("agency")
    if scoping.covers_everything(user, roles):
        return rows
    return rows.filter(agency__in=scoping.agency_scope(user, roles))


@staff_required
def delivery_log(request):
    form = NotificationFilterForm(request.GET or None)
    rows = visible_notifications(request.user)
    if form.is_valid():
        data = form.cleaned_data
        for name in ("status", "channel", "event", "object_id"):
            if data[name]:
                rows = rows.filter(**{name: data[name]})
    page = Paginator(rows.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "about": None},
    )


@staff_required
def object_log(request, object_type: str, object_id: str):
    """Everything sent about one object (a dossier): 404 outside the user's agencies."""
    rows = visible_notifications(request.user).filter(object_type=object_type, object_id=object_id)
    if not rows.exists():
        raise Http404
    page = Paginator(rows.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/log.html",
        {"page": page, "about": f"{object_type} {object_id}", "query": ""},
    )


def _can_resend(user, notification) -> bool:
    if notification.agency_id is None:
        return scoping.covers_everything(user, RESEND_ROLES)
    return scoping.agency_scope(user, RESEND_ROLES).filter(pk=notification.agency_id).exists()


@staff_required
def notification_detail(request, pk: int):
    notification = get_object_or_404(visible_notifications(request.user), pk=pk)
    return render(
        request,
        "notifications/detail.html",
        {
            "notification": notification,
            "attempts": notification.delivery_attempts.order_by("number", "finished_at"),
            "can_resend": _can_resend(request.user, notification)
            and notification.status in {Notification.Status.FAILED, Notification.Status.SENT}
            and not (notification.sensitive and notification.status == Notification.Status.SENT),
        },
    )


@staff_required
@require_POST
def resend(request, pk: int):
    notification = get_object_or_404(visible_notifications(request.user), pk=pk)
    if not _can_resend(request.user, notification):
        raise PermissionDenied
    try:
        queued = services.resend(notification, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("notifications_staff:detail", pk=pk)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications_staff:detail", pk=queued.pk)


# --- Staff: templates ----------------------------------------------------------------------------


def _require_system_admin(user):
    if not scoping.is_system_wide(user):
        raise PermissionDenied


@staff_required
def template_list(request):
    _require_system_admin(request.user)
    saved = {
        (t.event, t.channel, t.language): t
        for t in NotificationTemplate.objects.select_related("updated_by")
    }
    rows = [
        {
            "event": event,
            "channel": channel,
            "language": language,
            "template": saved.get((event.code, channel.value, language)),
        }
        for event in events.all_events()
        for channel in Channel
        for language in ("vi", "en")
    ]
    return render(request, "notifications/template_list.html", {"rows": rows})


@staff_required
def template_edit(request, event: str, channel: str, language: str):
    _require_system_admin(request.user)
    try:
        event_type = events.get(event)
    except ValueError as exc:
        raise Http404 from exc
    if channel not in Channel.values or language not in {"vi", "en"}:
        raise Http404
    current = services.template_for(event, channel, language)
    initial = {}
    if current is not None and current.language == language:
        initial = {
            "subject": current.subject,
            "body": current.body,
            "zns_template_id": current.zns_template_id,
        }
    form = TemplateForm(
        request.POST or None,
        initial=initial,
        event=event_type,
        channel=channel,
        language=language,
    )
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "save":
        services.save_template(
            actor=request.user,
            event=event,
            channel=channel,
            language=language,
            subject=form.cleaned_data.get("subject", ""),
            body=form.cleaned_data["body"],
            zns_template_id=form.cleaned_data.get("zns_template_id", ""),
        )
        messages.success(request, _("The template is saved."))
        return redirect("notifications_staff:templates")
    return render(
        request,
        "notifications/template_edit.html",
        {
            "form": form,
            "event": event_type,
            "channel": Channel(channel),
            "language": language,
            "variables": sorted(event_type.variables.items()),
        },
    )
