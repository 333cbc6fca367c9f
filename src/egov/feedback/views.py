"""Public pages: send a report, follow it, the list and map of reports. No sign-in needed; a
signed-in citizen's reports are also listed under "My reports"."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from egov.core.collation import sorted_vi
from egov.core.paging import CappedPaginator
from egov.feedback import files, geo, links, maps, queries, services
from egov.feedback.forms import PublicFilterForm, RateForm, ReopenForm, ReportForm
from egov.feedback.models import Category, Media, Report

PAGE_SIZE = 20
STATUS_CSS = {
    Report.Status.NEW: "pin-new",
    Report.Status.IN_PROGRESS: "pin-progress",
    Report.Status.ANSWERED: "pin-answered",
    Report.Status.CLOSED: "pin-closed",
    Report.Status.MERGED: "pin-closed",
}


def _categories():
    return Category.objects.filter(is_active=True).prefetch_related("attributes")


def _pins(reports):
    return [
        (
            r.latitude,
            r.longitude,
            links.public_path(r),
            f"{r.code} · {r.category.name} · {r.get_status_display()}",
            STATUS_CSS[r.status],
        )
        for r in reports
        if r.has_point
    ]


def index(request):
    communes = sorted_vi(services.communes_today(), key=lambda unit: unit.name)
    categories = list(_categories())
    form = PublicFilterForm(request.GET or None, categories=categories, communes=communes)
    chosen = queries.PublicFilter()
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = queries.PublicFilter(
            category=next((c for c in categories if c.code == data["loai"]), None),
            status=data["trang_thai"],
            commune=next((u for u in communes if u.code == data["xa"]), None),
            latitude=data["lat"],
            longitude=data["lon"],
            radius=data["ban_kinh"] or queries.DEFAULT_RADIUS_M,
        )
    elif form.is_bound:
        status = 400
    reports = chosen.apply(queries.public_reports()).select_related("category", "agency", "commune")
    paginator = CappedPaginator(reports.order_by("-received_at", "-id"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if chosen.latitude is not None:
        bounds = geo.box_around(chosen.latitude, chosen.longitude, chosen.radius)
        bounds = (bounds.south, bounds.west, bounds.north, bounds.east)
    elif chosen.commune is not None:
        bounds = maps.area_bounds([chosen.commune])
    else:
        located = [r for r in page if r.has_point]
        bounds = (
            (
                min(r.latitude for r in located),
                min(r.longitude for r in located),
                max(r.latitude for r in located),
                max(r.longitude for r in located),
            )
            if located
            else maps.area_bounds()
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/index.html",
        {
            "form": form,
            "page": page,
            "map": maps.draw(bounds, _pins(page)),
            "query": query.urlencode(),
            "chosen": chosen,
        },
        status=status,
    )


def _choose_category(request):
    return render(request, "feedback/choose_category.html", {"categories": _categories()})


@never_cache
def submit(request):
    category = (
        _categories().filter(code=request.GET.get("loai") or request.POST.get("loai") or "").first()
    )
    if category is None:
        return _choose_category(request)
    communes = sorted_vi(services.communes_today(), key=lambda unit: unit.name)
    form = ReportForm(
        request.POST or None,
        category=category,
        communes=communes,
        initial={"submission_key": uuid.uuid4().hex, "place_source": "map"},
    )
    errors = {}
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="feedback.submit",
            key="ip",
            rate=settings.EGOV_FEEDBACK_SUBMIT_RATE,
            increment=True,
        ):
            return render(
                request,
                "feedback/submit.html",
                _form_context(
                    form,
                    category,
                    {
                        "__all__": _(
                            "Too many reports came from this connection. Try again in an hour."
                        )
                    },
                ),
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            files = [
                services.Upload(upload.name, upload.read())
                for upload in request.FILES.getlist("media")
            ]
            draft = services.Draft(
                category=category,
                description=data["description"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                place_source=data["place_source"] or Report.PlaceSource.MAP,
                address=data["address"],
                commune_code=data["commune"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                attributes=form.answers(),
                files=files,
                reporter=request.user
                if request.user.is_authenticated and request.user.is_citizen
                else None,
                submission_key=f"portal:{data['submission_key']}",
            )
            try:
                report = services.submit(draft)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(
                    request,
                    _(
                        "Your report was received as %(code)s. Keep this page's address: with it "
                        "you can follow, rate or reopen your report."
                    )
                    % {"code": report.code},
                )
                return redirect(links.reporter_path(report))
    return render(
        request,
        "feedback/submit.html",
        _form_context(form, category, errors),
        status=400 if request.method == "POST" else 200,
    )


def _form_context(form, category, errors) -> dict:
    field_errors = {
        "latitude": errors.get("latitude"),
        "place": errors.get("place"),
        "commune": errors.get("commune"),
        "media": errors.get("media"),
    }
    for name, message in errors.items():
        if name in form.fields:
            form.add_error(name, message)
        elif name.startswith("attribute[") and f"attribute_{name[10:-1]}" in form.fields:
            form.add_error(f"attribute_{name[10:-1]}", message)
    # Without boundaries or tiles an empty rectangle would say nothing about where to tap.
    drawable = geo.boundaries_loaded() or bool(settings.EGOV_FEEDBACK_TILE_URL)
    return {
        "form": form,
        "category": category,
        "errors": field_errors,
        "general_errors": [m for k, m in errors.items() if k == "__all__"],
        "map": maps.draw(maps.area_bounds()) if drawable else None,
        "max_photos": settings.EGOV_FEEDBACK_MAX_PHOTOS,
        "photo_mb": settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES // 1_048_576,
        "video_mb": settings.EGOV_FEEDBACK_VIDEO_MAX_BYTES // 1_048_576,
    }


def _report_context(report: Report, *, as_reporter: bool) -> dict:
    media = [m for m in report.media.all() if not m.is_hidden]
    history = report.events.filter(public=True).order_by("at", "id")
    pins = _pins([report]) if report.has_point else []
    drawing = None
    if pins:
        box = geo.box_around(report.latitude, report.longitude, 600)
        drawing = maps.draw((box.south, box.west, box.north, box.east), pins)
    return {
        "report": report,
        "answers": queries.attribute_answers(report) if as_reporter else [],
        "photos": [m for m in media if m.role == Media.Role.REPORT],
        "answer_photos": [m for m in media if m.role == Media.Role.ANSWER],
        "history": history,
        "map": drawing,
        "as_reporter": as_reporter,
        "can_rate": as_reporter and services.can_rate(report),
        "can_reopen": as_reporter and services.can_reopen(report),
        "reopen_until": services.reopen_until(report),
    }


def _get_report(code: str) -> Report:
    return get_object_or_404(
        Report.objects.select_related("category", "agency", "commune", "merged_into"), code=code
    )


def report(request, code: str):
    found = _get_report(code)
    mine = request.user.is_authenticated and found.reporter_id == request.user.pk
    if mine:
        return redirect(links.reporter_path(found))
    return render(request, "feedback/report.html", _report_context(found, as_reporter=False))


@never_cache
def reporter(request, code: str, signature: str):
    found = _get_report(code)
    if not links.is_reporter_signature(found, signature):
        raise Http404
    rate_form = RateForm(request.POST if request.POST.get("action") == "rate" else None)
    reopen_form = ReopenForm(request.POST if request.POST.get("action") == "reopen" else None)
    by = request.user if request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rate" and rate_form.is_valid():
                services.rate(
                    found,
                    score=rate_form.cleaned_data["rating"],
                    comment=rate_form.cleaned_data["comment"],
                    by=by,
                )
                messages.success(request, _("Thank you: your rating was saved."))
                return redirect(links.reporter_path(found))
            if request.POST.get("action") == "reopen" and reopen_form.is_valid():
                services.reopen(found, reason=reopen_form.cleaned_data["reason"], by=by)
                messages.success(request, _("The report is open again; the agency will answer."))
                return redirect(links.reporter_path(found))
        except ValidationError as exc:
            form = rate_form if request.POST.get("action") == "rate" else reopen_form
            for message in exc.messages:
                form.add_error(None, message)
        status = 400
    context = _report_context(found, as_reporter=True)
    context.update(rate_form=rate_form, reopen_form=reopen_form)
    return render(request, "feedback/report.html", context, status=status)


@login_required
def mine(request):
    reports = (
        Report.objects.filter(reporter=request.user)
        .select_related("category", "agency")
        .order_by("-received_at")
    )
    page = CappedPaginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/mine.html",
        {"page": page, "rows": [(r, links.reporter_path(r)) for r in page]},
    )


def _public_media(public_id) -> Media:
    item = get_object_or_404(Media.objects.select_related("report"), public_id=public_id)
    if item.is_hidden or item.report.is_hidden:
        raise Http404
    return item


def media_file(request, public_id):
    item = _public_media(public_id)
    return files.serve(request, item.file, item.mime, "max-age=300")


def media_thumbnail(request, public_id):
    item = _public_media(public_id)
    if not item.thumbnail:
        raise Http404
    return files.serve(request, item.thumbnail, "image/jpeg", "max-age=300")
