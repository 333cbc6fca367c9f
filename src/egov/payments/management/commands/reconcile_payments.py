import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.payments import reconciliation


class Command(BaseCommand):
    help = (
        "Imports a gateway's daily statement (CSV, columns in docs/payments.md) and lists what "
        "differs from the payments recorded here; exits with status 1 when something differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--day", required=True, type=datetime.date.fromisoformat)
        parser.add_argument("--gateway", default="vnpay")

    def handle(self, *args, file: Path, day, gateway, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        statement, report = reconciliation.import_statement(
            data, day=day, actor=None, filename=file.name, gateway=gateway
        )
        if statement is None:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError("nothing was imported")
        found = reconciliation.mismatches(statement)
        for mismatch in found:
            self.stdout.write(f"{mismatch.reference}\t{mismatch.kind}\t{mismatch.detail}")
        self.stdout.write(f"{statement.lines.count()} lines, {len(found)} mismatches")
        if found:
            raise SystemExit(1)
