from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.organizations.models import Agency
from egov.personnel import rules, services
from egov.personnel.models import (
    REASONS,
    CivilServant,
    CorrectionRequest,
    EmploymentKind,
    EventKind,
    FamilyMember,
    Rank,
    Training,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def agency_choices(agencies):
    """The agencies in force today, with only what the options show."""
    today = timezone.localdate()
    return agencies.as_of(today).only("pk", "name").order_by("path", "code")


class AgencySelect(forms.Select):
    """A select of agencies rendered without the template engine: Home Affairs chooses among
    every agency of the city (hundreds), which Django's option templates render slowly."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        parts = [format_html("<select{}>", flatatt(final))]
        for option, label in self._options():
            option = "" if option is None else str(option)
            selected = mark_safe(" selected") if option in chosen else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', option, selected, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - each part is escaped by format_html

    def _options(self):
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            yield from choices
            return
        # The agencies' ids and names straight from the database: a model instance for each of
        # the city's hundreds of agencies took a fifth of the search page's time.
        if choices.field.empty_label is not None:
            yield "", choices.field.empty_label
        yield from choices.queryset.values_list("pk", "name")


def date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's field errors next to the form's fields (the rest above the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class PersonForm(forms.ModelForm):
    class Meta:
        model = CivilServant
        fields = ["code", *services.RECORD_FIELDS]
        widgets = {
            name: DateInput()
            for name in [
                "date_of_birth",
                "citizen_id_issued_on",
                "party_joined_on",
                "party_official_on",
                "youth_union_joined_on",
                "trade_union_joined_on",
                "military_enlisted_on",
                "military_discharged_on",
            ]
        } | {"personal_history": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty to get the next number (HS…).")
        else:
            del self.fields["code"]

    def validate_unique(self):
        """The service checks the record number and the citizen ID number, with its words."""

    def _post_clean(self):
        # The service validates the whole record; the form only converts the fields.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


# The fields each kind of event asks for, beside the date and the decision.
KIND_FIELDS = {
    EventKind.RECRUITMENT: ["agency", "employment_kind", "rank", "step", "counted_from", "detail"],
    EventKind.PROBATION: ["ends_on", "detail"],
    EventKind.RANK: ["rank", "step", "counted_from", "detail"],
    EventKind.SALARY: [
        "salary_group",
        "step",
        "coefficient",
        "counted_from",
        "seniority_percent",
        "reason",
        "detail",
    ],
    EventKind.SENIORITY: ["seniority_percent", "counted_from"],
    EventKind.POSITION: ["position", "position_allowance"],
    EventKind.POSITION_END: ["detail"],
    EventKind.TRANSFER: ["agency", "employment_kind", "position", "position_allowance", "detail"],
    EventKind.SECONDMENT: ["agency", "ends_on", "detail"],
    EventKind.TRAINING: ["ends_on", "detail"],
    EventKind.REWARD: ["detail"],
    EventKind.DISCIPLINE: ["reason", "detail"],
    EventKind.ASSESSMENT: ["reason", "detail"],
    EventKind.LEAVE: ["reason", "ends_on", "detail"],
    EventKind.RETIREMENT: ["detail"],
    EventKind.SEPARATION: ["detail"],
}
DECISION_FIELDS = [
    "decision_number",
    "decision_signed_on",
    "decision_signer",
    "decision_issuer",
    "document_ref",
]


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("personnel", "Event"), choices=EventKind.choices)


class EventForm(forms.Form):
    effective_on = date_field(_("Takes effect on"))
    ends_on = date_field(_("Ends on"), False, _("The first day back; empty while it lasts."))
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), widget=AgencySelect
    )
    employment_kind = forms.ChoiceField(label=_("Employment"), choices=EmploymentKind.choices)
    rank = forms.ModelChoiceField(
        label=_("Rank"), queryset=Rank.objects.filter(is_active=True), required=False
    )
    salary_group = forms.ChoiceField(
        label=_("Salary group"),
        required=False,
        choices=[("", _("The rank's group"))],
        help_text=_("Leave it to keep the person's group."),
    )
    step = forms.IntegerField(
        label=pgettext_lazy("salary", "Step"), min_value=1, max_value=20, required=False
    )
    coefficient = forms.DecimalField(
        label=_("Coefficient"),
        max_digits=4,
        decimal_places=2,
        required=False,
        help_text=_("Filled from the salary scale; give it to check the decision against it."),
    )
    counted_from = date_field(
        _("Next raise counted from"), False, _("As the decision says; default: takes effect on.")
    )
    seniority_percent = forms.IntegerField(
        label=_("Seniority allowance (%)"), min_value=0, max_value=100, required=False
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    position_allowance = forms.DecimalField(
        label=_("Position allowance coefficient"),
        max_digits=4,
        decimal_places=2,
        min_value=0,
        max_value=2,
        required=False,
    )
    reason = forms.ChoiceField(label=_("Form or reason"), choices=[])
    detail = forms.CharField(label=_("Details"), max_length=300, required=False)
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=50, help_text=_("E.g. 125/QĐ-UBND.")
    )
    decision_signed_on = date_field(_("Decision signed on"))
    decision_signer = forms.CharField(label=_("Signed by"), max_length=200)
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    document_ref = forms.CharField(
        label=_("Document in the register"),
        max_length=100,
        required=False,
        help_text=_("Its number in the official documents register, when it is there."),
    )

    def __init__(self, *args, kind: str, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = {"effective_on", *KIND_FIELDS[kind], *DECISION_FIELDS}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "agency" in self.fields:
            today = timezone.localdate()
            self.fields["agency"].queryset = (
                (agencies or Agency.objects.none()).as_of(today).order_by("path", "code")
            )
        if "salary_group" in self.fields:
            self.fields["salary_group"].choices += [
                (code, rules.group_label(code)) for code in rules.SALARY_GROUPS
            ]
        if "reason" in self.fields:
            choices = REASONS[kind].choices
            if kind == EventKind.SALARY:
                self.fields["reason"].required = False
                choices = [("", "—"), *choices]
            self.fields["reason"].choices = choices
        if kind in (EventKind.RECRUITMENT, EventKind.RANK) and "rank" in self.fields:
            self.fields["rank"].required = kind == EventKind.RANK
        if kind in (EventKind.RANK, EventKind.SALARY):
            self.fields["step"].required = True
        if kind in (EventKind.PROBATION, EventKind.SECONDMENT):
            self.fields["ends_on"].required = True
        if kind == EventKind.POSITION:
            self.fields["position"].required = True
        if kind == EventKind.SENIORITY:
            self.fields["seniority_percent"].required = True
        if kind in (EventKind.REWARD, EventKind.TRAINING):
            self.fields["detail"].required = True
        if kind == EventKind.TRANSFER:
            self.fields["employment_kind"].required = False
            self.fields["employment_kind"].choices = [("", "—"), *EmploymentKind.choices]

    def to_input(self) -> services.EventInput:
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        values = {"kind": self.kind}
        for name in services.EVENT_FIELDS:
            if name == "kind":
                continue
            value = data.get(name)
            default = services.EventInput.__dataclass_fields__[name].default
            values[name] = default if value in (None, "") else value
        return services.EventInput(**values)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it voided?"), max_length=300, widget=forms.TextInput())


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["kind", "institution", "field", "started_on", "ended_on", "form", "qualification"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}


class FamilyForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["side", "relation", "full_name", "birth_year", "details"]


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("User name of the person's staff account"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to unlink."),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CorrectionRequest.State.CORRECTED, _("The record was corrected")),
            (CorrectionRequest.State.DECLINED, _("The record stays as it is")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class DueForm(forms.Form):
    months = forms.IntegerField(label=_("Within (months)"), min_value=1, max_value=60, initial=6)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=AgencySelect,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_choices(agencies)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or record number"), max_length=100, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=AgencySelect,
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        from egov.personnel.models import Status

        self.fields["agency"].queryset = agency_choices(agencies)
        self.fields["status"].choices = [
            ("active", _("In service (any)")),
            ("", _("All")),
            *Status.choices,
        ]


class QuotaForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), widget=AgencySelect
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    civil_servants = forms.IntegerField(
        label=_("Civil servants (biên chế công chức)"), min_value=0, max_value=100000
    )
    public_employees = forms.IntegerField(
        label=_("Public employees (số lượng người làm việc)"), min_value=0, max_value=100000
    )
    decision = forms.CharField(
        label=pgettext_lazy("personnel", "Decision"), max_length=100, required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_choices(agencies)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("Two sheets: “Cán bộ” (people) and “Diễn biến” (career events)."),
    )
