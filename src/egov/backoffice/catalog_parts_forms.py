"""The designer's papers and fees editors: one small form per paper or fee, no JSON."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role
from egov.backoffice.catalog_builder_forms import BaseFieldFormSet
from egov.catalog.models import DocumentRequirement, Fee, WorkflowStep, WorkflowTransition
from egov.catalog.workflow import CUSTOM_KINDS
from egov.organizations.models import Agency

FILE_TYPES = [
    ("pdf", "PDF"),
    ("jpg", "JPG"),
    ("png", "PNG"),
    ("docx", "DOCX"),
    ("xlsx", "XLSX"),
]


class PaperForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the paper"), max_length=500)
    originals = forms.IntegerField(label=_("Originals"), min_value=0, max_value=99, initial=1)
    copies = forms.IntegerField(label=_("Copies"), min_value=0, max_value=99, initial=0)
    mandatory = forms.BooleanField(label=_("Always required"), required=False, initial=True)
    condition = forms.CharField(
        label=_("Required when (if not always)"), max_length=500, required=False
    )
    accepted_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=FILE_TYPES,
        widget=forms.CheckboxSelectMultiple,
        initial=["pdf", "jpg", "png"],
    )
    template_title = forms.CharField(
        label=_("Template (form) name"), max_length=300, required=False
    )
    template_file = forms.FileField(label=_("Template file"), required=False)
    registry = forms.ChoiceField(
        label=_("Can be taken from a registry"),
        choices=DocumentRequirement.Registry.choices,
        required=False,
    )
    filled_by_eform = forms.BooleanField(label=_("Filled in by the e-form"), required=False)
    paper_type = forms.ChoiceField(label=_("Paper type (loại giấy tờ)"), required=False)

    def __init__(self, *args, paper_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["paper_type"]).choices = [
            ("", _("— not listed —")),
            *paper_types,
        ]


class PaperTypeForm(forms.Form):
    name = forms.CharField(label=_("Name of the new paper type"), max_length=500)
    code = forms.CharField(
        label=_("Code (optional; e.g. the national database's code)"),
        max_length=60,
        required=False,
    )


PaperFormSet = forms.formset_factory(PaperForm, extra=1, can_order=True, can_delete=True)
PaperFormSet.ordering_widget = forms.HiddenInput


class FeeForm(forms.Form):
    RULES = [
        ("fixed", _("A fixed amount")),
        ("per_unit", _("An amount per unit of a number answered")),
        ("tiered", _("Tiers of units, with a cap")),
        ("cases", _("An amount for each answer of a question")),
    ]
    name = forms.CharField(label=_("Name of the fee"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Fee.Kind.choices, initial=Fee.Kind.CHARGE)
    rule_type = forms.ChoiceField(label=_("How it is computed"), choices=RULES, initial="fixed")
    amount = forms.IntegerField(
        label=_("Amount in đồng"),
        min_value=0,
        required=False,
        help_text=_(
            "Fixed: the fee. Per unit: the price of one unit. Cases: when no case matches."
        ),
    )
    field = forms.ChoiceField(label=_("Counted from the answer to"), required=False)
    copies_field = forms.ChoiceField(label=_("Multiplied by the copies in"), required=False)
    tiers = forms.CharField(
        label=_("Tiers, one a line: up to | amount per unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “2 | 2000” then “| 1000” for every unit after."),
    )
    max = forms.IntegerField(label=_("Cap in đồng"), min_value=0, required=False)
    cases = forms.CharField(
        label=_("Cases, one a line: answer | amount"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    extra_field = forms.ChoiceField(label=_("Surcharge per copy counted in"), required=False)
    extra_from = forms.IntegerField(label=_("… from copy number"), min_value=1, required=False)
    extra_amount = forms.IntegerField(label=_("… amount per copy"), min_value=0, required=False)
    exemptions = forms.CharField(
        label=_("Exemptions, as citizens read them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exempt_field = forms.ChoiceField(label=_("Exempt when the answer to"), required=False)
    exempt_values = forms.CharField(
        label=_("… is one of (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Options by their label; empty for a yes/no question answered yes."),
    )

    def __init__(self, *args, field_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *field_choices]
        for name in ("field", "copies_field", "extra_field", "exempt_field"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices

    def clean(self):
        cleaned = super().clean() or {}
        rule = cleaned.get("rule_type")
        if rule in {"per_unit", "tiered", "cases"} and not cleaned.get("field"):
            self.add_error("field", _("Choose the answer the fee is computed from."))
        if rule == "tiered" and not (cleaned.get("tiers") or "").strip():
            self.add_error("tiers", _("Give at least one tier."))
        if rule == "cases" and not (cleaned.get("cases") or "").strip():
            self.add_error("cases", _("Give at least one case."))
        return cleaned


FeeFormSet = cast(
    type[BaseFieldFormSet],
    forms.formset_factory(
        FeeForm, formset=BaseFieldFormSet, extra=1, can_order=True, can_delete=True
    ),
)
FeeFormSet.ordering_widget = forms.HiddenInput


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name of the step"), max_length=200)
    action = forms.ChoiceField(
        label=_("What is done"),
        choices=WorkflowStep.Action.choices,
        initial=WorkflowStep.Action.RECEIVE,
    )
    role = forms.ChoiceField(
        label=_("Role that acts"), choices=Role.choices, initial=Role.DESK_OFFICER
    )
    agency_role = forms.ChoiceField(
        label=_("Acting agency"),
        choices=WorkflowStep.AgencyRole.choices,
        initial=WorkflowStep.AgencyRole.RECEIVING,
    )
    agency = forms.ModelChoiceField(
        label=_("The other agency"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        help_text=_("Only when the acting agency is another agency (liên thông)."),
    )
    duration = forms.DecimalField(
        label=_("Share of the time limit"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("In the procedure's unit; the steps add up to the time limit."),
    )

    consult_pick = forms.BooleanField(
        label=_("The handler chooses which of these agencies to consult"),
        required=False,
        help_text=_("Otherwise every agency below is asked as soon as the dossier arrives."),
    )

    # Agencies a consultation step asks, each with its time to answer: a few slots per card,
    # which an editor fills without typing any code.
    SLOTS = 5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.SLOTS + 1):
            self.fields[f"consult_agency_{number}"] = forms.ModelChoiceField(
                label=_("Consulted agency %(n)s") % {"n": number},
                queryset=Agency.objects.order_by("name"),
                to_field_name="code",
                required=False,
            )
            self.fields[f"consult_days_{number}"] = forms.DecimalField(
                label=_("Its time to answer"),
                min_value=0,
                max_digits=6,
                decimal_places=2,
                required=False,
                help_text=_("In the procedure's unit, counted in working time from the request."),
            )
        self.consult_names = ["consult_pick"] + [
            f"consult_{kind}_{n}" for n in range(1, self.SLOTS + 1) for kind in ("agency", "days")
        ]

    def consult_fields(self):
        return [self[name] for name in self.consult_names]

    def clean(self):
        data = super().clean() or {}
        consulted, seen = [], set()
        for number in range(1, self.SLOTS + 1):
            agency = data.get(f"consult_agency_{number}")
            days = data.get(f"consult_days_{number}")
            if agency is None and days is None:
                continue
            if agency is None:
                self.add_error(f"consult_agency_{number}", _("Choose the agency to consult."))
            elif days is None:
                self.add_error(f"consult_days_{number}", _("Give the agency a time to answer."))
            elif agency.pk in seen:
                self.add_error(
                    f"consult_agency_{number}", _("This agency is already consulted by the step.")
                )
            else:
                seen.add(agency.pk)
                consulted.append({"agency": agency.code, "duration": days})
        if consulted and data.get("action") != WorkflowStep.Action.CONSULTATION:
            raise forms.ValidationError(
                _(
                    "Only a step that consults several agencies asks agencies for an opinion: "
                    "choose that kind of step, or empty the consulted agencies."
                )
            )
        data["consulted"] = consulted
        return data

    @classmethod
    def consult_initial(cls, step) -> dict:
        initial = {"consult_pick": step.consult_pick}
        for number, row in enumerate(step.consulted.all(), start=1):
            initial[f"consult_agency_{number}"] = row.agency.code
            initial[f"consult_days_{number}"] = row.duration.normalize()
        return initial


StepFormSet = forms.formset_factory(StepForm, extra=1, can_order=True, can_delete=True)
StepFormSet.ordering_widget = forms.HiddenInput


class MoveForm(forms.Form):
    """One custom move between steps beyond the usual ones (a move on that skips a step, a
    send-back further back, a refusal or pause where the usual moves have none)."""

    source = forms.ChoiceField(label=_("From the step"))
    kind = forms.ChoiceField(label=_("Move"))
    target = forms.ChoiceField(
        label=_("To the step"), required=False, help_text=_("None for a refusal.")
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        named = [(step.code, f"{step.position}. {step.name}") for step in steps]
        cast(forms.ChoiceField, self.fields["source"]).choices = named
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", _("— the dossier ends —")),
            *named,
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (kind, WorkflowTransition.Kind(kind).label) for kind in CUSTOM_KINDS
        ]


MoveFormSet = forms.formset_factory(MoveForm, extra=1, can_delete=True)
