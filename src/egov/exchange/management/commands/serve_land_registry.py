"""Runs the local land database (demo data) that the gateway forwards look-ups to."""

from egov.exchange.registries import land, serving

Command = serving.command(land, "land database", "EGOV_LAND_REGISTRY_PORT")
