import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
