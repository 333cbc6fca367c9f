from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.masking import mask_email, mask_phone
from egov.notifications import conf, events, rendering, sms
from egov.notifications.channels import enabled_channels, get_adapter
from egov.notifications.models import Channel, Notification

LANGUAGE_NAMES = [("vi", "Tiếng Việt"), ("en", "English")]


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("How we reach you"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way to reach you.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"), choices=LANGUAGE_NAMES, widget=forms.RadioSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        labels = {
            Channel.EMAIL: _("E-mail to %(address)s"),
            Channel.SMS: _("SMS to %(address)s"),
            Channel.ZALO: _("Zalo message to %(address)s"),
        }
        missing = {
            Channel.EMAIL: _("E-mail (your account has no e-mail address)"),
            Channel.SMS: _("SMS (your account has no phone number)"),
            Channel.ZALO: _("Zalo (your account has no phone number)"),
        }
        choices = []
        for channel in enabled_channels():
            address = self._address(channel)
            if address:
                shown = mask_email(address) if channel == Channel.EMAIL else mask_phone(address)
                choices.append((channel, labels[channel] % {"address": shown}))
            else:
                choices.append((channel, missing[channel]))
        self.fields["channels"].choices = choices

    def _address(self, channel: str) -> str:
        return (self.user.email if channel == Channel.EMAIL else self.user.phone) or ""

    def clean_channels(self):
        channels = self.cleaned_data["channels"]
        for channel in channels:
            if not self._address(channel):
                if channel == Channel.EMAIL:
                    raise ValidationError(_("Your account has no e-mail address to write to."))
                raise ValidationError(_("Your account has no phone number: SMS and Zalo need one."))
        return channels


class NotificationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Notification.Status.choices],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    event = forms.ChoiceField(label=_("Event"), required=False)
    object_id = forms.CharField(label=_("Dossier or object id"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("All")), *events.choices()]


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=250, required=False)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            'Django template syntax: {{ dossier_code }}, {{ new_date|date:"d/m/Y" }}, {% if %}…'
        ),
    )
    zns_template_id = forms.CharField(
        label=_("ZNS template ID"),
        max_length=32,
        required=False,
        help_text=_("The ID Zalo gave the approved ZNS template; empty means Zalo is not used."),
    )

    def __init__(self, *args, event: events.EventType, channel: str, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.channel = channel
        self.language = language
        self.preview: rendering.Rendered | None = None
        self.sms_length: sms.SmsLength | None = None
        if channel != Channel.EMAIL:
            del self.fields["subject"]
        else:
            self.fields["subject"].required = True
        if channel == Channel.ZALO:
            self.fields["body"].label = _("ZNS parameters")
            self.fields["body"].help_text = _(
                "One “parameter_name: value” per line, the names of the approved ZNS template."
            )
        else:
            del self.fields["zns_template_id"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name in ("subject", "body"):
            if name in self.fields:
                try:
                    source = data.get(name, "")
                    if self.channel == Channel.ZALO:
                        for _param, value in rendering.parse_params(source):
                            rendering.check_variables(value, self.event)
                    else:
                        rendering.check_variables(source, self.event)
                except ValidationError as exc:
                    self.add_error(name, exc)
        if self.errors:
            return data
        template = _Draft(self.channel, self.language, data)
        try:
            strip = self.channel == Channel.SMS and _strips_diacritics()
            self.preview = rendering.render(
                template,
                {"site_name": _site_name(), **self.event.sample},
                self.language,
                strip_diacritics=strip,
                max_segments=10_000,
            )
        except ValidationError as exc:
            self.add_error("body", exc)
            return data
        except Exception as exc:
            self.add_error(
                "body", _("The template fails with the sample: %(error)s") % {"error": exc}
            )
            return data
        if self.channel == Channel.SMS:
            self.sms_length = sms.measure(self.preview.body)
            limit = conf.get("SMS_MAX_SEGMENTS")
            if self.sms_length.segments > limit:
                self.add_error(
                    "body",
                    _(
                        "With the sample values this SMS needs %(segments)s parts; the limit is "
                        "%(limit)s (%(per)s characters each). Shorten the text."
                    )
                    % {
                        "segments": self.sms_length.segments,
                        "limit": limit,
                        "per": sms.PER_SEGMENT[self.sms_length.encoding]
                        if limit > 1
                        else sms.SINGLE[self.sms_length.encoding],
                    },
                )
        return data


class _Draft:
    """What the renderer needs of a template, from the form's data."""

    def __init__(self, channel, language, data):
        self.channel = channel
        self.language = language
        self.subject = data.get("subject", "")
        self.body = data.get("body", "")
        self.zns_template_id = data.get("zns_template_id", "")


def _strips_diacritics() -> bool:
    try:
        return get_adapter(Channel.SMS).strip_diacritics
    except LookupError:
        return bool(conf.get("SMS_STRIP_DIACRITICS"))


def _site_name() -> str:
    return settings.EGOV_SITE_NAME
