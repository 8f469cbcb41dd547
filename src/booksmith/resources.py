"""Where the bundled layouts and fonts live (the repository's top-level folders)."""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    return Path(os.environ.get("BOOKSMITH_HOME", _PROJECT_ROOT))


def layouts_dir() -> Path:
    return project_root() / "layouts"


def fonts_dir() -> Path:
    return project_root() / "fonts"
