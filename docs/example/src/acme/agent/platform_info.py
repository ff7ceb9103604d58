"""The platform this copy of the agent was built for.

Each acme-agent wheel holds the resource file of one platform only (chosen by
braid.plugins.platform_resources); a source checkout has all of them, and the
first known one is used.
"""

from __future__ import annotations

import json
from importlib import resources

PLATFORMS = ("linux_x86_64", "linux_arm64", "macos_x86_64", "macos_arm64")


def native_info() -> dict:
    """The platform resource: {"platform": ..., "library": ...}."""
    base = resources.files("acme.agent") / "platforms"
    for name in PLATFORMS:
        entry = base / f"{name}.json"
        if entry.is_file():
            return json.loads(entry.read_text())
    raise RuntimeError("acme.agent holds no platform resource file")
