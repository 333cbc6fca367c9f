from tests.signatures.fixtures import (  # noqa: F401 - fixtures shared with the browser tests
    agency_issued,
    dev_pki,
    foreign_pki,
    import_agency_certificate,
    pki_settings,
)
