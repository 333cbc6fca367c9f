"""The public verification page (/xac-thuc/) and the staff pages for certificates and signing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.signatures import services
from egov.signatures.forms import (
    CodeForm,
    ImportCertificateForm,
    RevokeForm,
    SignForm,
    VerifyForm,
)
from egov.signatures.models import SignedDocument, SigningCertificate, reference_label
from egov.signatures.signing import SignatureError
from egov.signatures.verification import verify_pdf


def _bound(request, form_class, **kwargs):
    """The form bound to a POST (even an empty one, so that it reports what is missing)."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


# --- Public -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone uploads a signed PDF and sees whether it is valid, who signed, and if the platform
    registered it. A code typed from under the QR leads to that document's page."""
    if "ma" in request.GET:
        code_form = CodeForm(request.GET)
        if code_form.is_valid():
            code = services.normalize_code(code_form.cleaned_data["ma"])
            if SignedDocument.objects.filter(code=code).exists():
                return redirect("signatures:document", code=code)
            code_form.add_error("ma", _("No document was registered under this code."))
    else:
        code_form = CodeForm()
    form = _bound(request, VerifyForm)
    report = None
    if request.method == "POST" and form.is_valid():
        report = verify_pdf(form.cleaned_data["file"].read())
    return render(
        request,
        "signatures/verify.html",
        {"form": form, "code_form": code_form, "report": report},
    )


@require_http_methods(["GET", "POST"])
def document(request, code: str):
    """The page a QR on a result leads to: what was registered, and a check of one's own copy."""
    document = get_object_or_404(
        SignedDocument.objects.select_related("certificate", "agency"),
        code=services.normalize_code(code),
    )
    form = _bound(request, VerifyForm)
    report = None
    if request.method == "POST" and form.is_valid():
        report = verify_pdf(form.cleaned_data["file"].read())
    return render(
        request,
        "signatures/document.html",
        {
            "document": document,
            "document_kind": reference_label(document.reference_type),
            "form": form,
            "report": report,
            "matches": report is not None and report.sha256 == document.sha256,
        },
    )


# --- Staff --------------------------------------------------------------------------------------


def _visible_certificates(user):
    """Certificates of the agencies in the user's scope, and the user's own."""
    in_scope = scoping.scoped(SigningCertificate.objects.all(), user)
    return SigningCertificate.objects.filter(
        Q(pk__in=in_scope.values("pk")) | Q(user=user)
    ).select_related("agency", "user")


def _usable_certificates(user):
    return [
        certificate
        for certificate in _visible_certificates(user).filter(
            status=SigningCertificate.Status.ACTIVE
        )
        if certificate.usable and services.may_sign_with(user, certificate)
    ]


@staff_required
def certificate_list(request):
    certificates = _visible_certificates(request.user).order_by("agency__code", "label")
    return render(request, "signatures/certificate_list.html", {"certificates": certificates})


@staff_required
@require_http_methods(["GET", "POST"])
def certificate_detail(request, pk: int):
    certificate = get_object_or_404(_visible_certificates(request.user), pk=pk)
    may_manage = services.may_manage(request.user, certificate.agency, certificate.user)
    form = _bound(request, RevokeForm)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.revoke_certificate(
                    certificate, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except SignatureError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The certificate is revoked: it can no longer sign."))
                return redirect("signatures_staff:certificate", pk=certificate.pk)
    return render(
        request,
        "signatures/certificate_detail.html",
        {
            "certificate": certificate,
            "may_manage": may_manage and not certificate.is_revoked,
            "form": form,
            "documents": certificate.signed_documents.order_by("-signed_at")[:20],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def certificate_seal(request, pk: int):
    certificate = get_object_or_404(_visible_certificates(request.user), pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("seal")
        if upload is None:
            messages.error(request, _("Choose a PNG image of the seal."))
        else:
            try:
                services.set_seal_image(certificate, upload.read(), actor=request.user)
            except SignatureError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The seal image is saved."))
    return redirect("signatures_staff:certificate", pk=certificate.pk)


@staff_required
def certificate_seal_image(request, pk: int):
    certificate = get_object_or_404(_visible_certificates(request.user), pk=pk)
    if not certificate.seal_image:
        return HttpResponse(status=404)
    return HttpResponse(bytes(certificate.seal_image), content_type="image/png")


@staff_required
@require_http_methods(["GET", "POST"])
def certificate_import(request):
    agencies = scoping.agency_scope(request.user, services.MANAGING_ROLES).order_by("path")
    form = _bound(request, ImportCertificateForm, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["holder"] == "person"
        try:
            certificate = services.import_pkcs12(
                data["file"].read(),
                data["password"],
                actor=request.user,
                agency=None if person else data["agency"],
                user=request.user if person else None,
                label=data["label"],
                seal_png=data["seal"].read() if data["seal"] else None,
            )
        except SignatureError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The certificate is imported."))
            return redirect("signatures_staff:certificate", pk=certificate.pk)
    return render(request, "signatures/certificate_import.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def sign_document(request):
    """An official signs a PDF with a certificate they may use and downloads the result."""
    usable = _usable_certificates(request.user)
    queryset = SigningCertificate.objects.filter(pk__in=[c.pk for c in usable])
    form = _bound(request, SignForm, certificates=queryset)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.sign_pdf(
                upload.read(),
                signer_certificate=form.cleaned_data["certificate"],
                actor=request.user,
                level=form.cleaned_data["level"],
                title=upload.name[:255],
            )
        except SignatureError as exc:
            form.add_error(None, exc.message)
        else:
            response = HttpResponse(result.data, content_type="application/pdf")
            name = f"signed-{result.document.code}.pdf"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "signatures/sign.html", {"form": form, "usable": usable})
