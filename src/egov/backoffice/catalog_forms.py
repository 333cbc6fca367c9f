from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Field, Level, OnlineMode, TimeUnit
from egov.core.collation import sort_model_choices
from egov.organizations.models import Agency


class VersionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=1000)
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=Field.objects.all(), to_field_name="code", required=False
    )
    new_field = forms.CharField(
        label=_("Or a new field (lĩnh vực) not in the list"),
        max_length=200,
        required=False,
        initial="",
        help_text=_("Write its name; it is created when the draft is saved."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    deciding_agency = forms.ModelChoiceField(
        label=_("Deciding agency"),
        queryset=Agency.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Empty for commune-level procedures."),
    )
    receiving_agencies = forms.ModelMultipleChoiceField(
        label=_("Receiving agencies"),
        queryset=Agency.objects.all(),
        required=False,
        to_field_name="code",
    )
    online_mode = forms.ChoiceField(label=_("Online"), choices=OnlineMode.choices)
    payment_first = forms.BooleanField(
        label=_("Fees are paid before the dossier is received"),
        required=False,
        help_text=_("The desk cannot receive or process the dossier until the fees are paid."),
    )
    legacy_service_level = forms.TypedChoiceField(
        label=_("Service level (Nghị định 43/2011)"),
        coerce=int,
        choices=[(n, str(n)) for n in (1, 2, 3, 4)],
    )
    time_limit = forms.DecimalField(label=_("Time limit"), min_value=0.1, decimal_places=1)
    time_unit = forms.ChoiceField(label=_("Unit"), choices=TimeUnit.choices)
    legal_bases = forms.CharField(
        label=_("Legal bases (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    results = forms.CharField(
        label=_("Results (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("Steps for the citizen (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if not cleaned.get("field") and not (cleaned.get("new_field") or "").strip():
            self.add_error("field", _("Choose a field, or write the name of a new one."))
        return cleaned


class NewProcedureForm(forms.Form):
    code = forms.RegexField(
        label=_("Procedure code"),
        regex=r"^[0-9A-Za-z.\-]{3,30}$",
        error_messages={"invalid": _("Use the national code, e.g. 1.001193.")},
    )
    owner_agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Name"), max_length=1000)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    online_mode = forms.ChoiceField(label=_("Online"), choices=OnlineMode.choices)
    legacy_service_level = forms.TypedChoiceField(
        label=_("Service level (Nghị định 43/2011)"),
        coerce=int,
        choices=[(n, str(n)) for n in (1, 2, 3, 4)],
    )
    time_limit = forms.DecimalField(label=_("Time limit"), min_value=0.1, decimal_places=1)
    time_unit = forms.ChoiceField(label=_("Unit"), choices=TimeUnit.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
        sort_model_choices(self.fields["owner_agency"])
        sort_model_choices(self.fields["field"])


class CopyProcedureForm(forms.Form):
    """Start a new procedure from this one (its e-form, papers, fees and workflow)."""

    code = forms.RegexField(
        label=_("Code of the new procedure"),
        regex=r"^[0-9A-Za-z.\-]{3,30}$",
        error_messages={"invalid": _("Use the national code, e.g. 1.001193.")},
    )
    owner_agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Name of the new procedure"), max_length=1000)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner_agency"]).queryset = agencies
        sort_model_choices(self.fields["owner_agency"])


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )
    change_note = forms.CharField(label=_("What changed"), max_length=500)


class BoundaryFreeForm(forms.Form):
    """Tiếp nhận không phụ thuộc địa giới hành chính: the province's list (Nghị định 118/2025)."""

    listed = forms.BooleanField(
        label=_("On the province's list of procedures received regardless of boundary"),
        required=False,
    )
    decision = forms.CharField(
        label=_("Decision that published the list"), max_length=300, required=False
    )


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx workbook with the three sheets."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into parts."))
        return upload
