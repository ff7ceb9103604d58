"""Validated identifiers for agents and sessions."""

from __future__ import annotations

import hashlib
import re

_AGENT_ID = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


class InvalidIdentifier(ValueError):
    """Raised when a string is not a valid identifier."""


def agent_id(name: str) -> str:
    """Returns `name` if it is a valid agent id: lower-case letters, digits and
    dashes, starting with a letter, 2 to 63 characters."""
    if not _AGENT_ID.match(name):
        raise InvalidIdentifier(f"invalid agent id: {name!r}")
    return name


def session_id(owner: str, sequence: int) -> str:
    """A stable session id derived from its owner and a sequence number."""
    if sequence < 0:
        raise InvalidIdentifier(f"negative sequence number: {sequence}")
    digest = hashlib.sha256(f"{owner}/{sequence}".encode()).hexdigest()
    return f"sess-{digest[:12]}"
