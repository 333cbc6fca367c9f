"""Pages: the desk digitises a dossier's papers; staff read the figures; the citizen's store."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from egov.accounts.access import staff_required
from egov.digitization import figures, forms, ocr, services
from egov.digitization.models import Paper
from egov.dossiers import processing
from egov.dossiers.models import Dossier


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _file(paper: Paper) -> FileResponse:
    name = f"{paper.kind_name[:80]} {paper.number}".strip()
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=f"{name}.{paper.extension}",
        content_type=paper.mime,
    )


# -- the desk --------------------------------------------------------------------------------


@staff_required
def digitise(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        dossier = services.desk_dossier(request.user, public_id)  # type: ignore[arg-type]
    except Dossier.DoesNotExist as exc:
        raise Http404 from exc
    requirements = [
        r for r in dossier.procedure_version.requirements.all() if not r.filled_by_eform
    ]
    form = forms.DigitiseForm(
        request.POST or None, request.FILES or None, requirements=requirements
    )
    if request.method == "POST" and form.is_valid():
        scans = [(upload.name, upload.read()) for upload in form.cleaned_data["scans"]]
        try:
            paper = services.digitise(
                dossier,
                actor=request.user,  # type: ignore[arg-type]
                requirement_id=form.cleaned_data["requirement"],
                facts=form.facts(form.cleaned_data["kind_name"]),
                scans=scans,
            )
        except ocr.OcrUnavailable as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            if paper.signed:
                messages.success(
                    request,
                    _("“%(name)s” is digitised and signed by the agency.")
                    % {"name": paper.kind_name},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "“%(name)s” is digitised but not signed: the agency has no signing "
                        "certificate in force. Ask its administrator to import one."
                    )
                    % {"name": paper.kind_name},
                )
            return redirect("digitization_staff:dossier", public_id=dossier.public_id)
    origins = services.origins(dossier)
    attachments = [
        (file, origins.get(file.pk))
        for file in dossier.attachments.filter(
            kind__in=["submission", "supplement"]
        ).select_related("requirement")
    ]
    return render(
        request,
        "digitization/desk.html",
        {
            "dossier": dossier,
            "form": form,
            "papers": services.papers_of(dossier),
            "attachments": attachments,
            "ocr_ready": ocr.available(),
        },
    )


@staff_required
def staff_paper(request: HttpRequest, public_id: str, paper_id: str) -> FileResponse:
    dossier = get_object_or_404(processing.visible_to_staff(request.user), public_id=public_id)
    paper = get_object_or_404(services.papers_of(dossier), public_id=paper_id)
    return _file(paper)


def _scope(user: Any) -> list[int] | None:
    return processing.StaffScope(user).ids(processing.STAFF_ROLES)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{number_format(value * 100, 1)} %"
    return str(number_format(value, force_grouping=True))


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.GET or None, initial=forms.this_month())
    start, end = forms.this_month()["start"], forms.this_month()["end"]
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    ids = _scope(request.user)
    if ids == []:
        raise PermissionDenied
    rows = figures.by_agency(start, end, ids)
    total = figures.totals(start, end, ids)
    if request.GET.get("format") == "xlsx":
        heading = _("Digitisation from %(start)s to %(end)s") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
        response = HttpResponse(
            figures.workbook(rows, total, heading),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-hoa-{start}-{end}.xlsx"'
        return response
    table = [
        (row, [(label, _cell(figures.value(row, key))) for key, label in figures.columns()])
        for row in [*rows, total]
    ]
    return render(
        request,
        "digitization/report.html",
        {
            "form": form,
            "columns": [label for _key, label in figures.columns()],
            "table": table,
            "start": start,
            "end": end,
        },
    )


# -- the citizen's store ---------------------------------------------------------------------


STORE_PAGE = 50
KINDS_SHOWN = 100


def _citizen(request: HttpRequest) -> Any:
    if request.user.kind != "citizen":  # type: ignore[union-attr]
        raise Http404
    return request.user


@login_required
def store(request: HttpRequest) -> HttpResponse:
    owner = _citizen(request)
    # Every paper, a page at a time: a citizen's papers are counted on the store's index.
    page = Paginator(services.store(owner).select_related("dossier"), STORE_PAGE).get_page(
        request.GET.get("page")
    )
    papers = list(page)
    used = services.where_used(papers)
    return render(
        request,
        "digitization/store.html",
        {"rows": [(paper, used[paper.pk]) for paper in papers], "today": _today(), "page": page},
    )


def _today() -> datetime.date:
    return timezone.localdate()


@login_required
def add(request: HttpRequest) -> HttpResponse:
    owner = _citizen(request)
    # A city asks for thousands of kinds of paper: the list offers those whose name holds what
    # the citizen typed (accents optional), the first ``KINDS_SHOWN`` of them.
    query = request.GET.get("q", "").strip()[:100]
    kinds = services.known_kinds()
    posted = request.method == "POST"
    if not posted:
        kinds = services.kinds_named(kinds, query)
    # A posted kind is checked against every kind, the list shown is the first ones found.
    shown = kinds if posted else kinds[:KINDS_SHOWN]
    form = forms.PaperForm(request.POST or None, request.FILES or None, kinds=shown)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_paper(
                owner,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                data=upload.read(),
                facts=form.facts(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, problems in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The paper is in your store."))
            return redirect("digitization:store")
    return render(
        request,
        "digitization/add.html",
        {
            "form": form,
            "query": query,
            "more_kinds": not posted and len(kinds) > KINDS_SHOWN,
            "kinds_shown": KINDS_SHOWN,
        },
    )


@login_required
def download(request: HttpRequest, paper_id: str) -> FileResponse:
    owner = _citizen(request)
    return _file(get_object_or_404(services.store(owner), public_id=paper_id))
