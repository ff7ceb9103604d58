import json

import pytest

from acme.agent.agent import Agent
from acme.client.session import Session


def test_slots_default_to_configuration(defaults, endpoint):
    assert Agent("node-1", session=Session(endpoint)).slots == defaults["agent"]["slots"]


def test_start_and_stop_track_free_slots(endpoint):
    agent = Agent("node-1", slots=2, session=Session(endpoint))
    agent.start("s1")
    agent.start("s2")
    assert agent.free_slots == 0
    with pytest.raises(RuntimeError, match="no free slot"):
        agent.start("s3")
    agent.stop("s1")
    assert agent.free_slots == 1


def test_heartbeat_reports_free_slots(endpoint):
    agent = Agent("node-1", slots=3, session=Session(endpoint))
    agent.start("s1")
    request = agent.heartbeat()
    assert request.url.endswith("/agents/node-1/heartbeat")
    assert json.loads(request.body) == {"free_slots": 2}
