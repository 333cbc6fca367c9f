"""Papers the state already holds: at submission, with the citizen's consent, the portal asks
the national population database (through the data sharing platform's gateway, so the look-up
is signed and logged) for the applicant's identity and residence, fills the e-form with them
and marks the papers the catalogue says come from that registry as taken from it. A registry
that cannot answer leaves the dossier as it was and the paper to be uploaded instead."""

import uuid

import httpx
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import DocumentRequirement
from egov.core import audit
from egov.dossiers.models import Dossier, RegistryExtract
from egov.exchange.registries import population

# E-form field → what the registry answers. Only fields the procedure's form has are filled.
FIELDS = {
    "ho_ten": "full_name",
    "ho_va_ten": "full_name",
    "so_dinh_danh": "personal_id",
    "so_dinh_danh_ca_nhan": "personal_id",
    "so_cccd": "personal_id",
    "gioi_tinh": "sex",
    "quoc_tich": "nationality",
    "que_quan": "hometown",
    "noi_thuong_tru": "permanent_residence",
    "dia_chi_thuong_tru": "permanent_residence",
}
# As in egov.portal.prefill: a date of birth is the applicant's only where the form asks for the
# applicant's own name too.
WITH_OWN_NAME = {"ngay_sinh": "date_of_birth"}


def configured() -> bool:
    """Whether the one-stop system may ask the registry at all (else the box is not offered)."""
    return bool(getattr(settings, "EGOV_POPULATION_REGISTRY", None))


def population_registry() -> population.PopulationRegistry | None:
    """The one-stop system's client of the registry, from EGOV_POPULATION_REGISTRY (None when
    not configured: then nothing is asked and the papers are uploaded)."""
    conf = getattr(settings, "EGOV_POPULATION_REGISTRY", None)
    if not conf:
        return None
    with open(conf["key_file"], "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    return population.PopulationRegistry(
        http=httpx.Client(base_url=conf["gateway_url"], timeout=conf.get("timeout", 10)),
        service_code=conf["service"],
        client_code=conf["client"],
        fingerprint=conf["fingerprint"],
        key=key,  # type: ignore[arg-type]
    )


def population_papers(dossier: Dossier) -> list[DocumentRequirement]:
    return list(
        dossier.procedure_version.requirements.filter(
            registry=DocumentRequirement.Registry.POPULATION
        )
    )


def latest(dossier: Dossier) -> dict[int, RegistryExtract]:
    """The newest extract of each paper."""
    newest: dict[int, RegistryExtract] = {}
    for extract in dossier.registry_extracts.all():
        newest.setdefault(extract.requirement_id, extract)
    return newest


def answers_from(person: population.Person, schema: dict) -> dict[str, str]:
    fields = schema.get("properties", {})
    mapping = dict(FIELDS)
    if "ho_ten" in fields:
        mapping.update(WITH_OWN_NAME)
    return {
        field: getattr(person, attribute) for field, attribute in mapping.items() if field in fields
    }


def take_from_population(dossier: Dossier, *, applicant, consent: bool) -> str:
    """Asks the registry about the applicant; returns the outcome (RegistryExtract.Outcome).
    Raises ValidationError for what the citizen must fix first."""
    if not consent:
        raise ValidationError(
            _("Tick the box to agree that the population database is asked about you.")
        )
    if not dossier.is_draft:
        raise ValidationError(_("This dossier was already submitted and cannot be changed."))
    papers = population_papers(dossier)
    if not papers:
        raise ValidationError(_("No paper of this procedure comes from the population database."))
    personal_id = (applicant.citizen_id or "").strip()
    if not personal_id:
        raise ValidationError(_("Add your personal identification number to your details first."))
    consent_ref = f"DY-{uuid.uuid4().hex[:16]}"
    registry = population_registry()
    person: population.Person | None = None
    outcome = RegistryExtract.Outcome.UNAVAILABLE
    if registry is not None:
        # The network call stays outside the transaction: a slow registry holds no lock.
        try:
            person = registry.lookup(personal_id, consent=consent_ref)
        except population.RegistryUnavailable:
            person = None
        else:
            outcome = RegistryExtract.Outcome.TAKEN if person else RegistryExtract.Outcome.NOT_FOUND
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
        if not locked.is_draft:
            raise ValidationError(_("This dossier was already submitted and cannot be changed."))
        data = {}
        if person is not None:
            data = answers_from(person, locked.procedure_version.form_schema)
            locked.form_data = {**locked.form_data, **data}
            locked.revision += 1
            locked.save(update_fields=["form_data", "revision", "updated_at"])
        now = timezone.now()
        for paper in papers:
            RegistryExtract.objects.create(
                dossier=locked,
                requirement=paper,
                registry=paper.registry,
                outcome=outcome,
                data=data,
                consent_ref=consent_ref,
                message_id=person.message_id if person else "",
                asked_at=now,
            )
        audit.record(
            actor=applicant,
            action="dossiers.registry_asked",
            obj=locked,
            agency_id=locked.receiving_agency_id,
            after={
                "registry": DocumentRequirement.Registry.POPULATION,
                "outcome": outcome,
                "consent": consent_ref,
                "message_id": person.message_id if person else "",
                "fields": sorted(data),
            },
        )
    return outcome
