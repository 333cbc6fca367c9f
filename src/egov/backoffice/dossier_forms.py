"""Forms of the staff dossier pages: search, counter intake, register period."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.dossiers.models import Channel, Consultation, Dossier


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Code, applicant's name, CCCD or phone"), required=False, max_length=100
    )
    procedure = forms.CharField(
        label=_("Procedure code"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "1.001193"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))]
        + [(value, label) for value, label in Dossier.Status.choices if value != "draft"],
    )
    start = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class ApplicantForm(forms.Form):
    full_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    citizen_id = forms.CharField(label=_("CCCD number"), max_length=12, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    channel = forms.ChoiceField(
        label=_("How the dossier came"),
        choices=[(Channel.DESK, Channel.DESK.label), (Channel.POST, Channel.POST.label)],
    )
    result_delivery = forms.ChoiceField(
        label=pgettext_lazy("counter intake", "Result returned"), choices=Channel.choices
    )
    delivery_address = forms.CharField(
        label=_("Postal address for the result"), max_length=500, required=False
    )


class RegisterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (data["end"] - data["start"]).days > 366:
                raise forms.ValidationError(_("Choose a period of at most one year."))
        return data

    @classmethod
    def this_month(cls):
        today = timezone.localdate()
        return cls(initial={"start": today.replace(day=1), "end": today})


class ConsultationAnswerForm(forms.Form):
    """A consulted agency's opinion; the file is checked (type, size, malware) by the service."""

    opinion = forms.ChoiceField(
        label=_("Your agency's opinion"),
        choices=Consultation.Opinion.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("The opinion in words (required to disagree)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    file = forms.FileField(
        label=_("An official letter or other file (PDF, JPG, PNG, DOCX; optional)"),
        required=False,
    )
