"""Runs the local population registry (demo data) that the gateway forwards look-ups to."""

from egov.exchange.registries import population, serving

Command = serving.command(
    population, "national population database", "EGOV_POPULATION_REGISTRY_PORT"
)
