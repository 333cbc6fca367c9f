from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from egov.signatures.signing import LEVELS


class PdfUploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > settings.EGOV_SIGNATURE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; send a smaller PDF.")
                % {"size": settings.EGOV_SIGNATURE_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class VerifyForm(forms.Form):
    file = PdfUploadField(
        label=_("The signed PDF file"),
        error_messages={"required": _("Choose the PDF file you received.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class CodeForm(forms.Form):
    ma = forms.CharField(
        label=_("Verification code printed under the QR"),
        max_length=30,
        error_messages={"required": _("Enter the code printed under the QR code.")},
    )


class ImportCertificateForm(forms.Form):
    HOLDER_CHOICES = [
        ("agency", _("The agency's certificate")),
        ("person", _("My personal certificate")),
    ]
    holder = forms.ChoiceField(label=_("Whose certificate"), choices=HOLDER_CHOICES)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=None,
        required=False,
        help_text=_("For an agency certificate."),
    )
    file = forms.FileField(label=_("PKCS#12 file (.p12 or .pfx)"))
    password = forms.CharField(
        label=_("Password of the file"), required=False, widget=forms.PasswordInput
    )
    label = forms.CharField(label=_("Name in lists"), max_length=200, required=False)
    seal = forms.FileField(
        label=_("Seal image (PNG, transparent background)"),
        required=False,
        help_text=_("Shown over the signature on documents signed in the agency's name."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("holder") == "agency" and not data.get("agency"):
            self.add_error("agency", _("Choose the agency that the certificate belongs to."))
        upload = data.get("file")
        if upload and upload.size > 1024 * 1024:
            self.add_error("file", _("A PKCS#12 file is smaller than 1 MB; check the file."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the certificate must no longer sign.")},
    )


class SignForm(forms.Form):
    file = PdfUploadField(label=_("PDF file to sign"))
    certificate = forms.ModelChoiceField(label=_("Sign with"), queryset=None, empty_label=None)
    level = forms.ChoiceField(
        label=_("Signature level"),
        choices=[(level, f"PAdES {level}") for level in LEVELS],
        initial="B-LT",
    )

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates
        self.fields["level"].initial = settings.EGOV_SIGNATURE_DEFAULT_LEVEL
