"""Installs the key that signs the message log: from a PKCS#12 file, or (development only)
issued by the development PKI."""

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.exchange import jws, messagelog
from egov.signatures.devpki import DevelopmentPKI


class Command(BaseCommand):
    help = "Installs the data sharing platform's signing key for the message log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pkcs12", help="a PKCS#12 file with the platform's key")
        parser.add_argument("--password", default="", help="the PKCS#12 file's password")
        parser.add_argument(
            "--dev", action="store_true", help="issue one from the development PKI (not production)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dev"]:
            if settings.PRODUCTION:
                raise CommandError("the development PKI is not for production")
            if not DevelopmentPKI.exists(settings.EGOV_DEV_PKI_DIR):
                raise CommandError("no development PKI: run manage.py create_dev_pki first")
            issued = DevelopmentPKI(settings.EGOV_DEV_PKI_DIR).issue(
                "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)",
                organization="LGSP",
                key_type="ec-p256",
            )
            certificate, key = issued.certificate, issued.key
        elif options["pkcs12"]:
            loaded_key, loaded_certificate, _chain = pkcs12.load_key_and_certificates(
                Path(options["pkcs12"]).read_bytes(), options["password"].encode() or None
            )
            if loaded_certificate is None or loaded_key is None:
                raise CommandError("the PKCS#12 file holds no key and certificate")
            certificate, key = loaded_certificate, loaded_key
        else:
            raise CommandError("give --pkcs12 FILE or --dev")
        if not isinstance(key, jws.PrivateKey):
            raise CommandError("the key must be RSA or ECDSA P-256")
        row = messagelog.install_platform_key(certificate, key)
        self.stdout.write(f"platform key installed: {row.fingerprint}")
