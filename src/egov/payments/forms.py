from django import forms
from django.utils.translation import gettext_lazy as _

from egov.payments.models import Payment


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(Payment.Method.CASH, _("Cash")), (Payment.Method.CARD, _("Card terminal"))],
    )
    amount = forms.IntegerField(label=_("Amount received (đồng)"), min_value=1)
    reference = forms.CharField(
        label=_("Terminal slip number (card)"), max_length=100, required=False
    )


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount refunded (đồng)"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    reference = forms.CharField(
        label=_("Transfer or voucher reference"), max_length=100, required=False
    )


class StatementForm(forms.Form):
    day = forms.DateField(
        label=_("Day covered by the statement"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )
    file = forms.FileField(label=_("Statement (CSV, UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it by day."))
        return upload
