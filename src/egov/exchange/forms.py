from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egov.exchange.models import ClientSystem, Member, MessageRecord, Service
from egov.organizations.models import Agency

DATE = forms.DateInput({"type": "date"})


class ClientChoiceField(forms.ModelChoiceField):
    """A live client system, named as people know it: its name and its member's."""

    def __init__(self, **kwargs: Any) -> None:
        live = ClientSystem.objects.filter(suspended_at__isnull=True).select_related("member")
        super().__init__(queryset=live, label=_("Client system"), **kwargs)

    def label_from_instance(self, obj: ClientSystem) -> str:
        return f"{obj.name} ({obj.member.name})"


class GrantForm(forms.Form):
    client = ClientChoiceField()
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(withdrawn_at__isnull=True)
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The law, decree or decision that allows this use of the data."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)


class LogFilterForm(forms.Form):
    client = forms.CharField(label=_("Client system"), required=False, max_length=130)
    service = forms.CharField(label=_("Service"), required=False, max_length=60)
    status = forms.IntegerField(
        label=_("HTTP status"), required=False, min_value=100, max_value=599
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def filter(self, records: QuerySet[MessageRecord]) -> QuerySet[MessageRecord]:
        data = self.cleaned_data
        if data.get("client"):
            records = records.filter(client_code__icontains=data["client"])
        if data.get("service"):
            records = records.filter(service_code=data["service"])
        if data.get("status"):
            records = records.filter(status=data["status"])
        if data.get("since"):
            records = records.filter(occurred_at__date__gte=data["since"])
        if data.get("until"):
            records = records.filter(occurred_at__date__lte=data["until"])
        return records


class MemberForm(forms.Form):
    code = forms.SlugField(
        label=_("Member code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. so-y-te."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    agency = forms.CharField(
        label=_("Agency code"),
        required=False,
        max_length=50,
        help_text=_("For a member that is one of the city's agencies; empty for an outside one."),
    )

    def clean_agency(self) -> Agency | None:
        code = self.cleaned_data["agency"].strip()
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise forms.ValidationError(_("No agency has this code."))
        return agency


class ClientForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.all())
    code = forms.SlugField(label=_("Client code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=255)
    certificate_pem = forms.CharField(
        label=_("Certificate (PEM)"),
        widget=forms.Textarea({"rows": 8, "class": "mono"}),
        help_text=_("From -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Calls per minute"), min_value=1, max_value=1_000_000, initial=600
    )
    daily_quota = forms.IntegerField(
        label=_("Calls per day"), min_value=1, max_value=100_000_000, initial=100_000
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if ClientSystem.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A client system already has this code."))
        return code


class ServiceForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Member.objects.all())
    code = forms.SlugField(label=_("Service code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=255)
    base_url = forms.URLField(label=_("Provider address"), max_length=200, assume_scheme="https")
    openapi_url = forms.URLField(
        label=_("OpenAPI description address"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    openapi_document = forms.JSONField(
        label=_("OpenAPI description (JSON)"),
        required=False,
        widget=forms.Textarea({"rows": 6, "class": "mono"}),
        help_text=_("Give its address above, or paste the description here."),
    )
    keep_bodies = forms.BooleanField(
        label=_("Keep message bodies in the log"),
        required=False,
        help_text=_(
            "Leave it off for services that carry personal data: the log then keeps only the "
            "bodies' hashes."
        ),
    )

    def clean_openapi_document(self) -> dict | None:
        document = self.cleaned_data.get("openapi_document")
        if document is not None and not isinstance(document, dict):
            raise forms.ValidationError(_("The OpenAPI description must be a JSON object."))
        return document or None


EVENT_LABELS = {
    "dossier.submitted": _("A dossier was submitted"),
    "dossier.received": _("A dossier was received"),
    "dossier.supplement_requested": _("A supplement was requested"),
    "dossier.refused": _("A dossier was refused"),
    "dossier.result_issued": _("A result was issued"),
    "dossier.result_returned": _("A result was returned"),
    "dossier.withdrawn": _("A dossier was withdrawn"),
}


class SubscriptionForm(forms.Form):
    client = ClientChoiceField()
    url = forms.URLField(label=_("Delivery address"), max_length=200, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(EVENT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
