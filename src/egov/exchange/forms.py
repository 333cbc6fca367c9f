from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egov.exchange.models import ClientSystem, MessageRecord, Service

DATE = forms.DateInput({"type": "date"})


class GrantForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("Client system"), queryset=ClientSystem.objects.filter(suspended_at__isnull=True)
    )
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
