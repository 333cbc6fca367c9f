from tests.dossiers.conftest import draft, record_version  # noqa: F401 - fixtures shared here
