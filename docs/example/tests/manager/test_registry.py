import pytest

from acme.manager.registry import Registry


def test_agents_are_listed_in_id_order():
    registry = Registry()
    registry.register("node-b", 2)
    registry.register("node-a", 1)
    assert [a.id for a in registry.agents()] == ["node-a", "node-b"]


def test_free_slots():
    registry = Registry()
    info = registry.register("node-a", 3)
    info.used = 1
    assert registry.get("node-a").free == 2


def test_agent_needs_a_slot():
    with pytest.raises(ValueError, match="at least one slot"):
        Registry().register("node-a", 0)
