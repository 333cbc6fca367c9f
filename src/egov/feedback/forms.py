"""Forms of the public and staff pages. The checks that matter are the services'; these parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.feedback.models import ApiClient, Attribute, Category, Rating, Report
from egov.feedback.queries import PUBLIC_STATUSES
from egov.organizations.models import Agency


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Describe what you see and since when. Do not write other people's names."),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    place_source = forms.ChoiceField(
        choices=[
            (Report.PlaceSource.MAP, Report.PlaceSource.MAP.label),
            (Report.PlaceSource.DEVICE, Report.PlaceSource.DEVICE.label),
        ],
        required=False,
        widget=forms.HiddenInput,
    )
    commune = forms.ChoiceField(label=_("Commune, ward or special zone"), required=False)
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=300,
        help_text=_("House number and street, or a landmark nearby."),
    )
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact_email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, category: Category, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["commune"].choices = [("", _("— choose —"))] + [
            (unit.code, unit.name) for unit in communes
        ]
        for attribute in category.attributes.all():
            self.fields[f"attribute_{attribute.code}"] = _attribute_field(attribute)

    def attribute_fields(self):
        return [self[name] for name in self.fields if name.startswith("attribute_")]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            name.removeprefix("attribute_"): value
            for name, value in data.items()
            if name.startswith("attribute_") and value not in (None, "", [])
        }


def _attribute_field(attribute: Attribute) -> forms.Field:
    common = {
        "label": attribute.description,
        "required": False,  # the service says what is missing, with the rest of the errors
        "help_text": attribute.datatype_description,
    }
    choices = [(str(v.get("key")), v.get("name") or v.get("key")) for v in attribute.values]
    kind = attribute.datatype
    if kind == Attribute.Datatype.SINGLE:
        return forms.ChoiceField(choices=[("", _("— choose —")), *choices], **common)
    if kind == Attribute.Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Attribute.Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, **common)
    if kind == Attribute.Datatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), max_length=30, **common
        )
    if kind == Attribute.Datatype.NUMBER:
        return forms.CharField(
            widget=forms.NumberInput(attrs={"step": "any"}), max_length=30, **common
        )
    return forms.CharField(max_length=300, **common)


class PublicFilterForm(forms.Form):
    loai = forms.ChoiceField(label=_("Category"), required=False)
    trang_thai = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *[(key, label) for key, (label, _s) in PUBLIC_STATUSES.items()]],
    )
    xa = forms.ChoiceField(label=_("Commune, ward or special zone"), required=False)
    lat = forms.FloatField(label=_("Near latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Near longitude"), required=False, min_value=-180, max_value=180)
    ban_kinh = forms.IntegerField(
        label=_("Within (metres)"), required=False, min_value=50, max_value=20000
    )

    def __init__(self, *args, categories, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loai"].choices = [("", _("All")), *[(c.code, c.name) for c in categories]]
        self.fields["xa"].choices = [("", _("All")), *[(u.code, u.name) for u in communes]]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(value, label) for value, label in reversed(Rating.choices)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Staff -----------------------------------------------------------------------------------


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


class TransferForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("To the agency"), queryset=Agency.objects.none())
    reason = forms.CharField(
        label=_("Why (the reporter reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Code of the report it repeats"), max_length=20)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer (published on the report's page)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class RedactForm(forms.Form):
    public_description = forms.CharField(
        label=_("Description shown to the public"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(label=_("What was hidden and why"), max_length=300)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "description",
            "group",
            "keywords",
            "routing",
            "agency",
            "deadline_days",
            "is_active",
            "position",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("path")


class QuestionForm(forms.ModelForm):
    """A question asked with a category (an Open311 attribute); its choices typed one a line,
    ``key: name``, rather than as JSON."""

    values = forms.CharField(
        label=_("Choices, one a line: key: name"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for a question answered from a list, e.g. “household: Household rubbish”."
        ),
    )

    class Meta:
        model = Attribute
        fields = [
            "position",
            "code",
            "description",
            "datatype",
            "required",
            "datatype_description",
            "values",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.values, list):
            self.initial["values"] = "\n".join(
                f"{value.get('key')}: {value.get('name', '')}".rstrip(": ")
                if isinstance(value, dict)
                else str(value)
                for value in self.instance.values
            )

    def clean_values(self) -> list[dict]:
        choices = []
        for line in self.cleaned_data["values"].splitlines():
            if not line.strip():
                continue
            key, _colon, name = line.partition(":")
            choices.append({"key": key.strip(), "name": (name or key).strip()})
        return choices


QuestionFormSet = forms.inlineformset_factory(
    Category, Attribute, form=QuestionForm, extra=1, can_delete=True
)


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "contact_email", "requests_per_minute"]
