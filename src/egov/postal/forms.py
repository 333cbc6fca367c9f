from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.collation import sorted_vi
from egov.dossiers.models import Channel
from egov.organizations.models import AdministrativeUnit
from egov.postal import tariff
from egov.postal.models import PostalRequest, WeightClass
from egov.postal.services import Address

ADDRESS_FIELDS = ["recipient_name", "phone", "street", "province", "commune"]


def province_choices():
    units = AdministrativeUnit.objects.as_of(timezone.localdate()).filter(
        level=AdministrativeUnit.Level.PROVINCE
    )
    return sorted_vi(units.values_list("code", "name"), key=lambda choice: choice[1])


def commune_choices(province_code: str):
    today = timezone.localdate()
    units = AdministrativeUnit.objects.as_of(today).filter(
        level=AdministrativeUnit.Level.COMMUNE,
        parent__code=province_code,
        parent__in=AdministrativeUnit.objects.as_of(today),
    )
    named = sorted_vi(units.values_list("code", "name"), key=lambda choice: choice[1])
    return [("", _("Choose…")), *named]


class PostalAddressForm(forms.Form):
    """The postal part of the delivery step: pick-up of the papers and the address, built on
    today's provinces and communes. Address fields are required only when the post is used."""

    pick_up = forms.BooleanField(
        label=_("A postman picks up my papers at this address and takes them to the agency"),
        required=False,
    )
    recipient_name = forms.CharField(label=_("Name of the person at the address"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number for the postman"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    street = forms.CharField(
        label=_("House number, street, hamlet or quarter"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    province = forms.ChoiceField(label=_("Province or centrally run city"))
    commune = forms.ChoiceField(label=_("Commune, ward or special zone"))
    weight_class = forms.ChoiceField(
        label=_("Weight of the papers to pick up"),
        choices=WeightClass.choices,
        initial=WeightClass.UP_TO_250G,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [*ADDRESS_FIELDS, "weight_class"]:
            self.fields[name].required = False
        chosen = (
            self.data.get(self.add_prefix("province"))
            or self.initial.get("province")
            or settings.EGOV_PROVINCE_CODE
        )
        self.fields["province"].choices = province_choices()
        self.fields["province"].initial = chosen
        self.fields["commune"].choices = commune_choices(chosen)
        # The script swaps the communes when the province changes (the button does it without).
        self.fields["province"].widget.attrs.update(
            {
                "data-communes-for": self.add_prefix("commune"),
                "data-units-url": reverse("api:list_units"),
            }
        )

    def uses_post(self, data) -> bool:
        return bool(data.get("pick_up"))

    def clean(self):
        data = super().clean()
        if self.uses_post(data):
            for name in ADDRESS_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Required when the post picks up or delivers."))
            if data.get("pick_up") and not data.get("weight_class"):
                self.add_error("weight_class", _("Choose the weight of the papers."))
        return data

    def quote(self, origin_province: str) -> tariff.Quote | None:
        """The fees for what the cleaned form asks of the post (before anything is saved)."""
        data = self.cleaned_data
        pick_up = bool(data.get("pick_up"))
        deliver = data.get("result_delivery") == Channel.POST
        if not (pick_up or deliver) or not data.get("province"):
            return None
        return tariff.quote(
            origin_province=origin_province,
            destination_province=data["province"],
            pick_up=pick_up,
            deliver_result=deliver,
            weight_class=data.get("weight_class") or WeightClass.UP_TO_250G,
        )

    def address(self) -> Address | None:
        data = self.cleaned_data
        if not self.uses_post(data):
            return None
        return Address(
            recipient_name=data["recipient_name"],
            phone=data["phone"],
            street=data["street"],
            province_code=data["province"],
            commune_code=data["commune"],
        )


def initial_for(dossier) -> dict:
    """What the form shows first: the saved request, else the applicant's own name and phone."""
    request = PostalRequest.objects.filter(dossier=dossier).select_related(
        "address_province", "address_commune"
    )
    if saved := request.first():
        return {
            "pick_up": saved.pick_up,
            "recipient_name": saved.recipient_name,
            "phone": saved.phone,
            "street": saved.street,
            "province": saved.address_province.code,
            "commune": saved.address_commune.code,
            "weight_class": saved.weight_class,
        }
    applicant = dossier.applicant
    return {"recipient_name": applicant.full_name, "phone": applicant.phone or ""}
