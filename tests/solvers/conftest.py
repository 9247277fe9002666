"""Put this folder on sys.path so the test modules can import their shared helpers
(`reference_problems`, `backend_checks`) under pytest's importlib import mode."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
