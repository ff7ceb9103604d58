import pytest

from acme.agent.kernel import Kernel, State


def test_life_cycle():
    kernel = Kernel("s1")
    assert kernel.state is State.PENDING
    kernel.move_to(State.RUNNING)
    kernel.move_to(State.TERMINATED)
    assert kernel.state is State.TERMINATED


def test_terminated_kernel_cannot_restart():
    kernel = Kernel("s1")
    kernel.move_to(State.TERMINATED)
    with pytest.raises(ValueError, match="cannot go from terminated to running"):
        kernel.move_to(State.RUNNING)
