"""One browser's worth of HTTP to a running app server, for the evals that drive the web app as its users would
(``access_matrix``, ``load``): a cookie jar signed in through ``/login``, the app's own description (``/config``),
uploads, and events run through ``queue/join`` and the SSE stream of ``queue/data`` as the page runs them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class EventResult:
    """What the page receives for one event: completed without error, the last output values, the error message,
    every message received (raw, for the evals that look for text in them), and the seconds from sending it until
    it started running (waiting in the app's queue) and until it completed."""

    ok: bool
    data: list = field(default_factory=list)
    error: str = ""
    received: list[str] = field(default_factory=list)
    queued_s: float | None = None
    elapsed_s: float | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.received)


class Caller:
    """One browser's worth of HTTP: a cookie jar (signed in or not) and its Gradio sessions."""

    def __init__(self, base: str, user: str | None, password: str = "", timeout: float = 120):
        self.user = user
        self.http = httpx.Client(base_url=base, timeout=timeout, follow_redirects=False)
        if user:
            r = self.http.post("/login", data={"username": user, "password": password})
            if r.status_code != 200:
                raise RuntimeError(f"{user} could not sign in: {r.status_code} {r.text[:200]}")

    def close(self) -> None:
        self.http.close()

    def config(self) -> "AppConfig":
        """The page's description of the app (what the browser reads after sign-in)."""
        r = self.http.get("/config")
        r.raise_for_status()
        return AppConfig(r.json())

    def upload(self, content: bytes, name: str, mime: str = "text/plain") -> dict | None:
        r = self.http.post("/gradio_api/upload", files={"files": (name, content, mime)})
        if r.status_code != 200:
            return None
        path = r.json()[0]
        return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}

    def run(self, fn_index: int, data: list, session: str, event_data: Any = None, trigger_id: int | None = None,
            seen: dict[int, list] | None = None, outputs: list[int] = ()) -> EventResult:
        """Run one event through queue/join and its SSE stream, until it completes (queue waiting included).

        ``seen`` collects the choices the session's components were given (what a browser would offer next)."""
        body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": event_data, "trigger_id": trigger_id}
        sent = time.perf_counter()
        r = self.http.post("/gradio_api/queue/join", json=body)
        if r.status_code != 200:
            return EventResult(False, error=f"HTTP {r.status_code}: {r.text[:300]}", received=[r.text])
        event_id = r.json().get("event_id")
        result = EventResult(False, received=[r.text])
        with self.http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
            if stream.status_code != 200:
                text = stream.read().decode("utf-8", "replace")
                return EventResult(False, error=f"HTTP {stream.status_code}: {text[:300]}", received=[*result.received, text])
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                result.received.append(line)
                message = json.loads(line[5:])
                if message.get("event_id") not in (None, event_id):
                    continue
                if message.get("msg") == "process_starts":
                    result.queued_s = time.perf_counter() - sent
                if message.get("msg") in ("process_completed", "process_generating") and seen is not None:
                    for cid, value in zip(outputs, (message.get("output") or {}).get("data") or []):
                        if isinstance(value, dict) and isinstance(value.get("choices"), list):
                            seen[cid] = [c[1] if isinstance(c, (list, tuple)) else c for c in value["choices"]]
                if message.get("msg") == "process_completed":
                    output = message.get("output") or {}
                    result.ok = bool(message.get("success")) and not output.get("error")
                    result.data = output.get("data") or []
                    result.error = "" if result.ok else str(output.get("error") or output.get("title") or "failed")
                    result.elapsed_s = time.perf_counter() - sent
                    break
                if message.get("msg") in ("close_stream", "unexpected_error"):
                    result.error = str(message.get("message") or message.get("msg"))
                    break
            else:
                result.error = result.error or "the stream ended before the event completed"
        return result

    def event(self, fn_index: int, data: list, session: str, event_data: Any = None, trigger_id: int | None = None,
              seen: dict[int, list] | None = None, outputs: list[int] = ()) -> tuple[bool, str]:
        """``run``, as (completed without error, everything received)."""
        result = self.run(fn_index, data, session, event_data, trigger_id, seen, outputs)
        return result.ok, result.text

    def call(self, api_name: str, data: list) -> tuple[bool, str]:
        """The same event through the named-endpoint route ``/gradio_api/call/<api_name>`` (POST, then its stream)."""
        r = self.http.post(f"/gradio_api/call/{api_name}", json={"data": data})
        if r.status_code != 200:
            return False, r.text
        event_id = r.json().get("event_id")
        with self.http.stream("GET", f"/gradio_api/call/{api_name}/{event_id}") as stream:
            text = "".join(stream.iter_text())
        return "event: complete" in text, r.text + text

    def get(self, path: str, seconds: float = 4.0, method: str = "GET") -> tuple[int, str]:
        """GET (or POST ``{}`` to) a route, reading at most 2 MB or ``seconds`` of it (some routes are endless event
        streams)."""
        body, deadline = b"", time.monotonic() + seconds
        extra = {"json": {}} if method == "POST" else {}
        try:
            with self.http.stream(method, path, timeout=seconds, **extra) as r:
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > 2_000_000 or time.monotonic() > deadline:
                        break
                return r.status_code, body.decode("utf-8", "replace")
        except httpx.HTTPError as error:
            return (0, str(error)) if not body else (200, body.decode("utf-8", "replace"))


class AppConfig:
    """The app as ``/config`` describes it: events by API name, components by ``elem_id``, and the inputs an event
    takes filled from values named by ``elem_id`` (server-side state is sent empty, as the page sends it)."""

    def __init__(self, config: dict):
        self.raw = config
        self.components = {c["id"]: c for c in config["components"]}
        self.events = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name") and d.get("backend_fn")}
        self._by_elem = {c.get("props", {}).get("elem_id"): cid for cid, c in self.components.items() if c.get("props", {}).get("elem_id")}

    def event(self, api_name: str) -> dict:
        if api_name not in self.events:
            raise KeyError(f"the app describes no event {api_name!r} (it has {sorted(self.events)})")
        return self.events[api_name]

    def component(self, elem_id: str) -> int:
        return self._by_elem[elem_id]

    def inputs(self, api_name: str, values: dict[str, Any]) -> list:
        """The event's input values in its order; a KeyError names an input the caller gave no value for."""
        data = []
        for cid in self.event(api_name)["inputs"]:
            comp = self.components.get(cid, {})
            elem = comp.get("props", {}).get("elem_id")
            if comp.get("type") == "state":
                data.append(None)
            elif elem in values:
                data.append(values[elem])
            elif comp.get("type") in values:
                data.append(values[comp["type"]])
            else:
                raise KeyError(f"no value for input {elem or comp.get('type')!r} of {api_name!r}")
        return data

    def output(self, api_name: str, data: list, elem_id: str) -> Any:
        """The value an event's output component (by ``elem_id``, or type for one without) was given."""
        for cid, value in zip(self.event(api_name)["outputs"], data):
            comp = self.components.get(cid, {})
            if elem_id in (comp.get("props", {}).get("elem_id"), comp.get("type")):
                return value
        raise KeyError(f"{api_name!r} has no output {elem_id!r}")
