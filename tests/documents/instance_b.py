"""Platform instance B for the two-instance test: its own database, its own agency (a department
of another province), driven by the test one command at a time:

    python tests/documents/instance_b.py setup CERT.p12 PASSWORD | work | register | show

Settings come from the environment (DATABASE_URL, MEDIA_ROOT, EGOV_DOCUMENTS_EXCHANGE_*, …), as
for any installation; the output is one line of JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django

django.setup()

from egov.accounts import services as accounts  # noqa: E402
from egov.accounts.models import Role, User  # noqa: E402
from egov.documents import exchange, incoming, services  # noqa: E402
from egov.documents.models import OfficialDocument  # noqa: E402
from egov.organizations import services as organizations  # noqa: E402
from egov.organizations.models import Agency  # noqa: E402

CODE, NAME = "000.00.10.H62", "Sở Y tế tỉnh Vĩnh Long"


def setup(p12: str, password: str) -> dict:
    from egov.signatures import services as signatures

    agency = organizations.save_agency(Agency(code=CODE, name=NAME, kind="so"), actor=None)
    clerk = accounts.create_user(
        actor=None,
        username="vanthu.vl",
        password=None,
        kind=User.Kind.STAFF,
        agency=agency,
        full_name="Văn thư Vĩnh Long",
    )
    accounts.grant_role(actor=None, user=clerk, role=Role.CLERK, agency=agency)
    services.save_profile(agency, actor=None, abbreviation="SYT", place_name="Vĩnh Long")
    services.ensure_registers(agency)
    signatures.import_pkcs12(Path(p12).read_bytes(), password, actor=None, agency=agency)
    return {"agency": agency.pk}


def work() -> dict:
    return {"sent": exchange.send_due(), "received": exchange.poll()}


def register() -> dict:
    clerk = User.objects.get(username="vanthu.vl")
    done = []
    for document in OfficialDocument.objects.filter(state="arrived"):
        incoming.register(document, actor=clerk)
        done.append(document.pk)
    return {"registered": done}


def show() -> dict:
    return {
        "documents": [
            {
                "reference": d.reference,
                "subject": d.subject,
                "state": d.state,
                "number": d.number,
                "channel": d.channel,
                "sender": d.sender_code,
                "files": [f.name for f in d.files.all()],
            }
            for d in OfficialDocument.objects.order_by("id")
        ]
    }


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    result = {"setup": setup, "work": work, "register": register, "show": show}[command](*arguments)
    print(json.dumps(result, ensure_ascii=False, default=str))
