"""Layered configuration: packaged defaults overridden by user settings."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict

try:  # YAML configuration files are optional.
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None


def load_defaults() -> Dict[str, Any]:
    """The defaults shipped inside the package (data/defaults.json)."""
    text = resources.files("acme.common").joinpath("data/defaults.json").read_text("utf-8")
    return json.loads(text)


def parse(text: str, fmt: str = "json") -> Dict[str, Any]:
    """Parses a configuration document in `fmt` ("json" or "yaml")."""
    if fmt == "json":
        value = json.loads(text)
    elif fmt == "yaml":
        if yaml is None:
            raise RuntimeError("YAML configuration needs PyYAML (pip install pyyaml)")
        value = yaml.safe_load(text)
    else:
        raise ValueError(f"unknown configuration format: {fmt!r}")
    if not isinstance(value, dict):
        raise ValueError("a configuration document must be a mapping")
    return value


def merge(base: Dict[str, Any], override: Dict[str, Any]) -> Dict[str, Any]:
    """Deep-merges `override` into a copy of `base`; nested mappings merge,
    everything else is replaced."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def load(overrides: Dict[str, Any] | None = None) -> Dict[str, Any]:
    """The effective configuration: defaults merged with `overrides`."""
    return merge(load_defaults(), overrides or {})
