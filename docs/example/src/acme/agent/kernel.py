"""The life cycle of one session kernel on an agent."""

from __future__ import annotations

import enum


class State(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    TERMINATED = "terminated"


# Allowed transitions; anything else is a bug in the caller.
_NEXT = {
    State.PENDING: {State.RUNNING, State.TERMINATED},
    State.RUNNING: {State.TERMINATED},
    State.TERMINATED: set(),
}


class Kernel:
    def __init__(self, session: str) -> None:
        self.session = session
        self.state = State.PENDING

    def move_to(self, state: State) -> None:
        if state not in _NEXT[self.state]:
            raise ValueError(f"kernel {self.session}: cannot go from {self.state.value} to {state.value}")
        self.state = state
