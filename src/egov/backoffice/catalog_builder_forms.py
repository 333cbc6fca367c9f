"""The e-form designer's forms: one small form per field, in a formset that orders and deletes."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.builder import Kind, Prefill


class FieldSettingsForm(forms.Form):
    label = forms.CharField(label=_("Question (label)"), max_length=300)
    # Initial values equal to what an untouched empty card posts, so it counts as unchanged.
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Kind.choices, initial=Kind.TEXT)
    name = forms.RegexField(
        label=_("Stored as"),
        regex=r"^[a-z][a-z0-9_]{0,59}$",
        required=False,
        help_text=_("Made from the question when empty; fee rules and reports use it."),
        error_messages={"invalid": _("Use lower-case letters without accents, digits and _.")},
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    help = forms.CharField(label=_("Help text"), max_length=500, required=False)
    group = forms.CharField(
        label=_("Group (section title)"),
        max_length=200,
        required=False,
        help_text=_("Fields with the same group are shown together under that title."),
    )
    options = forms.CharField(
        label=_("Options, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For one or several choices. Write “code | label” to keep a stored code."),
    )
    radio = forms.BooleanField(label=_("Show one choice as buttons"), required=False)
    minimum = forms.DecimalField(label=_("Smallest number"), required=False)
    maximum = forms.DecimalField(label=_("Largest number"), required=False)
    decimals = forms.BooleanField(label=_("Allow decimals"), required=False)
    columns = forms.CharField(
        label=_("Table columns, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rows = forms.IntegerField(
        label=_("Rows in the table"), min_value=1, max_value=50, required=False
    )
    show_when_field = forms.ChoiceField(
        label=_("Show only when this field has an answer"), required=False
    )
    show_when_value = forms.CharField(
        label=_("… and the answer is"),
        max_length=200,
        required=False,
        help_text=_("An option's code or label, or “có” / “không”; empty: any answer."),
    )
    prefill = forms.ChoiceField(
        label=_("Fill in from the citizen's profile"), choices=Prefill.choices, required=False
    )

    def __init__(self, *args, field_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice = cast(forms.ChoiceField, self.fields["show_when_field"])
        choice.choices = [("", _("always shown")), *field_choices]

    def clean(self):
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind in {Kind.CHOICE, Kind.CHOICES} and not (cleaned.get("options") or "").strip():
            self.add_error("options", _("List the options people choose from."))
        if kind == Kind.TABLE and not (cleaned.get("columns") or "").strip():
            self.add_error("columns", _("Name at least one column of the table."))
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("The largest number is smaller than the smallest."))
        return cleaned


class BaseFieldFormSet(forms.BaseFormSet):
    def __init__(self, *args, field_choices=(), **kwargs):
        self.field_choices = list(field_choices)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"field_choices": self.field_choices}


FieldFormSet = cast(
    type[BaseFieldFormSet],
    forms.formset_factory(
        FieldSettingsForm, formset=BaseFieldFormSet, extra=1, can_order=True, can_delete=True
    ),
)
FieldFormSet.ordering_widget = forms.HiddenInput
