"""Every demo procedure can be carried from submission to return by the demo accounts alone.

The demo is loaded as `make run` loads it (``load_demo``, then ``create_dev_pki --demo``); the demo
citizen submits one dossier per procedure (online, or at the counter where the procedure is not
offered online) with answers made from its e-form schema, and then only the demo staff act: the
desk receives, the deciding agency's leader assigns, the specialist processes and drafts the
result, the approver reviews, the leader signs the result with their own certificate and
approves, the desk returns it. Each actor must find the dossier in their own work queue, as the
back office lists it.
"""

import io
import socket

import pytest
from django.core.management import call_command

from egov.accounts import scoping
from egov.accounts.models import Role, User
from egov.catalog.models import Level, WorkflowStep
from egov.catalog.search import current_versions
from egov.demo.management.commands.load_demo import DEMO_COMMUNE, DEMO_STAFF
from egov.dossiers import counter, processing, reception, services
from egov.dossiers.models import Dossier
from egov.organizations.models import AdministrativeUnit
from egov.payments import services as payments
from egov.payments.models import Payment
from egov.signatures.devpki import DevelopmentPKI
from tests.dossiers.conftest import PDF
from tests.signatures.fixtures import serve

Action = WorkflowStep.Action
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
# Accounts that act everywhere are not "demo staff of an agency": leave them out.
EVERYWHERE = {Role.SYSTEM_ADMIN, Role.AUDITOR}


def answers_for(schema: dict) -> dict:
    """Valid answers for every field of an e-form schema."""
    answers = {}
    for name, spec in schema["properties"].items():
        kind = spec.get("type")
        if "enum" in spec:
            answers[name] = spec["enum"][0]
        elif spec.get("format") == "date":
            answers[name] = "2026-01-05"
        elif kind in {"integer", "number"}:
            answers[name] = max(spec.get("minimum", 0), 1)
        elif kind == "boolean":
            answers[name] = True
        else:
            answers[name] = "Nguyễn Văn An"[: spec.get("maxLength", 200)]
    return answers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo(settings, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    directory, url = tmp_path / "pki", f"http://127.0.0.1:{_free_port()}"
    settings.EGOV_DEV_PKI_DIR = directory
    settings.EGOV_DEV_PKI_URL = url
    call_command("create_dev_pki", "--dir", str(directory), "--url", url, "--demo", stdout=None)
    settings.EGOV_SIGNATURE_TRUST_DEV_PKI = True
    settings.EGOV_SIGNATURE_TRUST_ROOTS = []
    settings.EGOV_SIGNATURE_INTERMEDIATES = []
    settings.EGOV_TSA_URL = DevelopmentPKI(directory).tsa_url
    settings.EGOV_MALWARE_SCANNER = "none"
    with serve(directory, url):
        yield


class Walk:
    def __init__(self):
        names = [row[0] for row in DEMO_STAFF if not EVERYWHERE & set(_roles(row[3]))]
        self.staff = list(User.objects.filter(username__in=names).order_by("username"))
        self.citizen = User.objects.get(username="congdan")
        self.commune = AdministrativeUnit.objects.get(
            name=DEMO_COMMUNE, parent__code="92", level=AdministrativeUnit.Level.COMMUNE
        )

    def who(self, role: str, agency, dossier: Dossier) -> User:
        """The demo official holding ``role`` in ``agency``, who sees the dossier waiting."""
        for user in self.staff:
            if scoping.has_role(user, role, agency):
                if role == Role.DESK_OFFICER and dossier.status == Dossier.Status.SUBMITTED:
                    assert reception.at_desk(user).filter(pk=dossier.pk).exists()
                else:
                    assert processing.work_queue(user).filter(pk=dossier.pk).exists(), user
                return user
        raise AssertionError(f"no demo {role} in {agency}")

    def submit(self, version) -> Dossier:
        agency = services.receiving_agency_for(version, self.commune)
        answers = answers_for(version.form_schema)
        if not version.offered_online:
            desk = next(u for u in self.staff if scoping.has_role(u, Role.DESK_OFFICER, agency))
            scans = [
                counter.Scan(r.pk, "giay-to.pdf", _paper(r))
                for r in version.requirements.filter(mandatory=True)
            ]
            person = counter.Applicant(
                full_name=str(self.citizen), citizen_id=self.citizen.citizen_id
            )
            return counter.intake(
                officer=desk,
                desk_agency=agency,
                version=version,
                applicant=person,
                answers=answers,
                scans=scans,
            )
        dossier = services.start(
            applicant=self.citizen, version=version, agency=agency, answers=answers
        )
        for requirement in services.papers_to_attach(dossier):
            services.attach(
                dossier,
                applicant=self.citizen,
                requirement_id=requirement.pk,
                name="giay-to.pdf",
                data=_paper(requirement),
            )
        return services.submit(dossier, applicant=self.citizen)

    def receive(self, dossier: Dossier) -> Dossier:
        if dossier.status != Dossier.Status.SUBMITTED:
            return dossier  # taken at the counter: received at once
        desk = self.who(Role.DESK_OFFICER, dossier.receiving_agency, dossier)
        owed = payments.amount_owed(dossier) if dossier.procedure_version.payment_first else 0
        if owed:
            payments.record_counter_payment(
                dossier, officer=desk, method=Payment.Method.CASH, amount=owed
            )
        return reception.receive(dossier, officer=desk)

    def carry(self, dossier: Dossier) -> list[str]:
        """Acts on each step until the result is returned; the steps done, by whom."""
        done = []
        signed = False
        while dossier.status != Dossier.Status.RETURNED:
            dossier.refresh_from_db()
            step, agency = dossier.current_step, dossier.current_agency
            actor = self.who(dossier.current_role, agency, dossier)
            done.append(f"{step.action}:{actor.username}")
            if step.action == Action.RETURN:
                dossier = processing.return_result(dossier, actor=actor)
                continue
            if step.action == Action.PROCESS and dossier.assignee_id is None:
                head = next(u for u in self.staff if processing.may_assign(u, dossier))
                dossier = processing.assign(dossier, actor=head, assignee=actor)
                done.append(f"assign:{head.username}")
            if step.action == Action.PROCESS:
                # The draft is uploaded rather than generated: the walk stays fast.
                processing.attach_result(dossier, actor=actor, name="du-thao.pdf", data=PDF)
            if step.action in {Action.APPROVE, Action.SIGN}:
                certificates = processing.result_certificates(actor, dossier)
                assert certificates, f"{actor} has no certificate of {agency}"
                processing.attach_result(
                    dossier, actor=actor, name="ket-qua.pdf", data=PDF, certificate=certificates[0]
                )
                signed = True
            dossier = processing.advance(dossier, actor=actor)
        assert signed, "the result was never signed"
        return done


def _roles(roles) -> tuple:
    return roles if isinstance(roles, tuple) else (roles,)


def _paper(requirement) -> bytes:
    return PDF if "pdf" in requirement.accepted_types else PNG


@pytest.mark.django_db(transaction=False)
def test_every_demo_procedure_goes_from_submission_to_return_with_the_demo_accounts(demo):
    walk = Walk()
    versions = list(current_versions().select_related("procedure").order_by("procedure__code"))
    assert len(versions) == 34
    failures = {}
    returned = 0
    for version in versions:
        try:
            dossier = walk.receive(walk.submit(version))
            walk.carry(dossier)
        except Exception as exc:  # every procedure is reported, not the first
            failures[version.procedure.code] = f"{type(exc).__name__}: {exc}"
            continue
        dossier.refresh_from_db()
        assert dossier.status == Dossier.Status.RETURNED
        returned += 1
    assert failures == {}
    assert returned == 34
    assert {v.level for v in versions} == {Level.COMMUNE, Level.PROVINCE}

    # The ward's service centre has its own desk officer, who receives a procedure on the
    # boundary-free list for another commune (Nghị định 118/2025/NĐ-CP).
    from egov.demo.management.commands.load_demo import WARD_CENTRE, demo_agency
    from egov.dossiers import counter

    centre = demo_agency(WARD_CENTRE)
    officer = User.objects.get(username="tiepnhan.ninhkieu")
    assert scoping.has_role(officer, Role.DESK_OFFICER, centre)
    listed = [v for v in versions if v.boundary_free and v.level == Level.COMMUNE]
    assert listed
    competent = counter.competent_agencies(centre, listed[0])
    assert competent.exclude(unit__name=DEMO_COMMUNE).exists()
