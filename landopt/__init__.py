"""landopt: allocate new land, energy and emission quota across a development zone's areas.

Public API (imports are lazy so that ``landopt --help`` stays light)::

    import landopt
    sc = landopt.load("scenarios/format_example.yaml", variants=(), sets=())
    res = sc.solve(solver="auto")
    res.status, res.objective, res.allocation, res.resources, res.rules
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from landopt.scenario import Scenario, from_dict, load


def __getattr__(name: str) -> Any:
    if name in ("load", "from_dict", "Scenario", "builtin_scenarios"):
        from landopt import scenario  # lazy: `import landopt` stays light; the API loads on first use

        return getattr(scenario, name)
    if name in ("InputError", "LandoptError", "SolveError", "CheckerError"):
        from landopt import errors  # lazy: `import landopt` stays light; the API loads on first use

        return getattr(errors, name)
    raise AttributeError(f"module 'landopt' has no attribute {name!r}")


__all__ = ["load", "from_dict", "Scenario", "builtin_scenarios", "InputError", "LandoptError", "SolveError", "CheckerError", "__version__"]
