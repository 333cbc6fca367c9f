"""Public catalogue pages: search, a procedure's page and its templates."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from egov.catalog import search, services
from egov.catalog.durations import working_time_text
from egov.catalog.models import DocumentRequirement
from egov.portal.forms import ProcedureSearchForm


def procedure_search(request):
    form = ProcedureSearchForm(request.GET or None)
    results = search.search()
    if form.is_valid():
        data = form.cleaned_data
        results = search.search(
            data["q"],
            field=data["field"] or None,
            agency=data["agency"] or None,
            level=data["level"] or None,
            online_mode=data["online_mode"] or None,
        )
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/procedure_search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def boundary_free_list(request):
    """The province's list of procedures received regardless of administrative boundary
    (Nghị định 118/2025/NĐ-CP): at any service centre of the province, province's or commune's."""
    versions = (
        services.boundary_free_versions()
        .select_related("procedure", "field", "deciding_agency")
        .order_by("field__name", "name")
    )
    return render(request, "portal/boundary_free.html", {"versions": versions})


def _current(code):
    version = (
        search.current_versions()
        .select_related("procedure", "field", "deciding_agency")
        .filter(procedure__code=code)
        .first()
    )
    if version is None:
        raise Http404
    return version


def procedure_detail(request, code: str):
    version = _current(code)
    workflow = list(version.workflow_steps.select_related("agency"))
    for step in workflow:
        step.duration_text = working_time_text(step.duration, version.time_unit)
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "version": version,
            "requirements": version.requirements.all(),
            "fees": version.fees.all(),
            "receiving": version.receiving_agencies.prefetch_related("desks"),
            "workflow": workflow,
        },
    )


def procedure_template(request, code: str, pk: int):
    version = _current(code)
    requirement = get_object_or_404(DocumentRequirement, pk=pk, version=version)
    if not requirement.template_file:
        raise Http404
    extension = requirement.template_file.name.rsplit(".", 1)[-1]
    return FileResponse(
        requirement.template_file.open("rb"),
        as_attachment=True,
        filename=f"{code}-mau-{requirement.position}.{extension}",
    )
