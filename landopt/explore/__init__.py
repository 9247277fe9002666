"""Exploring a scenario beyond its one optimal plan, by many solves: `sweep` (a grid or a sample of `--set` values,
each point solved and summarised, the manifest and the per-point files of `landopt sweep --out DIR`), `pareto` (the
AUGMECON2 front of two or three objectives) and `alternatives` (plans within a slack of the optimum that put the land
elsewhere). Each returns plans in the scenario's terms (see docs/architecture.md).
"""
