"""Builds (and optionally sends) requests to the manager's HTTP API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional
from urllib.parse import urlencode, urljoin

from acme.common import config
from acme.common.identifiers import agent_id

try:  # Sending needs `requests`; building requests does not.
    import requests
except ImportError:  # pragma: no cover - depends on the environment
    requests = None


@dataclass(frozen=True)
class Request:
    """An HTTP request, ready to send. `body` is JSON text or None."""

    method: str
    url: str
    headers: Dict[str, str] = field(default_factory=dict)
    body: Optional[str] = None


class Session:
    """A connection to one manager."""

    def __init__(self, endpoint: Optional[str] = None, token: str = "") -> None:
        self.endpoint = endpoint or config.load()["manager"]["endpoint"]
        self.token = token

    def build(
        self,
        method: str,
        path: str,
        payload: Optional[Dict[str, Any]] = None,
        query: Optional[Dict[str, str]] = None,
    ) -> Request:
        url = urljoin(self.endpoint.rstrip("/") + "/", path.lstrip("/"))
        if query:
            url += "?" + urlencode(sorted(query.items()))
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = None
        if payload is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(payload, sort_keys=True)
        return Request(method.upper(), url, headers, body)

    def heartbeat(self, agent: str, free_slots: int) -> Request:
        """The request an agent sends to report that it is alive."""
        return self.build(
            "POST", f"/agents/{agent_id(agent)}/heartbeat", {"free_slots": free_slots}
        )

    def send(self, request: Request) -> Dict[str, Any]:
        if requests is None:
            raise RuntimeError("sending requests needs the `requests` package")
        response = requests.request(
            request.method, request.url, headers=request.headers, data=request.body, timeout=10
        )
        response.raise_for_status()
        return response.json()
