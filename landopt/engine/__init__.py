"""Stage 3, engine: solving a built model in explicit steps (`outline`), reading the answer back in
the scenario's terms (`readback`), explaining infeasibility (`diagnose`) and measuring exact
one-sided prices (`sensitivity`). The only stage that calls `solvers`."""
