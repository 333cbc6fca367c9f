"""Signatures per second (PAdES B-B, B-T, B-LT with RSA 2048 and ECDSA P-256) and validations
per second, through the platform's services, against the development PKI's responders (CRL,
OCSP, RFC 3161 time-stamps) on localhost. Prints a table; writes var/bench/signatures.json.

    .venv/bin/python bench/signatures.py [--count 20]
"""

import argparse
import json
import multiprocessing
import os
import platform
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="operations per measurement")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="egov-bench-"))
    from egov.signatures.devpki import DevelopmentPKI

    # The responders run in their own process, as a CA's would run on its own servers.
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    responders = multiprocessing.Process(target=_serve, args=(scratch / "pki", port), daemon=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="egov.settings",
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        EGOV_DEV_PKI_DIR=str(scratch / "pki"),
        EGOV_DEV_PKI_URL=url,
        LOG_LEVEL="WARNING",
    )
    (scratch / "pki").mkdir()
    responders.start()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.signatures.fixtures import make_pdf

    from egov.organizations import services as organizations
    from egov.organizations.models import Agency
    from egov.signatures import services
    from egov.signatures.seal import draw_seal
    from egov.signatures.verification import verify_pdf

    pki = DevelopmentPKI.create(scratch / "pki", url)
    agency = organizations.save_agency(
        Agency(code="000.00.03.H13", name="Sở Tư pháp thành phố Cần Thơ", kind="so"), actor=None
    )
    pdf = make_pdf(2)
    rows = []
    signed = {}
    certificates = {}
    for key_type, label in (("rsa2048", "RSA 2048"), ("ec-p256", "ECDSA P-256")):
        issued = pki.issue(agency.name, organization=agency.name, key_type=key_type)
        certificate = services.import_pkcs12(
            issued.pkcs12("bench"),
            "bench",
            actor=None,
            agency=agency,
            seal_png=draw_seal(agency.name),
        )
        certificates[label] = certificate.pk
        for level in ("B-B", "B-T", "B-LT"):
            services.sign_pdf(pdf, signer_certificate=certificate, actor=None, level=level)
            meter = Meter(responders.pid)
            for _ in range(args.count):
                result = services.sign_pdf(
                    pdf, signer_certificate=certificate, actor=None, level=level
                )
            signed[(label, level)] = result.data
            rows.append(("sign", level, label, args.count, *meter.stop()))
    # Two processes at once (the machine's two cores), as two web or worker processes would.
    from django.db import connections

    connections.close_all()
    for label, certificate_pk in certificates.items():
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_sign_many, [(certificate_pk, "B-T", 1)] * 2)  # warm up both workers
            meter = Meter(responders.pid)
            pool.map(_sign_many, [(certificate_pk, "B-T", args.count)] * 2)
            elapsed, _cpu, ca_cpu = meter.stop()
            rows.append(("sign ×2", "B-T", label, 2 * args.count, elapsed, None, ca_cpu))
    for (label, level), data in signed.items():
        if level == "B-B":
            continue
        assert verify_pdf(data).valid
        meter = Meter(responders.pid)
        for _ in range(args.count):
            verify_pdf(data)
        rows.append(("validate", level, label, args.count, *meter.stop()))

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Signatures and validations ({machine}); 'sign ×2': two processes at once")
    print("CPU ms: per operation, in the signing process and in the CA's responders")
    header = ("operation", "level", "key", "count", "per s", "ms each", "CPU ms", "CA CPU")
    print("{:<9} {:<5} {:<12} {:>5} {:>6} {:>7} {:>6} {:>6}".format(*header))
    results = []
    for operation, level, label, count, elapsed, cpu, ca_cpu in rows:
        rate = count / elapsed
        own = f"{1000 * cpu / count:.0f}" if cpu is not None else "—"
        print(
            f"{operation:<9} {level:<5} {label:<12} {count:>5} {rate:>6.1f} {1000 / rate:>7.0f}"
            f" {own:>6} {1000 * ca_cpu / count:>6.0f}"
        )
        results.append(
            {
                "operation": operation,
                "level": level,
                "key": label,
                "count": count,
                "seconds": round(elapsed, 3),
                "per_second": round(rate, 2),
                "cpu_ms_each": round(1000 * cpu / count, 1) if cpu is not None else None,
                "ca_cpu_ms_each": round(1000 * ca_cpu / count, 1),
            }
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "signatures.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )
    responders.terminate()


class Meter:
    """Wall time, this process's CPU time and the responders' CPU time, from now to stop()."""

    def __init__(self, responder_pid: int):
        self.pid = responder_pid
        self.wall, self.cpu, self.ca = time.perf_counter(), time.process_time(), self._ca()

    def _ca(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> tuple[float, float, float]:
        return (
            time.perf_counter() - self.wall,
            time.process_time() - self.cpu,
            self._ca() - self.ca,
        )


def _sign_many(job) -> None:
    from django.db import connections
    from tests.signatures.fixtures import make_pdf

    from egov.signatures import services
    from egov.signatures.models import SigningCertificate

    certificate_pk, level, count = job
    connections.close_all()
    certificate = SigningCertificate.objects.get(pk=certificate_pk)
    pdf = make_pdf(2)
    for _ in range(count):
        services.sign_pdf(pdf, signer_certificate=certificate, actor=None, level=level)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(directory: Path, port: int) -> None:
    from egov.signatures.devpki import http_server

    http_server(directory, "127.0.0.1", port).serve_forever()


if __name__ == "__main__":
    main()
