"""Staff pages for catalogue editors: their agencies' procedures, drafts, publishing, import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role
from egov.backoffice.catalog_forms import (
    BoundaryFreeForm,
    CatalogImportForm,
    CopyProcedureForm,
    NewProcedureForm,
    PublishForm,
    VersionForm,
)
from egov.catalog import content, diff, eforms, exchange, services
from egov.catalog.models import Procedure, ProcedureVersion
from egov.core import flash
from egov.core.models import AuditEvent

EDITOR_ROLES = [Role.CATALOGUE_EDITOR, Role.SYSTEM_ADMIN]


def _procedures(user):
    if not any(scoping.has_role(user, role) for role in EDITOR_ROLES):
        raise PermissionDenied
    return scoping.scoped(
        Procedure.objects.select_related("owner_agency"),
        user,
        roles=EDITOR_ROLES,
        agency_field="owner_agency",
    )


def _procedure(user, code):
    return get_object_or_404(_procedures(user), code=code)


@staff_required
def catalog_list(request):
    procedures = _procedures(request.user).prefetch_related("versions").order_by("code")
    return render(request, "backoffice/catalog_list.html", {"procedures": procedures})


@staff_required
def catalog_new(request):
    agencies = scoping.agency_scope(request.user, EDITOR_ROLES).order_by("name")
    form = NewProcedureForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code, owner = data.pop("code"), data.pop("owner_agency")
        if Procedure.objects.filter(code=code).exists():
            form.add_error("code", _("A procedure with this code exists already."))
        else:
            services.create_procedure(actor=request.user, code=code, owner_agency=owner, **data)
            return redirect("backoffice:catalog_edit", code=code)
    return render(request, "backoffice/catalog_new.html", {"form": form})


@staff_required
def catalog_procedure(request, code: str):
    procedure = _procedure(request.user, code)
    current = services.version_for(procedure)
    history = AuditEvent.objects.filter(
        object_type="catalog.procedure", object_id=str(procedure.pk)
    ).order_by("-id")[:50]
    return render(
        request,
        "backoffice/catalog_procedure.html",
        {
            "procedure": procedure,
            "versions": procedure.versions.order_by("-number"),
            "draft": procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).first(),
            "history": history,
            "current": current,
            "copy_form": CopyProcedureForm(
                agencies=scoping.agency_scope(request.user, EDITOR_ROLES),
                initial={"owner_agency": procedure.owner_agency_id},
            ),
            "boundary_form": BoundaryFreeForm(
                initial={
                    "listed": current.boundary_free,
                    "decision": current.boundary_free_decision,
                }
            )
            if current
            else None,
        },
    )


@staff_required
@require_POST
def catalog_boundary_free(request, code: str):
    """Puts the version in force on, or off, the province's boundary-free list."""
    procedure = _procedure(request.user, code)
    current = services.version_for(procedure)
    if current is None:
        raise PermissionDenied
    form = BoundaryFreeForm(request.POST)
    if form.is_valid():
        try:
            services.set_boundary_free(
                current,
                actor=request.user,
                listed=form.cleaned_data["listed"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(request, _("The province's list was updated."))
    return redirect("backoffice:catalog_procedure", code=code)


@staff_required
@require_POST
def catalog_copy(request, code: str):
    """A new procedure started from this one's latest version."""
    procedure = _procedure(request.user, code)
    agencies = scoping.agency_scope(request.user, EDITOR_ROLES)
    form = CopyProcedureForm(request.POST, agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        if Procedure.objects.filter(code=data["code"]).exists():
            messages.error(request, _("A procedure with this code exists already."))
        else:
            source = procedure.versions.order_by("-number").first()
            services.copy_procedure(
                source,
                actor=request.user,
                code=data["code"],
                owner_agency=data["owner_agency"],
                name=data["name"],
            )
            messages.success(request, _("The new procedure was started from this one."))
            return redirect("backoffice:catalog_edit", code=data["code"])
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("backoffice:catalog_procedure", code=code)


@staff_required
@require_POST
def catalog_start_draft(request, code: str):
    procedure = _procedure(request.user, code)
    services.start_draft(procedure, actor=request.user)
    return redirect("backoffice:catalog_edit", code=code)


def _draft(user, code):
    procedure = _procedure(user, code)
    return get_object_or_404(procedure.versions, status=ProcedureVersion.Status.DRAFT)


@staff_required
def catalog_edit(request, code: str):
    version = _draft(request.user, code)
    data = content.dump(version)
    initial = {
        **data,
        "field": data["field"]["code"],
        "legal_bases": "\n".join(data["legal_bases"]),
        "results": "\n".join(data["results"]),
        "steps": "\n".join(data["steps"]),
    }
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = dict(form.cleaned_data)
        new_field = cleaned.pop("new_field", "").strip()
        try:
            with transaction.atomic():
                if new_field:
                    cleaned["field"] = services.create_field(
                        actor=request.user,
                        name=new_field,
                        agency_id=version.procedure.owner_agency_id,
                    )
                version = services.update_draft(version, actor=request.user, **cleaned)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("backoffice:catalog_edit", code=code)
    return render(
        request,
        "backoffice/catalog_edit.html",
        {
            "version": version,
            "form": form,
            "problems": services.publication_problems(version),
            "changes": diff.changes(diff.published_before(version), version),
            "publish_form": PublishForm(),
        },
    )


@staff_required
def catalog_preview(request, code: str):
    version = _draft(request.user, code)
    try:
        eforms.validate_schema(version.form_schema, version.form_ui)
    except ValidationError as exc:
        return render(
            request,
            "backoffice/catalog_preview.html",
            {"version": version, "schema_errors": exc.messages},
        )
    form = eforms.EForm(version.form_schema, version.form_ui, request.POST or None)
    if request.method == "POST":
        form.is_valid()
    return render(request, "backoffice/catalog_preview.html", {"version": version, "form": form})


@staff_required
@require_POST
def catalog_publish(request, code: str):
    version = _draft(request.user, code)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish(version, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
            return redirect("backoffice:catalog_procedure", code=code)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("backoffice:catalog_edit", code=code)


@staff_required
def catalog_import(request):
    procedures = _procedures(request.user)
    allowed = set(scoping.agency_scope(request.user, EDITOR_ROLES).values_list("code", flat=True))
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tables = exchange.read_workbook(upload.read())
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            report = exchange.import_tables(
                tables, actor=request.user, filename=upload.name, allowed_owners=allowed
            )
            if report.ok:
                messages.success(
                    request,
                    _("Imported: %(created)s created, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("backoffice:catalog")
    return render(
        request,
        "backoffice/catalog_import.html",
        {"form": form, "report": report, "count": procedures.count()},
    )


@staff_required
def catalog_export(request):
    procedures = _procedures(request.user)
    versions = exchange.exported_versions().filter(procedure__in=procedures)
    response = HttpResponse(
        exchange.export_workbook(versions),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="thu-tuc-hanh-chinh.xlsx"'
    return response
