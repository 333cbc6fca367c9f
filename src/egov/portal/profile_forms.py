from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.collation import sort_model_choices
from egov.dossiers import ratings
from egov.organizations.models import AdministrativeUnit


class ProfileForm(forms.Form):
    """The citizen's details. The commune list follows the chosen province: without JavaScript
    the citizen picks the province, presses "Show its communes", then picks the commune."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Write your full name as on your CCCD card.")},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 1990-05-31.")},
    )
    citizen_id = forms.CharField(
        label=_("Citizen ID number (CCCD, 12 digits)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"),
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Choose…"),
    )
    address_unit = forms.ModelChoiceField(
        label=_("Commune, ward or special zone"),
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Choose…"),
        error_messages={
            "invalid_choice": _(
                "Choose a commune of the province above (press “Show its communes” after "
                "changing the province)."
            )
        },
    )
    address_street = forms.CharField(
        label=_("House number, street, hamlet"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, user, **kwargs):
        today = timezone.localdate()
        current = AdministrativeUnit.objects.as_of(today)
        unit = user.address_unit if user.address_unit_id else None
        province = unit.parent if unit else current.filter(code=settings.EGOV_PROVINCE_CODE).first()
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "date_of_birth": user.date_of_birth,
                "citizen_id": user.citizen_id or "",
                "province": province.code if province else None,
                "address_unit": unit.code if unit else None,
                "address_street": user.address_street,
            },
        )
        super().__init__(*args, **kwargs)
        provinces = current.filter(level=AdministrativeUnit.Level.PROVINCE).order_by("name")
        self.fields["province"].queryset = provinces
        chosen = self.data.get("province") if self.is_bound else getattr(province, "code", None)
        self.fields["address_unit"].queryset = current.filter(
            level=AdministrativeUnit.Level.COMMUNE, parent__code=chosen, parent__in=provinces
        ).order_by("name")
        sort_model_choices(self.fields["province"])
        sort_model_choices(self.fields["address_unit"])


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("New e-mail address or mobile number"),
        max_length=254,
        help_text=_("We send a 6-digit code there; the change takes effect when you enter it."),
    )


class RatingForm(forms.Form):
    """One radio group per indicator of Thông tư 01/2018/TT-VPCP, best answer first."""

    comment = forms.CharField(
        label=_("Anything else you want to tell the agency (optional)"),
        required=False,
        max_length=ratings.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for indicator in ratings.INDICATORS:
            self.fields[indicator.name] = forms.TypedChoiceField(
                label=indicator.label,
                choices=[(score, text) for score, text in indicator.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer for “%(indicator)s”.")
                    % {"indicator": indicator.label}
                },
            )
        self.fields["comment"] = comment

    def indicator_fields(self):
        return [self[indicator.name] for indicator in ratings.INDICATORS]

    def scores(self) -> dict[str, int]:
        return {
            indicator.name: self.cleaned_data[indicator.name] for indicator in ratings.INDICATORS
        }
