"""Stage 1, input: a scenario file (or a dict) becomes a `landopt.model.spec.Spec`.

`reader` reads bytes safely into a located tree (every value with its file, line, column);
`compose` merges `extends`, variants and ``--set``; `slips` finds typing slips YAML would accept
as other values; `schema`/`validate` check shapes; `resolve` checks ids, units and bounds and
builds the spec. Every problem is an `landopt.errors.Issue`; nothing here imports a solver.
"""
