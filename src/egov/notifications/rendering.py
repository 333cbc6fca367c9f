"""Rendering of administrator-written templates (Django template syntax, plain text).

The engine has no template loaders, no include/extends/load/debug tags and no libraries to load,
so a template can only format the values it is given: it cannot read files or the platform.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode
from django.template.defaulttags import ForNode, IfNode, WithNode
from django.utils import translation
from django.utils.translation import gettext as _

from egov.notifications import sms
from egov.notifications.events import EventType


class TextEngine(Engine):
    default_builtins = ["egov.notifications.text_library"]


ENGINE = TextEngine(loaders=[], autoescape=False, string_if_invalid="")
_PARAM_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s?(.*)$")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Rendered:
    subject: str = ""
    body: str = ""
    data: dict = field(default_factory=dict)  # Zalo: template_data for the ZNS template


def compile_template(source: str):
    try:
        return ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(_("The template cannot be read: %(error)s") % {"error": exc}) from exc


def used_variables(source: str) -> set[str]:
    """Top-level names a template reads (loop variables excluded)."""
    template = compile_template(source)
    names: set[str] = set()
    bound = {"forloop"}
    for loop in template.nodelist.get_nodes_by_type(ForNode):
        bound.update(loop.loopvars)
        names.update(_names(loop.sequence))
    for node in template.nodelist.get_nodes_by_type(WithNode):
        bound.update(node.extra_context)
        for expression in node.extra_context.values():
            names.update(_names(expression))
    for node in template.nodelist.get_nodes_by_type(IfNode):
        for condition, _nodelist in node.conditions_nodelists:
            names.update(_condition_names(condition))
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        names.update(_names(node.filter_expression))
    return names - bound


def _names(expression) -> set[str]:
    variable = getattr(expression, "var", None)
    lookups = getattr(variable, "lookups", None)
    return {lookups[0]} if lookups else set()


def _condition_names(condition) -> set[str]:
    """Names in an {% if %} condition: a literal, or an operator over one or two operands."""
    if condition is None:
        return set()
    if getattr(condition, "value", None) is not None:
        return _names(condition.value)
    return _condition_names(condition.first) | _condition_names(condition.second)


# Every template may also use these.
COMMON_VARIABLES = {"site_name"}


def check_variables(source: str, event: EventType) -> None:
    known = set(event.variables) | COMMON_VARIABLES
    unknown = sorted(used_variables(source) - known)
    if unknown:
        raise ValidationError(
            _("Unknown variable(s): %(unknown)s. This event provides: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))}
        )


def render_text(source: str, context: dict, language: str) -> str:
    template = compile_template(source)
    with translation.override(language):
        text = template.render(Context(context, autoescape=False))
    return _BLANK_LINES.sub("\n\n", text).strip()


def parse_params(source: str) -> list[tuple[str, str]]:
    """Zalo bodies hold one 'parameter: value template' per line."""
    params = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        match = _PARAM_LINE.match(line)
        if not match:
            raise ValidationError(
                _("Line %(number)s must read “parameter_name: value”.") % {"number": number}
            )
        params.append((match.group(1), match.group(2)))
    if not params:
        raise ValidationError(_("List at least one ZNS parameter, one per line."))
    return params


def render(
    template, context: dict, language: str, *, strip_diacritics: bool, max_segments: int
) -> Rendered:
    """Renders a NotificationTemplate (or any object with channel/subject/body) for sending."""
    if template.channel == "zalo":
        data = {
            name: render_text(value, context, language)
            for name, value in parse_params(template.body)
        }
        body = "\n".join(f"{name}: {value}" for name, value in data.items())
        return Rendered(
            body=body, data={"template_id": template.zns_template_id, "template_data": data}
        )
    body = render_text(template.body, context, language)
    if template.channel == "sms":
        if strip_diacritics:
            body = sms.strip_diacritics(body)
        body = sms.fit(" ".join(body.split()), max_segments)
        return Rendered(body=body)
    subject = " ".join(render_text(template.subject, context, language).split())
    return Rendered(subject=subject[:250], body=body)
