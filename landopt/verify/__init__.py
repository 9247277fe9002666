"""Stage 4, verify: the independent checker (`independent`, plain Python over the spec, after every
solve), `expect` blocks (`expectations`) and the regression runner behind `landopt check`
(`regression`)."""
