"""The designer's papers and fees pages, and the fee "try it" box."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.backoffice.catalog_builder_views import ordered_forms
from egov.backoffice.catalog_parts_forms import (
    FeeFormSet,
    MoveFormSet,
    PaperFormSet,
    PaperTypeForm,
    StepForm,
    StepFormSet,
)
from egov.backoffice.catalog_views import _draft
from egov.catalog import eforms, fee_builder, fees, services, workflow, workflow_diagram
from egov.catalog.models import PaperType
from egov.core import flash


def _field_choices(version) -> list[tuple[str, str]]:
    return [
        (name, str(hints.get("label") or spec.get("title") or name))
        for name, spec, hints in eforms.ordered_fields(version.form_schema, version.form_ui)
    ]


def _paper_initial(version) -> list[dict]:
    types = set(PaperType.objects.values_list("code", flat=True))
    return [
        {
            "id": r.pk,
            "name": r.name,
            "originals": r.originals,
            "copies": r.copies,
            "mandatory": r.mandatory,
            "condition": r.condition,
            "accepted_types": r.accepted_types,
            "template_title": r.template_name,
            "registry": r.registry,
            "filled_by_eform": r.filled_by_eform,
            "paper_type": r.code if r.code in types else "",
            "ORDER": position,
            "template": r.template_file.name.rsplit("/", 1)[-1] if r.template_file else "",
        }
        for position, r in enumerate(version.requirements.all(), start=1)
    ]


def _paper_types() -> list[tuple[str, str]]:
    return [(t.code, f"{t.name} ({t.code})") for t in PaperType.objects.all()]


@staff_required
def papers(request, code: str):
    version = _draft(request.user, code)
    kinds = {"paper_types": _paper_types()}
    if request.method == "POST":
        formset = PaperFormSet(request.POST, request.FILES, prefix="p", form_kwargs=kinds)
    else:
        formset = PaperFormSet(initial=_paper_initial(version), prefix="p", form_kwargs=kinds)
    if request.method == "POST" and formset.is_valid():
        rows = []
        for form in ordered_forms(formset, request.POST.get("move", "")):
            row = {k: v for k, v in form.cleaned_data.items() if k not in {"ORDER", "DELETE"}}
            upload = row.pop("template_file", None)
            if upload:
                row["template_upload"] = {"name": upload.name, "data": upload.read()}
            row["registry"] = row.get("registry") or ""
            row["template_name"] = row.pop("template_title", "")
            row["code"] = row.pop("paper_type", "")
            rows.append(row)
        try:
            services.save_requirements(version, actor=request.user, rows=rows)
        except ValidationError as exc:
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("The papers were saved."))
            return redirect("backoffice:catalog_papers", code=code)
    return render(
        request,
        "backoffice/catalog_papers.html",
        {"version": version, "formset": formset, "type_form": PaperTypeForm(prefix="t")},
    )


@staff_required
@require_POST
def new_paper_type(request, code: str):
    """The designer's "add a paper type" form: the type joins the list every paper picks from."""
    version = _draft(request.user, code)
    form = PaperTypeForm(request.POST, prefix="t")
    if form.is_valid():
        try:
            created = services.create_paper_type(
                actor=request.user,
                agency_id=version.procedure.owner_agency_id,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(
                request, _("The paper type “%(name)s” is in the list.") % {"name": created.name}
            )
    else:
        flash.errors(request, ValidationError(form.errors))
    return redirect("backoffice:catalog_papers", code=code)


def _try_it(request, version) -> dict:
    """The e-form filled with sample answers and the fees they give, from the saved rules."""
    form = eforms.EForm(
        version.form_schema,
        version.form_ui,
        request.GET if "try" in request.GET else None,
        prefix="try",
    )
    context: dict = {"try_form": form}
    if form.is_bound and form.is_valid():
        try:
            context["try_lines"] = fees.compute(
                version.fees.all(), form.as_json(), version.form_schema
            )
        except fees.FeeAnswerError as exc:
            context["try_error"] = exc.messages[0]
    return context


@staff_required
def fee_rules(request, code: str):
    version = _draft(request.user, code)
    choices = _field_choices(version)
    if request.method == "POST":
        formset = FeeFormSet(request.POST, prefix="fee", field_choices=choices)
    else:
        initial = [
            {**fee_builder.from_fee(fee, version.form_schema), "ORDER": position}
            for position, fee in enumerate(version.fees.all(), start=1)
        ]
        formset = FeeFormSet(initial=initial, prefix="fee", field_choices=choices)
    if request.method == "POST" and formset.is_valid():
        try:
            rows = [
                fee_builder.to_fee(form.cleaned_data, version.form_schema)
                for form in ordered_forms(formset, request.POST.get("move", ""))
            ]
            services.save_fees(version, actor=request.user, rows=rows)
        except ValidationError as exc:
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("The fees were saved."))
            return redirect("backoffice:catalog_fees", code=code)
    return render(
        request,
        "backoffice/catalog_fees.html",
        {"version": version, "formset": formset, **_try_it(request, version)},
    )


def _moves_formset(request, version):
    """The editor's own moves between the saved steps (a separate form on the page)."""
    steps = list(version.workflow_steps.order_by("position"))
    if request.method == "POST" and "m-TOTAL_FORMS" in request.POST:
        return MoveFormSet(request.POST, prefix="m", form_kwargs={"steps": steps})
    initial = [
        {"source": t.source.code, "kind": t.kind, "target": t.target.code if t.target else ""}
        for t in workflow.custom_moves(version)
    ]
    return MoveFormSet(initial=initial, prefix="m", form_kwargs={"steps": steps})


def _save_moves(request, version, moves) -> bool:
    if not moves.is_valid():
        return False
    rows = [
        {
            "source": form.cleaned_data["source"],
            "kind": form.cleaned_data["kind"],
            "target": form.cleaned_data.get("target") or None,
        }
        for form in moves.forms
        if form.has_changed()
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("source")
    ]
    try:
        services.save_moves(version, actor=request.user, moves=rows)
    except ValidationError as exc:
        moves.non_form_errors().extend(exc.messages)
        return False
    messages.success(request, _("The moves between steps were saved."))
    return True


@staff_required
def workflow_steps(request, code: str):
    version = _draft(request.user, code)
    moves = _moves_formset(request, version)
    saving_moves = request.method == "POST" and "m-TOTAL_FORMS" in request.POST
    if saving_moves and _save_moves(request, version, moves):
        return redirect("backoffice:catalog_workflow", code=code)
    if request.method == "POST" and "s-TOTAL_FORMS" in request.POST:
        formset = StepFormSet(request.POST, prefix="s")
    else:
        initial = [
            {
                "name": s.name,
                "action": s.action,
                "role": s.role,
                "agency_role": s.agency_role,
                "agency": s.agency.code if s.agency else None,
                "duration": s.duration.normalize(),
                "ORDER": position,
                **StepForm.consult_initial(s),
            }
            for position, s in enumerate(
                version.workflow_steps.select_related("agency").prefetch_related(
                    "consulted__agency"
                ),
                start=1,
            )
        ]
        formset = StepFormSet(initial=initial, prefix="s")
    if request.method == "POST" and "s-TOTAL_FORMS" in request.POST and formset.is_valid():
        steps = []
        for position, form in enumerate(
            ordered_forms(formset, request.POST.get("move", "")), start=1
        ):
            data = form.cleaned_data
            steps.append(
                {
                    "code": f"{data['action']}-{position}",
                    "name": data["name"],
                    "action": data["action"],
                    "role": data["role"],
                    "agency_role": data["agency_role"],
                    "agency": data["agency"].code if data.get("agency") else None,
                    "duration": data["duration"],
                    "consult_pick": data.get("consult_pick", False),
                    "consulted": data.get("consulted", []),
                }
            )
        try:
            services.save_workflow(version, actor=request.user, steps=steps)
        except ValidationError as exc:
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("The workflow was saved."))
            return redirect("backoffice:catalog_workflow", code=code)
    rows, general = workflow_diagram.step_notes(version)
    return render(
        request,
        "backoffice/catalog_workflow.html",
        {
            "version": version,
            "formset": formset,
            "rows": rows,
            "general": general,
            "diagram": workflow_diagram.svg(version),
            "moves": moves,
        },
    )
