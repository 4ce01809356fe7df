"""HTTP+JSON client of the reference binaries' control API (docs/control-api.md)."""
from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Callable

from .process import stopping


class ControlError(Exception):
    def __init__(self, method: str, path: str, status: int, body: str):
        super().__init__(f"{method} {path} -> {status}: {body[:300]}")
        self.status = status
        self.body = body


class ControlClient:
    def __init__(self, host: str, port: int, token: str, timeout_s: float = 10.0):
        self.host, self.port, self.token, self.timeout_s = host, int(port), token, timeout_s

    def call(self, method: str, path: str, body=None, query: dict | None = None, timeout_s: float | None = None):
        if query:
            path = path + "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout_s or self.timeout_s)
        try:
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
            data = None
            if body is not None:
                data = json.dumps(body).encode("utf-8")
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        if resp.status >= 400:
            raise ControlError(method, path, resp.status, text)
        return json.loads(text) if text.strip() else None

    def get(self, path: str, **query):
        return self.call("GET", path, query=query or None)

    def post(self, path: str, body=None):
        return self.call("POST", path, body if body is not None else {})

    def put(self, path: str, body):
        return self.call("PUT", path, body)

    def delete(self, path: str):
        return self.call("DELETE", path)

    def events(self, after: int = 0, wait_ms: int = 0, kind: str | None = None) -> tuple[list[dict], int]:
        doc = self.call(
            "GET", "/v1/events", query={"after": after, "wait_ms": int(wait_ms), "kind": kind},
            timeout_s=self.timeout_s + wait_ms / 1000.0,
        )
        doc = doc or {}
        return list(doc.get("events", [])), int(doc.get("next", after))


class EventCursor:
    """Follows one peer's event stream by long-poll; waits on predicates with a deadline."""

    def __init__(self, fetch: Callable[[int, int, str | None], tuple[list[dict], int]]):
        self._fetch = fetch
        self.seen: list[dict] = []
        self.next = 0

    def poll(self, wait_ms: int = 0) -> list[dict]:
        events, nxt = self._fetch(self.next, wait_ms, None)
        self.next = max(self.next, nxt)
        self.seen.extend(events)
        return events

    def wait_for(self, predicate: Callable[[dict], bool], timeout_s: float, count: int = 1) -> list[dict]:
        """Events matching `predicate` once at least `count` are seen, or what there is at the deadline."""
        deadline = time.monotonic() + timeout_s
        while True:
            hits = [e for e in self.seen if predicate(e)]
            remaining = deadline - time.monotonic()
            if len(hits) >= count or remaining <= 0 or stopping():
                return hits
            self.poll(wait_ms=int(min(remaining, 2.0) * 1000))


def wait_until(predicate: Callable[[], bool], timeout_s: float, wake: Callable[[float], None]) -> bool:
    """Re-test `predicate` each time `wake` returns (a long-poll on an event stream) until the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        if predicate():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0 or stopping():  # an interrupted run does not wait out its deadlines
            return False
        wake(min(remaining, 2.0))
