"""Accent- and case-insensitive procedure search, the same on SQLite and PostgreSQL.

Each version keeps ``search_text``: its code, name, field and results, accent-free, lower-case
and padded with spaces, so a query word matches the start of a word (" khai" finds "khai sinh"
but "an" does not find "thanh"). Ranking: exact code, then exact name, name starting with the
query, the phrase in the name, every word in the name, then matches elsewhere; shorter names first.
"""

import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from egov.catalog.models import Level, ProcedureVersion
from egov.core.text import normalize_search_text
from egov.organizations.models import Agency


def current_versions(day: datetime.date | None = None) -> QuerySet[ProcedureVersion]:
    """The version of each procedure in force on ``day``: the newest published by then."""
    day = day or timezone.localdate()
    published = ProcedureVersion.objects.filter(
        status=ProcedureVersion.Status.PUBLISHED, effective_from__lte=day
    )
    newer = published.filter(procedure=OuterRef("procedure"), number__gt=OuterRef("number"))
    return published.exclude(Exists(newer))


def search(
    query: str = "",
    *,
    field: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online_mode: str | None = None,
    day: datetime.date | None = None,
) -> QuerySet[ProcedureVersion]:
    # Lists need only the summary; the long texts and the e-form stay in the database.
    versions = (
        current_versions(day)
        .select_related("procedure", "field")
        .defer(
            "search_text",
            "name_sort",
            "legal_bases",
            "results",
            "steps",
            "form_schema",
            "form_ui",
            "change_note",
        )
    )
    if field:
        versions = versions.filter(field__code=field)
    if level:
        versions = versions.filter(level=level)
    if online_mode:
        versions = versions.filter(online_mode=online_mode)
    if agency:
        versions = versions.filter(_agency_condition(agency)).distinct()
    phrase = normalize_search_text(query)
    if not phrase:
        return versions.order_by("name_sort", "id")
    words = phrase.split()
    for word in words:
        versions = versions.filter(search_text__contains=f" {word}")
    all_in_name = Q()
    for word in words:
        all_in_name &= Q(name_search__contains=word)
    rank = Case(
        When(procedure__code=query.strip(), then=Value(100)),
        When(name_search=phrase, then=Value(50)),
        When(name_search__startswith=phrase, then=Value(40)),
        When(name_search__contains=phrase, then=Value(30)),
        When(all_in_name, then=Value(20)),
        default=Value(10),
        output_field=IntegerField(),
    )
    return versions.annotate(rank=rank).order_by("-rank", Length("name"), "name_sort", "id")


def _agency_condition(code: str) -> Q:
    condition = Q(deciding_agency__code=code) | Q(receiving_agencies__code=code)
    agency = Agency.objects.filter(code=code).select_related("unit").first()
    if (
        agency
        and agency.kind == Agency.Kind.PEOPLES_COMMITTEE
        and agency.unit
        and (agency.unit.level == agency.unit.Level.COMMUNE)
    ):
        # Commune-level procedures are decided by whichever commune the dossier is filed in.
        condition |= Q(level=Level.COMMUNE, deciding_agency__isnull=True)
    return condition


def search_text_for(version: ProcedureVersion) -> str:
    parts = [version.procedure.code, version.name, version.field.name, version.results]
    return f" {normalize_search_text(' '.join(parts))} "
