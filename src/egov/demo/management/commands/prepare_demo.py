import hashlib
import json
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from egov.accounts.models import User
from egov.demo import registries as demo_registries
from egov.demo.management.commands.load_demo import DEMO_STAFF
from egov.signatures.devpki import DevelopmentPKI
from egov.signatures.management.commands import create_dev_pki

SRC = Path(__file__).resolve().parents[4]  # src/
# What load_demo reads: the demo package and the reference data of the city's units.
DEMO_INPUTS = [
    SRC / "egov" / "demo",
    SRC / "egov" / "organizations" / "data",
    SRC / "egov" / "organizations" / "reference.py",
]


def demo_inputs_digest() -> str:
    digest = hashlib.sha256()
    for root in DEMO_INPUTS:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(SRC)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "What `make run` needs before it starts, each step only when its inputs changed: "
        "migrations not yet applied, the demo city (load_demo) when the demo's sources, the "
        "database or the schema changed, and the development PKI with its demo certificates "
        "(create_dev_pki --if-missing --demo). A restart with nothing changed does no work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload", action="store_true", help="run load_demo even when nothing changed"
        )

    def handle(self, *args, **options):
        migrated = self._migrate()
        stamp_path = Path(settings.VAR_DIR) / "demo-loaded.json"
        stamp = {
            "database": self._database_identity(),
            "inputs": demo_inputs_digest(),
        }
        saved = self._read(stamp_path)
        demo_present = User.objects.filter(username=DEMO_STAFF[0][0]).exists()
        if (
            options["reload"]
            or migrated
            or not demo_present
            or {k: saved.get(k) for k in stamp} != stamp
        ):
            output = StringIO()
            call_command("load_demo", stdout=output)
            stamp["output"] = output.getvalue()
            stamp_path.parent.mkdir(parents=True, exist_ok=True)
            stamp_path.write_text(json.dumps(stamp, ensure_ascii=False, indent=1))
            self.stdout.write(stamp["output"], ending="")
        else:
            self.stdout.write("Demo data already loaded (unchanged since); as loaded:")
            self.stdout.write(saved.get("output", ""), ending="")
        call_command("create_dev_pki", if_missing=True, demo=True, stdout=self.stdout)
        self._registries()

    def _registries(self):
        """The shared registries' local servers on the data sharing platform (egov.demo.registries),
        with the development PKI's responders answering while the one-stop client is checked."""
        pki = DevelopmentPKI(settings.EGOV_DEV_PKI_DIR)
        with create_dev_pki.responders(pki, settings.EGOV_DEV_PKI_URL.rstrip("/")):
            demo_registries.publish(pki, out=self.stdout)

    def _migrate(self) -> bool:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            self.stdout.write("Database schema up to date.")
            return False
        self.stdout.write(f"Applying {len(plan)} migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        return True

    @staticmethod
    def _database_identity() -> str:
        db = settings.DATABASES[DEFAULT_DB_ALIAS]
        return f"{db['ENGINE']} {db.get('HOST', '')}:{db.get('PORT', '')} {db['NAME']}"

    @staticmethod
    def _read(path: Path) -> dict:
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}
