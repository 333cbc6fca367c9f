import io

import pytest
from docx import Document

from egov.core import uploads
from tests.conftest import EICAR
from tests.dossiers.conftest import PDF

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.fixture
def scanning(settings, clamd_socket):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket


def test_clean_files_pass_and_report_their_real_type(scanning):
    assert uploads.check(PDF, accepted=["pdf", "jpg"]).extension == "pdf"
    assert uploads.check(PNG, accepted=["png"]).mime == "image/png"
    buffer = io.BytesIO()
    Document().save(buffer)
    assert uploads.check(buffer.getvalue(), accepted=["docx"]).extension == "docx"


def test_the_eicar_test_virus_is_refused(scanning):
    verdict = uploads.clamd_instream(EICAR)
    assert "Egov.Test.EICAR" in verdict and verdict.endswith("FOUND")
    with pytest.raises(uploads.UploadRejected, match="virus"):
        uploads.scan(EICAR)
    # Hidden inside an accepted type, it is still found.
    with pytest.raises(uploads.UploadRejected):
        uploads.check(PDF + EICAR, accepted=["pdf"])


def test_a_renamed_file_is_judged_by_its_content(scanning):
    with pytest.raises(uploads.UploadRejected) as info:
        uploads.check(b"MZ\x90\x00 this is an exe named giay-to.pdf", accepted=["pdf"])
    assert "pdf" in str(info.value)
    with pytest.raises(uploads.UploadRejected):
        uploads.check(PNG, accepted=["pdf"])


def test_size_and_empty_files(scanning):
    with pytest.raises(uploads.UploadRejected, match="MB"):
        uploads.check(PDF + b"0" * 2048, accepted=["pdf"], max_bytes=1024)
    with pytest.raises(uploads.UploadRejected):
        uploads.check(b"", accepted=["pdf"])


def test_an_unreachable_scanner_refuses_rather_than_accepts(settings, tmp_path):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(uploads.UploadRejected):
        uploads.check(PDF, accepted=["pdf"])


def test_big_files_stream_in_chunks(scanning):
    assert uploads.clamd_instream(PDF + b"\0" * (3 * uploads.CHUNK + 17)) == "stream: OK"
