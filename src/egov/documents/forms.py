from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.accounts.models import User
from egov.documents.kinds import DocumentType, Secrecy, Urgency
from egov.documents.models import DocumentRegister
from egov.organizations.codes import parse_agency_code
from egov.organizations.models import Agency

DATE = forms.DateInput(attrs={"type": "date"})


class DraftForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Issuing agency"))
    document_type = forms.ChoiceField(
        label=_("Type"), choices=DocumentType.choices, initial=DocumentType.LETTER
    )
    legal_normative = forms.BooleanField(label=_("Legal normative document"), required=False)
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=500)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Or attach the draft as a Word or PDF file below."),
    )
    draft_file = forms.FileField(
        label=_("Draft file (Word or PDF)"),
        required=False,
        help_text=_(
            "A PDF is signed as it is: leave blank, as Decree 30/2020 lays them out, the number "
            "under the agency's name and the date under the motto on the first page, and the "
            "signature space on the right of the last page."
        ),
    )
    attachments = forms.FileField(
        label=_("Attachment (PDF, signed by the agency at issue)"), required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="0")
    secrecy = forms.ChoiceField(
        label=_("Secrecy"),
        choices=Secrecy.choices,
        required=False,
        help_text=_("Documents with state secrets are not handled on this system."),
    )
    reply_due = forms.DateField(label=_("Reply due by"), required=False, widget=DATE)
    drafting_unit = forms.ModelChoiceField(
        Agency.objects.none(), label=_("Drafting unit"), required=False
    )
    approver = forms.ModelChoiceField(User.objects.none(), label=_("Leader who approves"))
    signer_title = forms.CharField(
        label=_("Signer's position"), max_length=200, help_text=_("e.g. Giám đốc, Phó Giám đốc")
    )
    signer_competence = forms.CharField(
        label=_("Signing on behalf of"),
        max_length=200,
        required=False,
        help_text=_("e.g. KT. GIÁM ĐỐC; empty when the head signs."),
    )
    platform_recipients = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        label=_("Agencies of the platform"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    external_recipients = forms.CharField(
        label=_("Agencies outside the platform"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: the agency code, a space, then its name."),
    )
    email_recipients = forms.CharField(
        label=_("People, by e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One e-mail address a line."),
    )

    def __init__(self, *args, agencies, units, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["drafting_unit"].queryset = units
        self.fields["approver"].queryset = leaders
        self.fields["platform_recipients"].queryset = Agency.objects.filter(
            document_profile__isnull=False
        )

    def clean_external_recipients(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["external_recipients"].splitlines(), 1):
            if not line.strip():
                continue
            code, _sep, name = line.strip().partition(" ")
            try:
                parse_agency_code(code)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(n)s: %(error)s") % {"n": number, "error": exc.messages[0]}
                ) from exc
            rows.append({"kind": "external", "code": code, "name": name.strip() or code})
        return rows

    def clean_email_recipients(self):
        rows = []
        for line in self.cleaned_data["email_recipients"].split():
            try:
                validate_email(line)
            except ValidationError as exc:
                raise ValidationError(
                    _("“%(value)s” is not an e-mail address.") % {"value": line}
                ) from exc
            rows.append({"kind": "email", "email": line, "name": line})
        return rows

    def recipients(self):
        data = self.cleaned_data
        return [
            *({"kind": "platform", "agency": a} for a in data["platform_recipients"]),
            *data["external_recipients"],
            *data["email_recipients"],
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (kept with the document)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueForm(forms.Form):
    register = forms.ModelChoiceField(DocumentRegister.objects.none(), label=_("Register"))

    def __init__(self, *args, registers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DirectForm(forms.Form):
    instruction = forms.CharField(
        label=_("Direction (ý kiến chỉ đạo)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = forms.ModelChoiceField(
        Agency.objects.none(), label=_("Department in charge"), required=False
    )
    handler = forms.ModelChoiceField(User.objects.none(), label=_("Handled by"))
    supporters = forms.ModelMultipleChoiceField(
        User.objects.none(),
        label=_("Works with"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    days = forms.IntegerField(
        label=_("Time to handle it (working days)"), min_value=1, max_value=365, initial=5
    )

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["handler"].queryset = people
        self.fields["supporters"].queryset = people


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaperForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Receiving agency"))
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    reference = forms.CharField(label=_("Number and notation"), max_length=100, required=False)
    document_date = forms.DateField(label=_("Date of the document"), required=False, widget=DATE)
    document_type = forms.ChoiceField(
        label=_("Type"), choices=DocumentType.choices, initial=DocumentType.LETTER
    )
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=500)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="0")
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, required=False)
    scan = forms.FileField(label=_("Scan (PDF or image)"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ProfileForm(forms.Form):
    abbreviation = forms.CharField(label=_("Abbreviation in notations"), max_length=20)
    place_name = forms.CharField(
        label=_("Place name of the date line"), max_length=100, required=False
    )
    governing_body = forms.CharField(label=_("Governing body"), max_length=255, required=False)


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    direction = forms.ChoiceField(
        label=pgettext_lazy("documents", "Direction"), choices=DocumentRegister.Direction.choices
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentRegister.Kind.choices)
    document_types = forms.MultipleChoiceField(
        label=_("Document types"),
        choices=DocumentType.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    issuer_abbreviation = forms.CharField(
        label=_("Issuer's abbreviation (a council or board)"), max_length=30, required=False
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, notation, subject or sender"), required=False, max_length=200
    )
    direction = forms.ChoiceField(
        label=_("Register"),
        required=False,
        choices=[("", _("Both")), *DocumentRegister.Direction.choices],
    )
    date_from = forms.DateField(
        label=pgettext_lazy("documents", "From"), required=False, widget=DATE
    )
    date_to = forms.DateField(label=pgettext_lazy("documents", "To"), required=False, widget=DATE)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=pgettext_lazy("documents", "From"), widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy("documents", "To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(_("The end of the period must not be before its start."))
        return data
