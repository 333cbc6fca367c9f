from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.models import CalendarDay


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class OrganizationImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("units", _("Administrative units")),
            ("successions", _("Unit mergers and splits")),
            ("agencies", _("Agencies")),
        ],
    )
    file = forms.FileField(label=_("CSV file (UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file (save the sheet as CSV UTF-8)."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into parts."))
        return upload


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )
    kind = forms.ChoiceField(label=_("The day is"), choices=CalendarDay.Kind.choices)
    reason = forms.CharField(
        label=_("Reason (the decision or notice that declares it)"), max_length=300
    )
