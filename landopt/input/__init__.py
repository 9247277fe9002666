"""Stage 1, input: a scenario file (or a dict) becomes a `landopt.model.spec.Spec`.

`reader` reads bytes safely into a located tree (every value with its file, line, column) and names
what the YAML parser refuses in landopt's own words; `compose` merges `extends`, variants and
``--set``; `slips` finds typing slips YAML would accept as other values; `validate` walks the data once
along `schema`'s tables, reporting each problem where it is and skipping the wrong item; `resolve`
checks ids, units and bounds on what the walk read and builds the spec. Every problem is an
`landopt.errors.Issue`; nothing here imports a solver.
"""
