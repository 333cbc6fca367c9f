import re

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from egov.core.collation import sorted_vi
from egov.core.text import normalize_search_text
from egov.dossiers.models import Channel
from egov.organizations.models import AdministrativeUnit, Agency
from egov.postal.forms import PostalAddressForm


class DatalistInput(forms.TextInput):
    """A text box with its list of suggestions (<input list> + <datalist>): the browser filters
    the list as one types, with no JavaScript; the server reads what was typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions: list[str] = []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "list": f"{name}-list", "autocomplete": "off"}
        box = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "", '<option value="{}"></option>', ((s,) for s in self.suggestions)
        )
        return format_html('{}<datalist id="{}-list">{}</datalist>', box, name, options)


class CommuneField(forms.CharField):
    """A commune or ward of the province, typed with suggestions: its name (accents and case do
    not matter, "Phường"/"Xã" may be left out when only one unit has that name) or its code."""

    widget = DatalistInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.units: list[AdministrativeUnit] = []

    def set_units(self, units) -> None:
        self.units = sorted_vi(units, key=lambda unit: unit.name)
        names = [unit.name for unit in self.units]
        self.widget.suggestions = [
            name if names.count(name) == 1 else f"{name} ({unit.code})"
            for name, unit in zip(names, self.units, strict=True)
        ]

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        code = _CODE_IN_BRACKETS.search(text)
        if code or text.isdigit():
            wanted = code.group(1) if code else text
            found = [unit for unit in self.units if unit.code == wanted]
        else:
            typed = normalize_search_text(text)
            found = [u for u in self.units if normalize_search_text(u.name) == typed]
            if not found:
                found = [
                    u for u in self.units if normalize_search_text(u.name).endswith(f" {typed}")
                ]
        if len(found) != 1:
            raise forms.ValidationError(
                _("Choose the commune or ward from the list, e.g. “%(example)s”.")
                % {"example": self.units[0].name if self.units else "Phường Ninh Kiều"},
                code="invalid_choice",
            )
        return found[0]


_CODE_IN_BRACKETS = re.compile(r"\((\d{5})\)\s*$")


class CommuneForm(forms.Form):
    commune = CommuneField(
        label=_("Commune or ward where you apply"),
        max_length=200,
        error_messages={"required": _("Choose the commune or ward where you apply.")},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        province = AdministrativeUnit.objects.as_of(today).filter(code=province_code).first()
        field = self.fields["commune"]
        assert isinstance(field, CommuneField)
        field.widget.attrs["placeholder"] = _("Type to search, e.g. Ninh Kiều")
        field.set_units(
            AdministrativeUnit.objects.as_of(today).filter(parent=province).only("code", "name")
        )


class AttachmentForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Choose a file to attach.")},
    )


class ReturnDeskField(forms.CharField):
    """The desk where the applicant collects the result: the receiving desk (left empty) or a
    service centre of the province, typed with suggestions (ND 118/2025)."""

    widget = DatalistInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.desks: list[Agency] = []

    def set_desks(self, desks) -> None:
        self.desks = sorted_vi(desks, key=lambda desk: desk.name)
        self.widget.suggestions = [desk.name for desk in self.desks]

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        typed = normalize_search_text(text)
        found = [desk for desk in self.desks if normalize_search_text(desk.name) == typed]
        if len(found) != 1:
            raise forms.ValidationError(
                _("Choose a service centre from the list, or leave the box empty."),
                code="invalid_choice",
            )
        return found[0]


class DeliveryForm(PostalAddressForm):
    """How the result comes back, and what the post does (the address is structured on today's
    administrative units: egov.postal); at a desk, which one."""

    result_delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
    )
    return_desk = ReturnDeskField(
        label=_("Collect it at another Public Administration Service Centre (optional)"),
        help_text=_(
            "Any service centre of the province, the province's or a commune's, hands out the "
            "result. Leave empty to collect it where the dossier is received."
        ),
        required=False,
        max_length=300,
    )
    field_order = ["result_delivery"]

    def __init__(self, *args, desks=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["return_desk"]
        assert isinstance(field, ReturnDeskField)
        field.set_desks(desks)
        field.widget.attrs["placeholder"] = _("Type to search, e.g. Ninh Kiều")

    def uses_post(self, data) -> bool:
        return data.get("result_delivery") == Channel.POST or super().uses_post(data)

    def clean(self):
        data = super().clean()
        if data.get("return_desk") and data.get("result_delivery") != Channel.DESK:
            self.add_error(
                "return_desk",
                _("A service centre is chosen only when you collect the result at a desk."),
            )
        return data


class TrackingForm(forms.Form):
    ma = forms.RegexField(
        label=_("Dossier code"),
        regex=r"^\s*\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2}-\d{6}-\d{4,6}\s*$",
        max_length=40,
        error_messages={
            "invalid": _(
                "The code has the form 000.00.30.H13-261207-0001, as printed on your receipt."
            )
        },
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the key is for"),
        max_length=100,
        error_messages={"required": _("Name the key, e.g. “Kế toán app”.")},
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year"))],
    )


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("We send a 6-digit code there to check it is yours."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits of the code we sent.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetRequestForm(forms.Form):
    contact = forms.CharField(
        label=_("E-mail address or mobile number of your account"), max_length=254
    )


class ResetForm(CodeForm):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RegistryKeysForm(forms.Form):
    """What a business or land look-up is keyed on (the declaration's answers by default)."""

    enterprise_code = forms.CharField(
        label=_("Enterprise code (tax code)"), required=False, max_length=20
    )
    certificate = forms.CharField(
        label=_("Certificate issue number"),
        required=False,
        max_length=20,
        help_text=_("The issue number printed on the certificate, e.g. DA 123456."),
    )
    commune = CommuneField(label=_("Commune or ward of the parcel"), required=False, max_length=200)
    sheet = forms.IntegerField(label=_("Map sheet number"), required=False, min_value=1)
    parcel_number = forms.IntegerField(label=_("Parcel number"), required=False, min_value=1)

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        province = AdministrativeUnit.objects.as_of(today).filter(code=province_code).first()
        field = self.fields["commune"]
        assert isinstance(field, CommuneField)
        field.set_units(
            AdministrativeUnit.objects.as_of(today).filter(parent=province).only("code", "name")
        )
