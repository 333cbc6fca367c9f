"""Runs the local business registration database (demo data) that the gateway forwards to."""

from egov.exchange.registries import business, serving

Command = serving.command(business, "business registration database", 8793)
