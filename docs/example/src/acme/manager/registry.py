"""The set of agents known to the manager and their free capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List

from acme.common.identifiers import agent_id


@dataclass
class AgentInfo:
    """One agent. Invariant: 0 <= used <= slots."""

    id: str
    slots: int
    used: int = 0

    @property
    def free(self) -> int:
        return self.slots - self.used


class Registry:
    def __init__(self) -> None:
        self._agents: Dict[str, AgentInfo] = {}

    def register(self, name: str, slots: int) -> AgentInfo:
        if slots <= 0:
            raise ValueError(f"agent {name!r} must have at least one slot")
        info = AgentInfo(agent_id(name), slots)
        self._agents[info.id] = info
        return info

    def get(self, name: str) -> AgentInfo:
        return self._agents[name]

    def agents(self) -> List[AgentInfo]:
        """All agents, sorted by id so that callers see a stable order."""
        return [self._agents[k] for k in sorted(self._agents)]
