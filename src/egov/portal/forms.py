import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.collation import sort_model_choices, sorted_vi
from egov.organizations.models import AdministrativeUnit


class AsOfForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province or city"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=None,
        to_field_name="code",
    )
    as_of = forms.DateField(
        label=_("As of date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2019-06-01.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The day decides which provinces can be chosen, so it is read before the form is.
        self.day = timezone.localdate()
        if self.is_bound and self.data.get("as_of"):
            # A bad date is reported by is_valid() next to the field; today is shown meanwhile.
            with contextlib.suppress(forms.ValidationError):
                self.day = self.fields["as_of"].clean(self.data["as_of"]) or self.day
        self.fields["province"].queryset = (
            AdministrativeUnit.objects.as_of(self.day)
            .filter(level=AdministrativeUnit.Level.PROVINCE)
            .order_by("name")
        )
        sort_model_choices(self.fields["province"])


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a procedure"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. khai sinh")}),
    )
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    online_mode = forms.ChoiceField(label=_("Online"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, **kwargs):
        from egov.catalog.models import Field, Level, OnlineMode, ProcedureVersion
        from egov.organizations.models import Agency

        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["field"].choices = anything + sorted_vi(
            Field.objects.values_list("code", "name"), key=lambda choice: choice[1]
        )
        self.fields["level"].choices = [
            *anything,
            (Level.PROVINCE, Level.PROVINCE.label),
            (Level.COMMUNE, Level.COMMUNE.label),
        ]
        self.fields["online_mode"].choices = anything + list(OnlineMode.choices)
        deciding = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).values(
            "deciding_agency"
        )
        self.fields["agency"].choices = anything + sorted_vi(
            Agency.objects.filter(pk__in=deciding).values_list("code", "name"),
            key=lambda choice: choice[1],
        )
