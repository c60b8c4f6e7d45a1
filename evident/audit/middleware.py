from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from evident.audit import context
from evident.audit.services import AuditWriteError

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Gives every request an id (or keeps a safe one from the proxy) and remembers the
    client address for the audit trail; answers 503 with no data if auditing fails."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        session_key = request.COOKIES.get("sessionid", "")
        token = context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip=request.META.get("REMOTE_ADDR") or None,
                session_hash=hashlib.sha256(session_key.encode()).hexdigest()[:16]
                if session_key
                else "",
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AuditWriteError):
            html = render_to_string("503.html", request=request)
            return HttpResponse(html, status=503)
        return None
