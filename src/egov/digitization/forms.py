"""The desk's digitisation form, the citizen's form to add a paper, the figures' period."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.digitization.services import PaperFacts


class ScansInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScansField(forms.FileField):
    widget = ScansInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(ScansField, self).clean(item, initial) for item in items]


class DateInput(forms.DateInput):
    input_type = "date"


class FactsForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if the paper does not expire."),
    )

    def facts(self, kind_name: str = "") -> PaperFacts:
        data = self.cleaned_data
        return PaperFacts(
            number=data["number"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            kind_name=kind_name,
        )


class DigitiseForm(FactsForm):
    requirement = forms.TypedChoiceField(label=_("Paper"), coerce=int)
    kind_name = forms.CharField(
        label=_("Type of paper (as written on it)"), max_length=500, required=False
    )
    scans = ScansField(
        label=_("Scans (images or PDF, in page order)"),
        required=False,
        help_text=_("Leave empty to digitise the scans received with the dossier."),
    )
    field_order = ["requirement", "kind_name", "scans", "number", "issuer", "issued_on"]

    def __init__(self, *args: Any, requirements: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requirement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.pk, r.name) for r in requirements]


class PaperForm(FactsForm):
    kind = forms.ChoiceField(label=_("Kind of paper"))
    file = forms.FileField(label=_("File (PDF, JPG or PNG)"))
    field_order = ["kind", "file", "number", "issuer", "issued_on", "expires_on"]

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose…")), *kinds]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must not end before it starts."))
        return data


def this_month() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"start": today.replace(day=1), "end": today}
