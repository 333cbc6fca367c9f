from django import forms
from django.utils.translation import gettext_lazy as _


class EntryForm(forms.Form):
    rate = forms.DecimalField(
        label=_("Rate (%)"), min_value=0, max_value=100, max_digits=6, decimal_places=2
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the figure comes from, e.g. the national portal's page and its date."),
    )
