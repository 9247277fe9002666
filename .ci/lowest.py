"""Write a pip constraints file pinning every dependency of pyproject.toml (and the test extras) to
the lowest version its range admits, so that CI runs the suite at both ends of every range.

Usage: python .ci/lowest.py > constraints.txt    (then: pip install -c constraints.txt ".[test]")
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def lowest(requirement: str) -> str | None:
    """'numpy>=2.0.2' -> 'numpy==2.0.2'; None for a requirement without a lower bound."""
    name = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    bound = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", requirement)
    if name is None or bound is None:
        return None
    return f"{name.group(0)}=={bound.group(1)}"


def main() -> int:
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = list(project["dependencies"]) + list(project.get("optional-dependencies", {}).get("test", []))
    missing = [r for r in reqs if lowest(r) is None]
    if missing:
        print(f"error: no lower bound on {', '.join(missing)}: declare one (>=)", file=sys.stderr)
        return 1
    print("\n".join(lowest(r) for r in reqs))  # type: ignore[misc]
    return 0


if __name__ == "__main__":
    sys.exit(main())
