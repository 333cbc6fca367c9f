"""The console of `make run` shows what a person needs (the demo sign-ins, the development
e-mails, requests, warnings), not the libraries narrating every PDF, font subset and CRL fetch."""

import logging

from weasyprint import HTML

from egov.core import fonts


def test_making_a_pdf_logs_nothing_at_info(caplog):
    caplog.set_level(logging.INFO)
    HTML(string="<p>Nguyễn Văn A</p>").write_pdf(**fonts.pdf_options())
    assert [r.name for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_library_loggers_keep_warnings_and_ours_keep_info():
    for name in (
        "weasyprint.progress",
        "fontTools.subset",
        "pyhanko.sign.signers.pdf_signer",
        "pyhanko_certvalidator.fetchers.aiohttp_fetchers.crl_client",
    ):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.WARNING)
    assert logging.getLogger("egov.notifications").isEnabledFor(logging.INFO)
    assert logging.getLogger("django.request").isEnabledFor(logging.INFO)
