from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Field
from egov.core.collation import sort_model_choices
from egov.queueing import services


class CounterForm(forms.Form):
    label = forms.CharField(
        label=_("Your counter"),
        # Checked by the service, whose messages say what to type.
        required=False,
        help_text=_("As written above the counter, e.g. 3."),
    )
    served = forms.ModelMultipleChoiceField(
        label=_("Fields you serve"),
        queryset=Field.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: you call every field."),
    )

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served"].queryset = Field.objects.filter(
            pk__in=desk.queue_fields.values("field_id")
        ).order_by("name")
        sort_model_choices(self.fields["served"])

    def clean_label(self):
        try:
            return services.clean_counter(self.cleaned_data["label"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
