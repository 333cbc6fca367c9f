"""Staff pages: each agency's queue of reports and the report with its actions; for system
administrators, the categories and the Open311 client applications with their keys.

Reports are found through the scoping helper: another agency's report answers 404."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import RoleAssignment, User
from egov.core.models import AuditEvent
from egov.core.paging import QueuePaginator
from egov.feedback import files, links, maps, queries, services
from egov.feedback.forms import (
    AnswerForm,
    ApiClientForm,
    AssignForm,
    CategoryForm,
    HideForm,
    MergeForm,
    NoteForm,
    QuestionFormSet,
    RedactForm,
    TransferForm,
)
from egov.feedback.labels import ACTIONS as ACTION_LABELS
from egov.feedback.models import ApiClient, Category, Media, Report
from egov.organizations.models import Agency

PAGE_SIZE = 25
# What a queue's row shows: the rows are read without the reports' texts.
QUEUE_FIELDS = [
    "code",
    "status",
    "due_at",
    "address",
    "category__name",
    "agency__name",
    "commune__name",
    "assignee__full_name",
    "assignee__username",
]


def _reports(request):
    return queries.staff_reports(request.user).select_related(
        "category", "agency", "assignee", "commune", "merged_into"
    )


def _report(request, code: str) -> Report:
    return get_object_or_404(_reports(request), code=code)


@staff_required
def queue(request):
    system_wide = scoping.is_system_wide(request.user)
    tab = request.GET.get("tab", "new")
    if tab not in queries.TAB_SLUGS:
        tab = "new"
    agencies = list(queries.queue_agencies(request.user, system_wide))
    agency = queries.chosen_agency(agencies, request.GET.get("co_quan", ""))
    reports = queries.staff_reports(request.user, [agency.pk] if agency else None).select_related(
        "category", "agency", "assignee", "commune"
    )
    category = request.GET.get("loai", "")
    if category:
        reports = reports.filter(category__code=category)
    if request.GET.get("cua_toi") == "1":
        reports = reports.filter(assignee=request.user)
    code = request.GET.get("ma", "").strip().upper()
    if code:
        found = reports.filter(code=code).first()
        if found is not None:
            return redirect("feedback_staff:report", code=found.code)
        messages.error(
            request, _("No report of your agencies has the code %(code)s.") % {"code": code[:20]}
        )
    now = timezone.now()
    soon = queries.due_soon_limit(now)
    listed = queries.tab(reports, tab, now, soon).only(*QUEUE_FIELDS)
    page = QueuePaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/staff_queue.html",
        {
            "tabs": queries.TABS,
            "tab": tab,
            "page": page,
            "rows": [(r, queries.deadline_state(r, now, soon)) for r in page],
            "categories": Category.objects.order_by("position", "name"),
            "category": category,
            # One agency's queue at a time for those who work in several; one needs no choice.
            "agencies": agencies if len(agencies) > 1 else [],
            "agency": agency,
            "all_agencies": queries.ALL_AGENCIES,
            "mine": request.GET.get("cua_toi") == "1",
            "query": query.urlencode(),
            "is_admin": system_wide,
            "perms_system_wide": system_wide,
        },
    )


def _people(report: Report):
    holders = RoleAssignment.objects.filter(
        role__in=services.HANDLING_ROLES, agency=report.agency
    ).values("user")
    return User.objects.filter(pk__in=holders, is_active=True, kind=User.Kind.STAFF).order_by(
        "full_name", "username"
    )


def _agencies():
    return Agency.objects.as_of(timezone.localdate()).order_by("path")


def _detail(request, report: Report, *, forms=None, status=200):
    forms = forms or {}
    can_act = services.can_handle(request.user, report.agency)
    media = list(report.media.all())
    history = report.events.select_related("actor").order_by("at", "id")
    trail = AuditEvent.objects.filter(
        object_type="feedback.report", object_id=str(report.pk)
    ).order_by("id")
    drawing = None
    if report.has_point:
        box = services.geo.box_around(report.latitude, report.longitude, 600)
        drawing = maps.draw(
            (box.south, box.west, box.north, box.east),
            [(report.latitude, report.longitude, "#", report.code, "pin-new")],
        )
    context = {
        "report": report,
        "answers": queries.attribute_answers(report),
        "can_act": can_act,
        "photos": [m for m in media if m.role == Media.Role.REPORT],
        "answer_photos": [m for m in media if m.role == Media.Role.ANSWER],
        "history": history,
        "trail": [(event, ACTION_LABELS.get(event.action, event.action)) for event in trail],
        "map": drawing,
        "deadline": queries.deadline_state(report),
        "candidates": services.duplicate_candidates(report) if report.is_open else [],
        "public_url": links.public_path(report),
        "assign_form": forms.get("assign") or AssignForm(people=_people(report)),
        "transfer_form": forms.get("transfer") or TransferForm(agencies=_agencies()),
        "merge_form": forms.get("merge") or MergeForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "close_form": forms.get("close") or NoteForm(),
        "hide_form": forms.get("hide") or HideForm(),
        "redact_form": forms.get("redact")
        or RedactForm(initial={"public_description": report.shown_description}),
    }
    return render(request, "feedback/staff_report.html", context, status=status)


@staff_required
def report(request, code: str):
    return _detail(request, _report(request, code))


def _uploads(request) -> list:
    return [services.Upload(f.name, f.read()) for f in request.FILES.getlist("media")]


DONE = {
    "take": gettext_lazy("The report is yours."),
    "assign": gettext_lazy("Assigned."),
    "transfer": gettext_lazy("Transferred; the reporter was told where and why."),
    "merge": gettext_lazy("Merged; the reporter was told where to follow the answer."),
    "answer": gettext_lazy("Answered; the reporter was told."),
    "close": gettext_lazy("Closed."),
    "hide": gettext_lazy("The report is hidden from the public."),
    "show": gettext_lazy("The report is public again."),
    "redact": gettext_lazy("The public now sees the new text."),
    "hide_media": gettext_lazy("The photo or video is hidden from the public."),
}


def _run(request, report: Report, action: str):
    """The action's form when its input is incomplete, else None once done."""
    post = request.POST
    user = request.user
    if action == "take":
        services.assign(report, actor=user, assignee=user)
    elif action == "assign":
        form = AssignForm(post, people=_people(report))
        if not form.is_valid():
            return form
        services.assign(report, actor=user, assignee=form.cleaned_data["assignee"])
    elif action == "transfer":
        form = TransferForm(post, agencies=_agencies())
        if not form.is_valid():
            return form
        services.transfer(
            report,
            actor=user,
            agency=form.cleaned_data["agency"],
            reason=form.cleaned_data["reason"],
        )
    elif action == "merge":
        form = MergeForm(post)
        if not form.is_valid():
            return form
        into = _reports(request).filter(code=form.cleaned_data["into"].strip().upper()).first()
        if into is None:
            raise ValidationError({"into": _("No report of your agencies has this code.")})
        services.merge(report, actor=user, into=into, note=form.cleaned_data["note"])
    elif action == "answer":
        form = AnswerForm(post)
        if not form.is_valid():
            return form
        services.answer(report, actor=user, text=form.cleaned_data["text"], files=_uploads(request))
    elif action == "close":
        services.close(report, actor=user, note=post.get("note", ""))
    elif action == "hide":
        services.hide(report, actor=user, reason=post.get("reason", ""))
    elif action == "show":
        services.show(report, actor=user)
    elif action == "redact":
        form = RedactForm(post)
        if not form.is_valid():
            return form
        services.redact(report, actor=user, **form.cleaned_data)
    elif action == "hide_media":
        chosen = post.get("media", "")
        item = report.media.filter(public_id=chosen).first() if _is_uuid(chosen) else None
        if item is None:
            raise Http404
        services.hide_media(item, actor=user, reason=post.get("reason", ""))
    else:
        raise Http404
    return None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@staff_required
@require_POST
def act(request, code: str):
    report = _report(request, code)
    action = request.POST.get("action", "")
    if action not in DONE:
        raise Http404
    try:
        incomplete = _run(request, report, action)
    except PermissionDenied:
        messages.error(request, _("You may read this report but not act on it."))
        return redirect("feedback_staff:report", code=report.code)
    except ValidationError as exc:
        form = _bound_form(request, report, action)
        if form is not None:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            for error in exc.messages:
                messages.error(request, error)
        report.refresh_from_db()
        return _detail(request, report, forms={action: form} if form else {}, status=400)
    if incomplete is not None:
        return _detail(request, report, forms={action: incomplete}, status=400)
    messages.success(request, DONE[action])
    return redirect("feedback_staff:report", code=report.code)


def _bound_form(request, report, action):
    post = request.POST
    return {
        "assign": lambda: AssignForm(post, people=_people(report)),
        "transfer": lambda: TransferForm(post, agencies=_agencies()),
        "merge": lambda: MergeForm(post),
        "answer": lambda: AnswerForm(post),
        "close": lambda: NoteForm(post),
        "hide": lambda: HideForm(post),
        "redact": lambda: RedactForm(post),
    }.get(action, lambda: None)()


@staff_required
def media_file(request, public_id, thumbnail: bool = False):
    item = get_object_or_404(
        scoping.scoped(
            Media.objects.all(),
            request.user,
            roles=services.READING_ROLES,
            agency_field="report__agency",
        ),
        public_id=public_id,
    )
    stored = item.thumbnail if thumbnail else item.file
    if not stored:
        raise Http404
    content_type = "image/jpeg" if thumbnail else item.mime
    return files.serve(request, stored, content_type, "private, no-store")


def media_thumbnail(request, public_id):
    return media_file(request, public_id, thumbnail=True)


# --- Administration -----------------------------------------------------------------------------


def _admin_only(request) -> None:
    if not scoping.is_system_wide(request.user):
        raise PermissionDenied


@staff_required
def categories(request):
    _admin_only(request)
    return render(
        request,
        "feedback/staff_categories.html",
        {"categories": Category.objects.select_related("agency").order_by("position", "name")},
    )


@staff_required
def category_edit(request, pk: int | None = None):
    _admin_only(request)
    category = get_object_or_404(Category, pk=pk) if pk else Category()
    form = CategoryForm(request.POST or None, instance=category)
    questions = QuestionFormSet(request.POST or None, instance=category, prefix="q")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        try:
            with transaction.atomic():
                services.save_category(form.instance, actor=request.user)
                services.save_questions(questions, actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Saved. Citizens and Open311 clients see it at once."))
            return redirect("feedback_staff:categories")
    invalid = bool(form.errors) or (questions.is_bound and not questions.is_valid())
    return render(
        request,
        "feedback/staff_category.html",
        {"form": form, "category": category, "questions": questions},
        status=400 if invalid else 200,
    )


@staff_required
def api_clients(request):
    _admin_only(request)
    form = ApiClientForm(request.POST or None)
    issued_key = None
    if request.method == "POST" and form.is_valid():
        client, issued_key = services.issue_api_key(actor=request.user, **form.cleaned_data)
        form = ApiClientForm()
        messages.success(
            request,
            _("Key issued to %(name)s. Copy it now: it is shown only once.")
            % {"name": client.name},
        )
    return render(
        request,
        "feedback/staff_api_clients.html",
        {
            "form": form,
            "clients": ApiClient.objects.select_related("created_by"),
            "issued_key": issued_key,
            "endpoint": links.absolute(reverse("open311:discovery", args=["json"])),
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def api_client_revoke(request, pk: int):
    _admin_only(request)
    client = get_object_or_404(ApiClient, pk=pk)
    services.revoke_api_key(client, actor=request.user)
    messages.success(request, _("The key of %(name)s no longer works.") % {"name": client.name})
    return redirect("feedback_staff:api_clients")
