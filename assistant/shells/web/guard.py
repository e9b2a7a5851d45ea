"""The web server's gate: who a request is, which sessions are still live, and which files a user may download.

``Gate.middleware`` is an ASGI middleware in front of every Gradio route:

* sign-in (``POST /login``): the address is handed to the throttled password check (``Gate.auth``: slowed down,
  then locked, per account and per address), and the new session is registered so it can expire;
* every request carrying a session cookie: a session that is too old, idle too long, of a removed account or from
  before a password change is dropped from Gradio's tokens, so the request counts as signed out;
* ``/gradio_api/file=...`` and every other file route: only files the app handed to this very user
  (``Gate.offer``) are served, everything else is 404 (no traversal, no other user's export, no upload of theirs);
* a Gradio session (``session_hash``) belongs to the user who first used it: another user's events on it, or its
  result stream, are refused (its server-side state holds that user's audit and links);
* ``Set-Cookie``: always HttpOnly, ``SameSite=Lax`` on the plain-HTTP cookie, and over TLS ``Secure`` with the
  plain-HTTP cookie not set at all.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote

from assistant import LoginLockedError, Principal, Team

FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/file/", "/file=", "/file/", "/gradio_api/proxy=", "/proxy=",
               "/gradio_api/stream/")
SESSION_ROUTES = ("/gradio_api/queue/join", "/gradio_api/queue/data", "/gradio_api/heartbeat/", "/gradio_api/cancel")
MAX_EVENT_BODY = 4 * 1024 * 1024  # an event's JSON (a question, a file reference); uploads go to /upload, not here
ACCOUNT_TTL_S = 2.0
_address: contextvars.ContextVar[str] = contextvars.ContextVar("sign_in_address", default="")


class LoginRefused(Exception):
    """Raised out of the login route as a 429 (the account or address is locked)."""


class Gate:
    def __init__(self, team: Team, *, open_access: bool):
        self.team = team
        self.open_access = open_access  # no accounts: a single local user (loopback, or --insecure-no-auth)
        self._files: dict[str, set[str]] = {}
        self._session_owner: dict[str, str] = {}
        self._accounts: dict[str, tuple[float, float | None]] = {}
        self._lock = threading.Lock()

    # -- who is asking ---------------------------------------------------------
    def principal(self, username: str | None) -> Principal | None:
        """The principal of a request's signed-in user (the local operator when the app runs without accounts)."""
        if self.open_access:
            return Principal.local_operator("local")
        return self.team.principal(username)

    def user_key(self, username: str | None) -> str:
        return "local" if self.open_access else (username or "").lower()

    # -- sign-in ---------------------------------------------------------------
    async def auth(self, username: str, password: str) -> bool:
        """Gradio's ``auth`` callable: wait out the throttle, then check the password off the event loop."""
        from fastapi import HTTPException

        address = _address.get()
        try:
            delay = self.team.login_delay(username, address)
        except LoginLockedError as error:
            raise HTTPException(status_code=429, detail=str(error), headers={"Retry-After": str(int(error.retry_after) + 1)}) from None
        if delay:
            await asyncio.sleep(delay)
        account = await asyncio.to_thread(self.team.verify_login, username, password, address)
        return account is not None

    def _account_changed(self, user: str) -> float | None:
        """When the account last changed (``None``: removed), cached for ``ACCOUNT_TTL_S``."""
        now = time.monotonic()
        with self._lock:
            cached = self._accounts.get(user.lower())
        if cached is None or now - cached[0] > ACCOUNT_TTL_S:
            account = self.team.accounts.get(user)
            cached = (now, account.changed if account else None)
            with self._lock:
                self._accounts[user.lower()] = cached
        return cached[1]

    # -- downloads -------------------------------------------------------------
    def offer(self, path: str | Path, username: str | None) -> str:
        """Register a file the app hands to this user for download; returns it as a string for the component."""
        resolved = str(Path(path).resolve())
        with self._lock:
            self._files.setdefault(resolved, set()).add(self.user_key(username))
        return resolved

    def may_download(self, path: str, username: str | None) -> bool:
        try:
            resolved = str(Path(unquote(path)).resolve())
        except (OSError, ValueError):
            return False
        with self._lock:
            return self.user_key(username) in self._files.get(resolved, set())

    # -- the middleware --------------------------------------------------------
    def middleware(self, app: Callable) -> Callable:
        """Wrap the ASGI ``app`` (Starlette's ``Middleware(gate.middleware)`` passes it by this name)."""
        gate = self

        async def guarded(scope: dict, receive: Callable, send: Callable) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)
            asgi_app = scope.get("app")
            path: str = scope.get("path", "")
            tls = scope.get("scheme") == "https"
            user = gate._live_user(asgi_app, scope)
            route = next((r for r in FILE_ROUTES if path.startswith(r)), None)
            if route is not None:
                target = path[len(route):]
                if not (user or gate.open_access) or "file" not in route or not gate.may_download(target, user):
                    return await _reply(send, 404, b'{"detail":"Not found"}')
            if path.startswith(SESSION_ROUTES) and (user or gate.open_access):
                body, receive = await _buffer(receive) if scope.get("method") == "POST" else (b"", receive)
                if len(body) > MAX_EVENT_BODY:
                    return await _reply(send, 413, b'{"detail":"Request too large"}')
                session = _session_hash(scope, body, path)
                if session and not gate._bind(session, gate.user_key(user)):
                    return await _reply(send, 403, b'{"detail":"This session belongs to another user"}')
            login = path.rstrip("/") == "/login" and scope.get("method") == "POST"
            if login:
                client = scope.get("client") or ("", 0)
                _address.set(str(client[0]))

            async def sending(message: dict) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = gate._cookies(message.get("headers", []), tls, asgi_app if login else None)
                await send(message)

            await app(scope, receive, sending)

        return guarded

    def _live_user(self, asgi_app: Any, scope: dict) -> str | None:
        """The signed-in user of a request whose session is live; an expired session is dropped from Gradio's tokens."""
        tokens = getattr(asgi_app, "tokens", None)
        if tokens is None:
            return None
        token = _session_token(scope, getattr(asgi_app, "cookie_id", ""))
        user = tokens.get(token) if token else None
        if user is None:
            return None
        if self.team.sessions.check(token, self._account_changed(user)) is None:
            tokens.pop(token, None)
            return None
        return user

    def _bind(self, session: str, user: str) -> bool:
        with self._lock:
            return self._session_owner.setdefault(session, user) == user

    def _cookies(self, headers: list, tls: bool, login_app: Any) -> list:
        """HttpOnly always; over TLS only the Secure cookie; registers the session a sign-in just issued."""
        kept = []
        for name, value in headers:
            if name.lower() != b"set-cookie":
                kept.append((name, value))
                continue
            text = value.decode("latin-1")
            cookie, _, _ = text.partition(";")
            key, _, token = cookie.partition("=")
            if login_app is not None and key.startswith("access-token-") and token:
                user = getattr(login_app, "tokens", {}).get(token)
                if user and self.team.sessions.user_of(token) is None:
                    self.team.sessions.issue(token, user)
            if tls and key.startswith("access-token-unsecure-"):
                continue
            attributes = {part.strip().split("=")[0].lower() for part in text.split(";")[1:]}
            if "httponly" not in attributes:
                text += "; HttpOnly"
            if tls and "secure" not in attributes:
                text += "; Secure"
            if "samesite" not in attributes:
                text += "; SameSite=Lax"
            kept.append((name, text.encode("latin-1")))
        return kept


def _session_token(scope: dict, cookie_id: str) -> str | None:
    cookies: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                cookies[key] = val
    return cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")


def _session_hash(scope: dict, body: bytes, path: str) -> str:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("session_hash"):
        return query["session_hash"][0]
    if path.startswith("/gradio_api/heartbeat/"):
        return path.rsplit("/", 1)[-1]
    if body[:1] == b"{":
        try:
            return str(json.loads(body).get("session_hash") or "")
        except (ValueError, AttributeError):
            return ""
    return ""


async def _buffer(receive: Callable) -> tuple[bytes, Callable]:
    """Read the whole request body, and a ``receive`` that plays it again to the app."""
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _reply(send: Callable, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json"),
                                                                             (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
