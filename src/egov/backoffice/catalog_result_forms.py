"""The designer's result template editor: the paper's settings and its content, no JSON."""

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ResultTemplate


class ResultTemplateForm(forms.ModelForm):
    class Meta:
        model = ResultTemplate
        fields = [
            "title",
            "parent_agency",
            "place",
            "signer_title",
            "validity_months",
            "body",
            "recipients",
        ]
        labels = {
            "title": _("Title of the paper (e.g. GIẤY PHÉP XÂY DỰNG)"),
            "parent_agency": _("Governing body, above the agency's name (optional)"),
            "place": _("Place name in the date line (e.g. Cần Thơ)"),
            "signer_title": _("Signer's title (e.g. GIÁM ĐỐC, KT. CHỦ TỊCH)"),
            "validity_months": _("Valid for, in months (empty: no end date)"),
            "body": _("Content of the paper"),
            "recipients": _("Recipients (nơi nhận), one a line"),
        }
        help_texts = {
            "body": _(
                "“# ” starts a centred heading, “## ” a heading, “- ” a list item, “| a | b |” "
                "a table row; an empty line starts a paragraph; **text** is bold. Insert the "
                "answers and the decision's data from the list."
            ),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }
