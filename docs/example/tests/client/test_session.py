import json

import pytest

from acme.client.session import Session
from acme.common.identifiers import InvalidIdentifier


def test_endpoint_defaults_to_configuration(defaults):
    assert Session().endpoint == defaults["manager"]["endpoint"]


def test_build_joins_paths_and_sorts_query(endpoint):
    request = Session(endpoint).build("get", "/sessions", query={"b": "2", "a": "1"})
    assert request.method == "GET"
    assert request.url == "http://manager.test:8081/sessions?a=1&b=2"
    assert request.body is None


def test_token_is_sent_as_bearer(endpoint):
    request = Session(endpoint, token="t0k").build("GET", "sessions")
    assert request.headers["Authorization"] == "Bearer t0k"


def test_heartbeat_request(endpoint):
    request = Session(endpoint).heartbeat("node-1", 3)
    assert request.url == "http://manager.test:8081/agents/node-1/heartbeat"
    assert json.loads(request.body) == {"free_slots": 3}
    assert request.headers["Content-Type"] == "application/json"


def test_heartbeat_validates_agent_id(endpoint):
    with pytest.raises(InvalidIdentifier):
        Session(endpoint).heartbeat("Node 1", 3)
