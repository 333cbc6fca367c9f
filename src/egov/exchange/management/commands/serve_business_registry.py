"""Runs the local business registration database (demo data) that the gateway forwards to."""

from egov.exchange.registries import business, serving

Command = serving.command(business, "business registration database", "EGOV_BUSINESS_REGISTRY_PORT")
