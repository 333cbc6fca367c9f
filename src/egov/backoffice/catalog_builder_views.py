"""The e-form designer: fields edited in words, stored as the JSON Schema the server checks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.backoffice.catalog_builder_forms import FieldFormSet
from egov.backoffice.catalog_views import _draft
from egov.catalog import builder, eforms, services

PREFIX = "f"


def _choices(rows: list[dict]) -> list[tuple[str, str]]:
    return [(row["name"], f"{row['label']} ({row['name']})") for row in rows]


def _posted_choices(data) -> list[tuple[str, str]]:
    """Fields a condition may name: those the editor has on the page now, saved or not."""
    found = []
    total = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
    for index in range(min(total, 200)):
        name = (data.get(f"{PREFIX}-{index}-name") or "").strip()
        label = (data.get(f"{PREFIX}-{index}-label") or "").strip()
        if name:
            found.append((name, f"{label} ({name})"))
    return found


def _formset(request, version):
    if request.method == "POST":
        return FieldFormSet(
            request.POST, prefix=PREFIX, field_choices=_posted_choices(request.POST)
        )
    rows = builder.from_schema(version.form_schema, version.form_ui)
    initial = [{**row, "ORDER": position} for position, row in enumerate(rows, start=1)]
    return FieldFormSet(initial=initial, prefix=PREFIX, field_choices=_choices(rows))


def _move(forms, move: str):
    index, _sep, direction = move.partition(":")
    if not index.isdigit():
        return forms
    moving = next((f for f in forms if f.prefix.rsplit("-", 1)[-1] == index), None)
    if moving is None:
        return forms
    at = forms.index(moving)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(forms):
        forms[at], forms[to] = forms[to], forms[at]
    return forms


def _condition_code(value: str, target: dict | None) -> str:
    """An option's label written as the condition's value stands for its code."""
    if not value or not target or target["kind"] not in {"choice", "choices"}:
        return value
    codes, labels = builder.parse_options(target.get("options") or "")
    return codes[labels.index(value)] if value in labels else value


def ordered_forms(formset, move: str = "") -> list:
    """The formset's kept forms (not empty, not deleted) in the editor's order, one moved."""
    kept = [
        form
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE") and form.cleaned_data
    ]
    kept.sort(key=lambda form: form.cleaned_data.get("ORDER") or 10_000)
    return _move(kept, move)


def rows_from(formset, move: str = "") -> list[dict]:
    """The builder's rows in the editor's order, each with a stored name."""
    kept = ordered_forms(formset, move)
    taken = {f.cleaned_data["name"] for f in kept if f.cleaned_data.get("name")}
    rows = []
    for form in kept:
        row = dict(form.cleaned_data)
        if not row.get("name"):
            row["name"] = builder.field_name(row["label"], taken)
            taken.add(row["name"])
        rows.append(row)
    by_name = {row["name"]: row for row in rows}
    for row in rows:
        target = by_name.get(row.get("show_when_field") or "")
        row["show_when_value"] = _condition_code(row.get("show_when_value") or "", target)
    return rows


def _preview_forms(schema, ui):
    return [
        (_("Phone, 360 px wide"), "phone", eforms.EForm(schema, ui, prefix="phone")),
        (_("Desktop"), "desktop", eforms.EForm(schema, ui, prefix="desktop")),
    ]


def _preview_context(schema, ui) -> dict:
    try:
        eforms.validate_schema(schema, ui)
    except ValidationError as exc:
        return {"preview_problems": exc.messages}
    return {"previews": _preview_forms(schema, ui)}


@staff_required
def form_builder(request, code: str):
    version = _draft(request.user, code)
    formset = _formset(request, version)
    if request.method == "POST" and formset.is_valid():
        rows = rows_from(formset, request.POST.get("move", ""))
        schema, ui = builder.to_schema(rows, version.form_schema)
        try:
            services.save_form(version, actor=request.user, schema=schema, ui=ui)
        except ValidationError as exc:
            for message in exc.messages:
                formset.non_form_errors().append(message)
        else:
            messages.success(request, _("The e-form was saved."))
            return redirect("backoffice:catalog_form_builder", code=code)
    return render(
        request,
        "backoffice/catalog_form_builder.html",
        {
            "version": version,
            "formset": formset,
            **_preview_context(version.form_schema, version.form_ui),
        },
    )


@staff_required
@require_POST
def form_builder_preview(request, code: str):
    """The preview fragment for the fields as they are on the page, saved or not."""
    _draft(request.user, code)
    formset = FieldFormSet(request.POST, prefix=PREFIX, field_choices=_posted_choices(request.POST))
    if not formset.is_valid():
        context = {"preview_problems": [_("Complete the fields marked in red to see the form.")]}
    else:
        context = _preview_context(*builder.to_schema(rows_from(formset)))
    return render(request, "backoffice/catalog_form_preview.html", context)
