"""The designer's result template page (mẫu kết quả): edit, preview with sample answers (on the
page and as the PDF that will be signed), remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.backoffice.catalog_result_forms import ResultTemplateForm
from egov.backoffice.catalog_views import _draft
from egov.catalog import result_templates, services
from egov.catalog.models import ResultTemplate

EXAMPLE = """# Điều 1
Cấp cho ông/bà **{{ ho_so.nguoi_nop }}** (hồ sơ {{ ho_so.ma }}).

| Nội dung | Chi tiết |
|---|---|

Giấy này có hiệu lực đến ngày {{ ho_so.hieu_luc_den }}.
"""


def _page(request, version, form, status=200):
    saved = ResultTemplate.objects.filter(version=version).first()
    groups = [
        (group, [(f"{{{{ {key} }}}}", label) for key, label in keys])
        for group, keys in result_templates.insertable(version)
    ]
    context = {
        "version": version,
        "form": form,
        "saved": saved,
        "groups": groups,
        "paper": result_templates.preview_context(version, saved) if saved else None,
    }
    return render(request, "backoffice/catalog_result_template.html", context, status=status)


def _form(request, version):
    saved = ResultTemplate.objects.filter(version=version).first()
    if request.method == "POST":
        return ResultTemplateForm(request.POST, instance=saved or ResultTemplate(version=version))
    if saved:
        return ResultTemplateForm(instance=saved)
    agency = version.deciding_agency
    return ResultTemplateForm(
        initial={
            "title": version.lines("results")[0] if version.lines("results") else "",
            "parent_agency": agency.parent.name if agency and agency.parent_id else "",
            "body": EXAMPLE,
        }
    )


def _checked(form, version) -> bool:
    if not form.is_valid():
        return False
    try:
        result_templates.check(form.cleaned_data["body"], version)
    except ValidationError as exc:
        for message in exc.message_dict.get("body", []):
            form.add_error("body", message)
        return False
    return True


@staff_required
def result_template(request, code: str):
    version = _draft(request.user, code)
    form = _form(request, version)
    if request.method == "POST":
        if _checked(form, version):
            services.save_result_template(version, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The result template was saved."))
            return redirect("backoffice:catalog_result_template", code=code)
        return _page(request, version, form, status=400)
    return _page(request, version, form)


@staff_required
@require_POST
def result_template_pdf(request, code: str):
    """The PDF of what is on the form now, saved or not, with sample answers."""
    version = _draft(request.user, code)
    form = ResultTemplateForm(request.POST, instance=ResultTemplate(version=version))
    if not _checked(form, version):
        return _page(request, version, form, status=400)
    data = result_templates.preview_pdf(version, form.instance)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{version.procedure.code}-mau-ket-qua.pdf"'
    return response


@staff_required
@require_POST
def result_template_remove(request, code: str):
    version = _draft(request.user, code)
    services.remove_result_template(version, actor=request.user)
    messages.success(request, _("The result template was removed; officials upload the result."))
    return redirect("backoffice:catalog_result_template", code=code)
