"""Places sessions on agents according to the packaged policy."""

from __future__ import annotations

import json
import pkgutil
from typing import Any, Dict, Optional

from acme.common.identifiers import session_id
from acme.manager.registry import AgentInfo, Registry


def load_policy() -> Dict[str, Any]:
    """The policy shipped next to this module (default_policy.json)."""
    data = pkgutil.get_data("acme.manager", "default_policy.json")
    assert data is not None, "default_policy.json is missing from the package"
    return json.loads(data)


class NoCapacity(RuntimeError):
    """No agent can take another session."""


class Scheduler:
    def __init__(self, registry: Registry, policy: Optional[Dict[str, Any]] = None) -> None:
        self.registry = registry
        self.policy = policy or load_policy()
        self._sequence = 0

    def pick(self) -> AgentInfo:
        """The agent with the most free slots; ties go to the smallest id."""
        limit = self.policy["max_sessions_per_agent"]
        candidates = [a for a in self.registry.agents() if a.free > 0 and a.used < limit]
        if not candidates:
            raise NoCapacity("no agent has a free slot")
        return min(candidates, key=lambda a: (-a.free, a.id))

    def schedule(self, owner: str, dry_run: bool = False) -> Dict[str, str]:
        agent = self.pick()
        sid = session_id(owner, self._sequence)
        if not dry_run:
            agent.used += 1
            self._sequence += 1
        return {"session": sid, "agent": agent.id}
