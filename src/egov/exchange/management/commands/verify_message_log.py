"""Verifies the whole message log, or proves one exchange (--message <id>)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.exchange import messagelog
from egov.exchange.models import MessageRecord


class Command(BaseCommand):
    help = (
        "Checks every record of the exchange message log (hash chain, platform signature, "
        "kept bodies) and every RFC 3161 time-stamp; exits 1 on any altered or missing record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--message", help="the message id of one exchange to prove")
        parser.add_argument(
            "--skip-timestamps",
            action="store_true",
            help="check the chain and signatures only (no trust or revocation look-ups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["message"]:
            try:
                proof = messagelog.prove(options["message"])
            except (MessageRecord.DoesNotExist, ValueError) as exc:
                raise CommandError(f"no exchange with message id {options['message']}") from exc
            record = proof.record
            self.stdout.write(
                f"#{record.seq} {record.occurred_at.isoformat()} {record.client_code} → "
                f"{record.service_code} {record.method} {record.path} → {record.status}\n"
                f"  purpose: {record.purpose}\n  record hash: {record.record_hash}"
            )
            problems = proof.problems
            if proof.timestamp is None:
                self.stdout.write("  not time-stamped yet")
            else:
                self.stdout.write(
                    f"  time-stamped at {proof.timestamp.stamped_at.isoformat()} "
                    f"(token over record #{proof.timestamp.up_to_seq})"
                )
        else:
            problems = list(messagelog.verify(check_timestamps=not options["skip_timestamps"]))
        for problem in problems:
            self.stderr.write(f"record #{problem.seq}: {problem.reason}")
        if problems:
            raise CommandError(f"the message log is broken: {len(problems)} problem(s)")
        count = MessageRecord.objects.count()
        self.stdout.write(self.style.SUCCESS(f"message log intact: {count} record(s)"))
