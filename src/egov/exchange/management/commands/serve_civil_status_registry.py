"""Runs the local civil status database (demo data) that the gateway forwards look-ups to."""

from egov.exchange.registries import civil_status, serving

Command = serving.command(civil_status, "civil status database", "EGOV_CIVIL_STATUS_REGISTRY_PORT")
