"""Exploring a scenario by many solves: `sweep` (a grid or a sample of `--set` values, each point solved and
summarised, the manifest and the per-point files of `landopt sweep --out DIR`). Its grid, point ids, the run of
one point, the executors and the progress line are shared with the other exploring commands."""
