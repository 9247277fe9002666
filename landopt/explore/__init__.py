"""Exploring a scenario beyond its one optimal plan: each module solves the built model many times and
returns plans in the scenario's terms (see docs/architecture.md)."""
