import pytest

from acme.manager.registry import Registry
from acme.manager.scheduler import NoCapacity, Scheduler, load_policy


def make_scheduler(**slots):
    registry = Registry()
    for name, count in slots.items():
        registry.register(name.replace("_", "-"), count)
    return Scheduler(registry)


def test_packaged_policy():
    assert load_policy() == {"strategy": "most-free-slots", "max_sessions_per_agent": 8}


def test_picks_agent_with_most_free_slots():
    scheduler = make_scheduler(node_a=1, node_b=3)
    assert scheduler.schedule("alice")["agent"] == "node-b"


def test_ties_go_to_smallest_id():
    scheduler = make_scheduler(node_b=2, node_a=2)
    assert scheduler.schedule("alice")["agent"] == "node-a"
    assert scheduler.schedule("alice")["agent"] == "node-b"


def test_dry_run_does_not_use_a_slot():
    scheduler = make_scheduler(node_a=1)
    first = scheduler.schedule("alice", dry_run=True)
    assert scheduler.schedule("alice") == first


def test_no_capacity():
    scheduler = make_scheduler(node_a=1)
    scheduler.schedule("alice")
    with pytest.raises(NoCapacity):
        scheduler.schedule("alice")
