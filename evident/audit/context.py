"""Who is asking, from where: set once per request, read by every audit write."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    session_hash: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "evident_request_context", default=None
)


def current() -> RequestContext:
    """The request's context, or one for work outside a request (commands, tasks)."""
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=f"local-{uuid.uuid4()}", ip=None)
    return ctx


def set_current(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
