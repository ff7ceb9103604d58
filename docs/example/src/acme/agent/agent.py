"""An agent: owns a number of slots and the kernels running in them."""

from __future__ import annotations

from typing import Dict, Optional

from acme.agent.kernel import Kernel, State
from acme.client.session import Request, Session
from acme.common import config
from acme.common.identifiers import agent_id


class Agent:
    def __init__(self, name: str, slots: Optional[int] = None, session: Optional[Session] = None):
        self.id = agent_id(name)
        self.slots = slots if slots is not None else config.load()["agent"]["slots"]
        self.session = session or Session()
        self.kernels: Dict[str, Kernel] = {}

    @property
    def free_slots(self) -> int:
        running = sum(1 for k in self.kernels.values() if k.state is not State.TERMINATED)
        return self.slots - running

    def start(self, session_id: str) -> Kernel:
        if self.free_slots <= 0:
            raise RuntimeError(f"agent {self.id} has no free slot")
        kernel = Kernel(session_id)
        kernel.move_to(State.RUNNING)
        self.kernels[session_id] = kernel
        return kernel

    def stop(self, session_id: str) -> None:
        self.kernels[session_id].move_to(State.TERMINATED)

    def heartbeat(self) -> Request:
        return self.session.heartbeat(self.id, self.free_slots)
