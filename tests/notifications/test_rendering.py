"""Administrator-written templates can format values, nothing more."""

import pytest
from django.core.exceptions import ValidationError

from egov.notifications import events, rendering


def test_the_engine_cannot_reach_files_or_load_libraries():
    for source in ['{% include "base.html" %}', "{% load static %}", '{% extends "base.html" %}']:
        with pytest.raises(ValidationError):
            rendering.render_text(source, {}, "vi")


def test_unknown_variables_are_named_wherever_they_are_used():
    source = (
        "{% if deadline and not ghi_chu %}{{ dossier_code }}{% endif %}"
        "{% for item in items %}{{ item }}{{ forloop.counter }}{% endfor %}{{ site_name }}"
    )
    with pytest.raises(ValidationError, match="ghi_chu"):
        rendering.check_variables(source, events.SUPPLEMENT_REQUESTED)
    rendering.check_variables(source.replace("ghi_chu", "note"), events.SUPPLEMENT_REQUESTED)


def test_dates_and_money_follow_the_template_not_the_language():
    context = {**events.PAYMENT_DUE.sample}
    source = '{{ amount|vnd }} · {{ due_date|date:"d/m/Y" }}'
    assert rendering.render_text(source, context, "vi") == "1.500.000 đ · 20/01/2026"
    assert rendering.render_text(source, context, "en") == "1.500.000 đ · 20/01/2026"


def test_zalo_parameters_are_one_per_line():
    assert rendering.parse_params("a: {{ x }}\n\n b_2 :y") == [("a", "{{ x }}"), ("b_2", "y")]
    with pytest.raises(ValidationError, match="Dòng 2"):
        rendering.parse_params("a: 1\nno colon here")
