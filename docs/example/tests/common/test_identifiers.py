import pytest

from acme.common.identifiers import InvalidIdentifier, agent_id, session_id


@pytest.mark.parametrize("name", ["a1", "gpu-node-7", "x" * 63])
def test_valid_agent_ids(name):
    assert agent_id(name) == name


@pytest.mark.parametrize("name", ["", "a", "Node1", "1node", "node_1", "x" * 64])
def test_invalid_agent_ids(name):
    with pytest.raises(InvalidIdentifier):
        agent_id(name)


def test_session_ids_are_stable_and_distinct():
    assert session_id("alice", 0) == session_id("alice", 0)
    assert session_id("alice", 0) != session_id("alice", 1)
    assert session_id("alice", 0).startswith("sess-")
    assert len(session_id("bob", 7)) == len("sess-") + 12
