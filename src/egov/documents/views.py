"""Staff pages under /staff/documents/: the work lists, drafting, the document page with the
actions its state and the person's roles allow, paper registration, the registers and their
exports, the exchange log. Thin: they parse, call a service, render. Another agency's document
is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role, User
from egov.core import flash
from egov.core.paging import CappedPaginator
from egov.documents import delivery, exchange, forms, incoming, registers, search, services
from egov.documents.models import (
    DocumentFile,
    DocumentRegister,
    ExchangeMessage,
    OfficialDocument,
)
from egov.organizations.models import Agency

State = OfficialDocument.State
PAGE_SIZE = 25


def _document(request, public_id) -> OfficialDocument:
    return scoping.get_scoped_or_404(
        OfficialDocument.objects.select_related("agency", "register", "approver"),
        request.user,
        public_id=public_id,
    )


def _fail(request, exc) -> None:
    if isinstance(exc, ValidationError):
        flash.errors(request, exc)
    else:
        messages.error(request, str(exc) or _("You may not do this."))


def _units(agency):
    return Agency.objects.filter(path__startswith=agency.path).exclude(pk=agency.pk)


def _people(agency):
    return User.objects.filter(
        Q(agency__path__startswith=agency.path), kind=User.Kind.STAFF, is_active=True
    ).order_by("full_name")


@staff_required
def home(request):
    user = request.user
    outgoing = scoping.scoped(OfficialDocument.objects.filter(direction="out"), user)
    clerk_agencies = scoping.agency_scope(user, [Role.CLERK]).values("pk")
    lists = [
        (
            "my_drafts",
            _("My drafts"),
            outgoing.filter(drafted_by=user, state__in=[State.DRAFT, State.RETURNED]),
        ),
        (
            "to_approve",
            _("Waiting for my approval"),
            outgoing.filter(approver=user, state=State.SUBMITTED),
        ),
        (
            "to_issue",
            _("To issue"),
            outgoing.filter(state=State.APPROVED, agency__in=clerk_agencies),
        ),
        ("arrived", _("Arrived, to register"), incoming.queue(user, "arrived")),
        ("to_direct", _("To direct"), incoming.queue(user, "to_direct")),
        ("mine", _("Assigned to me"), incoming.queue(user, "mine")),
        ("due_soon", _("Due within three days"), incoming.queue(user, "due_soon")),
        ("overdue", _("Overdue"), incoming.queue(user, "overdue")),
    ]
    tab = request.GET.get("tab") or next((code for code, _l, q in lists if q.exists()), "arrived")
    current = next((q for code, _l, q in lists if code == tab), None)
    if current is None:
        raise Http404
    page = Paginator(current.select_related("agency").order_by("-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "documents/home.html",
        {
            "tabs": [(code, label) for code, label, _q in lists],
            "tab": tab,
            "page": page,
            "query": f"tab={tab}",
            "search": forms.SearchForm(),
            "now": timezone.now(),
            "can_draft": scoping.agency_scope(user, services.DRAFTER_ROLES).exists(),
            "is_clerk": scoping.agency_scope(user, [Role.CLERK]).exists(),
        },
    )


@staff_required
def search_view(request):
    form = forms.SearchForm(request.GET or None)
    paginator: CappedPaginator
    if form.is_valid():
        data = form.cleaned_data
        paginator = search.paginator(
            request.user,
            data["q"],
            PAGE_SIZE,
            direction=data["direction"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    else:
        paginator = CappedPaginator(OfficialDocument.objects.none(), PAGE_SIZE)
    # Counted up to the cap: a common word matches much of a register (docs/documents.md).
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _draft_form(request, data=None, files=None, initial=None):
    agencies = scoping.agency_scope(request.user, services.DRAFTER_ROLES).filter(
        document_profile__isnull=False
    )
    agency = agencies.first()
    if data and data.get("agency"):
        agency = agencies.filter(pk=data.get("agency")).first() or agency
    units = _units(agency) if agency else Agency.objects.none()
    leaders = services.leaders_of(agency) if agency else User.objects.none()
    initial = dict(initial or {})
    if agency is not None:
        initial.setdefault("agency", agency.pk)
    return forms.DraftForm(
        data, files, initial=initial, agencies=agencies, units=units, leaders=leaders
    )


@staff_required
def new(request):
    reply_to = replaces = None
    source = request.POST if request.method == "POST" else request.GET
    if source.get("reply_to"):
        reply_to = _document(request, source["reply_to"])
    if source.get("replaces"):
        replaces = _document(request, source["replaces"])
    if request.method == "POST":
        form = _draft_form(request, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["draft_file"]
            attachment = data["attachments"]
            try:
                document = services.create_draft(
                    data["agency"],
                    actor=request.user,
                    subject=data["subject"],
                    document_type=data["document_type"],
                    legal_normative=data["legal_normative"],
                    body=data["body"],
                    secrecy=data["secrecy"],
                    urgency=data["urgency"],
                    reply_due=data["reply_due"],
                    drafting_unit=data["drafting_unit"],
                    approver=data["approver"],
                    signer_title=data["signer_title"],
                    signer_competence=data["signer_competence"],
                    recipients=form.recipients(),
                    draft_file=(upload.name, upload.read()) if upload else None,
                    attachments=[(attachment.name, attachment.read())] if attachment else [],
                    in_reply_to=reply_to,
                    replaces=replaces,
                )
            except (ValidationError, PermissionDenied) as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("documents:detail", public_id=document.public_id)
        status = 400
    else:
        initial = {}
        if reply_to is not None:
            initial = {
                "subject": _("Reply to %(reference)s") % {"reference": reply_to.reference},
                "agency": reply_to.agency_id,
            }
        if replaces is not None:
            initial = {
                "subject": replaces.subject,
                "body": replaces.body,
                "document_type": replaces.document_type,
                "agency": replaces.agency_id,
                "signer_title": replaces.signer_title,
            }
        form = _draft_form(request, initial=initial)
        status = 200
    return render(
        request,
        "documents/draft.html",
        {"form": form, "reply_to": reply_to, "replaces": replaces},
        status=status,
    )


def _actions(request, document) -> dict:
    user = request.user
    agency = document.agency
    leader = any(scoping.has_role(user, r, agency) for r in services.LEADER_ROLES)
    clerk = scoping.has_role(user, Role.CLERK, agency)
    drafter = any(scoping.has_role(user, r, agency) for r in services.DRAFTER_ROLES)
    state = document.state
    handler = document.assignments.filter(user=user).exists() or leader
    actions = {
        "submit": document.is_outgoing and drafter and state in services.EDITABLE,
        "review": document.is_outgoing
        and state == State.SUBMITTED
        and leader
        and document.approver_id in (None, user.pk),
        "issue": document.is_outgoing and state == State.APPROVED and clerk,
        "revoke": document.is_outgoing and state == State.ISSUED and (clerk or leader),
        "register": not document.is_outgoing and state == State.ARRIVED and clerk,
        "direct": not document.is_outgoing
        and state in (State.REGISTERED, State.IN_PROGRESS)
        and leader,
        "progress": not document.is_outgoing and state == State.IN_PROGRESS and handler,
        "answer_revocation": not document.is_outgoing
        and bool(document.revocation_reason)
        and state not in (State.REVOKED, State.REFUSED)
        and (clerk or leader),
    }
    if actions["issue"]:
        actions["issue_form"] = forms.IssueForm(
            registers=DocumentRegister.objects.filter(
                agency=agency, direction="out", is_active=True
            ),
            initial={"register": _suggested_register(document)},
        )
    if actions["direct"]:
        actions["direct_form"] = forms.DirectForm(units=_units(agency), people=_people(agency))
    return actions


def _suggested_register(document):
    from egov.documents.numbering import register_for

    try:
        return register_for(document)
    except ValidationError:
        return None


@staff_required
def detail(request, public_id):
    document = _document(request, public_id)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "files": document.files.order_by("role", "id"),
            "comments": document.comments.order_by("created_at", "id"),
            "recipients": document.recipients.all(),
            "assignments": document.assignments.select_related("user"),
            "replies": document.replies.all(),
            "actions": _actions(request, document),
            "exchange": ExchangeMessage.objects.filter(document=document).order_by("id"),
            "now": timezone.now(),
        },
    )


@staff_required
def download(request, public_id, file_id: int):
    document = _document(request, public_id)
    item = get_object_or_404(DocumentFile, document=document, pk=file_id)
    return FileResponse(
        item.content.open("rb"), as_attachment=True, filename=item.name, content_type=item.mime
    )


def _run(request, document, operation, success: str, **arguments):
    try:
        operation(document, actor=request.user, **arguments)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return redirect("documents:detail", public_id=document.public_id)


@staff_required
@require_POST
def act(request, public_id, action: str):
    document = _document(request, public_id)
    post = request.POST
    if action == "submit":
        return _run(request, document, services.submit, _("Sent to the leader for approval."))
    if action == "return":
        return _run(
            request,
            document,
            services.return_for_changes,
            _("Returned to the drafter with your comment."),
            comment=post.get("comment", ""),
        )
    if action == "approve":
        return _run(
            request,
            document,
            services.approve_and_sign,
            _("Approved and signed; the clerk can issue it."),
            comment=post.get("comment", ""),
        )
    if action == "issue":
        register = DocumentRegister.objects.filter(
            pk=post.get("register") or 0, agency=document.agency, direction="out"
        ).first()
        return _run(request, document, services.issue, _("Issued and sent."), register=register)
    if action == "revoke":
        return _run(
            request,
            document,
            services.revoke,
            _("Revoked; the recipients are told."),
            reason=post.get("reason", ""),
        )
    if action == "register":
        return _run(request, document, incoming.register, _("Registered in the incoming register."))
    if action == "refuse":
        return _run(
            request,
            document,
            incoming.refuse,
            _("Refused; the sender is told."),
            reason=post.get("reason", ""),
        )
    if action == "direct":
        form = forms.DirectForm(
            post, units=_units(document.agency), people=_people(document.agency)
        )
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect("documents:detail", public_id=document.public_id)
        data = form.cleaned_data
        return _run(
            request,
            document,
            incoming.direct,
            _("Directed to its handlers."),
            instruction=data["instruction"],
            lead_unit=data["lead_unit"],
            handler=data["handler"],
            supporters=list(data["supporters"]),
            days=data["days"],
        )
    if action == "progress":
        return _run(
            request,
            document,
            incoming.record_progress,
            _("Progress recorded."),
            text=post.get("text", ""),
        )
    if action == "complete":
        reply = document.replies.filter(pk=post.get("reply") or 0).first()
        return _run(
            request,
            document,
            incoming.complete,
            _("Marked as handled."),
            note=post.get("note", ""),
            reply=reply,
        )
    if action in ("agree_revocation", "refuse_revocation"):
        return _run(
            request,
            document,
            incoming.answer_revocation,
            _("Your answer was sent."),
            agree=action == "agree_revocation",
            note=post.get("note", ""),
        )
    raise Http404


@staff_required
def paper(request):
    agencies = scoping.agency_scope(request.user, [Role.CLERK])
    form = forms.PaperForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = incoming.register_paper(
                data["agency"],
                actor=request.user,
                subject=data["subject"],
                sender_name=data["sender_name"],
                reference=data["reference"],
                document_date=data["document_date"],
                document_type=data["document_type"],
                urgency=data["urgency"],
                secrecy=data["secrecy"],
                scan=(data["scan"].name, data["scan"].read()),
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                _("Registered with incoming number %(number)s.") % {"number": document.number},
            )
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/paper.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _register_agency(request, agency_id):
    return get_object_or_404(
        scoping.agency_scope(
            request.user, [Role.CLERK, Role.AGENCY_ADMIN, Role.LEADER, Role.AUDITOR]
        ),
        pk=agency_id,
    )


@staff_required
def registers_view(request):
    agencies = scoping.agency_scope(
        request.user, [Role.CLERK, Role.AGENCY_ADMIN, Role.LEADER, Role.AUDITOR]
    )
    agency = (
        agencies.filter(pk=request.GET.get("agency") or 0).first()
        or agencies.filter(document_profile__isnull=False).first()
        or agencies.first()
    )
    if agency is None:
        raise PermissionDenied
    profile = getattr(agency, "document_profile", None)
    today = timezone.localdate()
    return render(
        request,
        "documents/registers.html",
        {
            "agency": agency,
            "agencies": agencies.order_by("code")[:200],
            "registers": DocumentRegister.objects.filter(agency=agency),
            "profile_form": forms.ProfileForm(
                initial={
                    "abbreviation": profile.abbreviation if profile else "",
                    "place_name": profile.place_name if profile else "",
                    "governing_body": profile.governing_body if profile else "",
                }
            ),
            "register_form": forms.RegisterForm(),
            "period": forms.PeriodForm(
                initial={
                    "date_from": today.replace(month=1, day=1),
                    "date_to": today,
                }
            ),
            "counts": registers.monthly_counts(agency, today.year),
        },
    )


@staff_required
@require_POST
def save_profile(request, agency_id: int):
    agency = _register_agency(request, agency_id)
    form = forms.ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.save_profile(agency, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Saved."))
    else:
        _fail(request, ValidationError([e for errors in form.errors.values() for e in errors]))
    return redirect(f"{_registers_url()}?agency={agency.pk}")


def _registers_url():
    from django.urls import reverse

    return reverse("documents:registers")


@staff_required
@require_POST
def add_register(request, agency_id: int):
    agency = _register_agency(request, agency_id)
    form = forms.RegisterForm(request.POST)
    if form.is_valid():
        try:
            services.create_register(agency, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The register was added."))
    else:
        _fail(request, ValidationError([e for errors in form.errors.values() for e in errors]))
    return redirect(f"{_registers_url()}?agency={agency.pk}")


@staff_required
def export(request, register_id: int, fmt: str):
    register = get_object_or_404(
        DocumentRegister.objects.select_related("agency"),
        pk=register_id,
        agency__in=scoping.agency_scope(request.user).values("pk"),
    )
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{_registers_url()}?agency={register.agency_id}")
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if fmt == "pdf":
        data, mime = registers.register_pdf(register, start, end), "application/pdf"
    elif fmt == "xlsx":
        data = registers.register_xlsx(register, start, end)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=mime)
    name = f"so-van-ban-{register.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def exchange_log(request):
    messages_list = scoping.scoped(ExchangeMessage.objects.all(), request.user).order_by("-id")
    page = Paginator(messages_list, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/exchange.html", {"page": page})


@staff_required
@require_POST
def retry_message(request, message_id: int):
    message = get_object_or_404(
        scoping.scoped(ExchangeMessage.objects.all(), request.user),
        pk=message_id,
        direction="out",
        state=ExchangeMessage.State.FAILED,
    )
    if not (
        scoping.has_role(request.user, Role.CLERK, message.agency)
        or scoping.has_role(request.user, Role.AGENCY_ADMIN, message.agency)
    ):
        raise PermissionDenied
    exchange.retry(message, actor=request.user)
    messages.success(request, _("The message is back in the outbox."))
    return redirect("documents:exchange")


def public_copy(request, token: str):
    """The signed PDF for the people it was e-mailed to (the link is the permission)."""
    document = delivery.document_from_link(token)
    item = delivery.signed_file(document) if document else None
    if item is None:
        raise Http404
    return FileResponse(
        item.content.open("rb"), as_attachment=False, filename=item.name, content_type=item.mime
    )
