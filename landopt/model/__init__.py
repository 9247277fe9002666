"""Stage 2, model: the resolved scenario (`spec`), quantities and units (`units`), the rule kinds
(`rules`), and the solver-neutral LP built from them (`build`). Reads no files, runs no solver."""
