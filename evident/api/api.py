"""The JSON API, version 1 (django-ninja), mounted at /api/v1/.

Session authentication: a signed-in Evident user's browser session (no tokens yet).
The OpenAPI schema is at /api/v1/openapi.json; the Swagger page is off, because it loads
scripts from a CDN that the Content Security Policy and a closed network both forbid.
"""

from __future__ import annotations

from ninja import NinjaAPI

from evident.api import indicators
from evident.api.access import refuse_undeclared

api = NinjaAPI(
    title="Evident API",
    version="1",
    description="Read-only figures from Evident. Sign in to Evident first: the API uses your session.",
    urls_namespace="api",
    docs_url=None,
    auth=refuse_undeclared,
)
api.add_router("", indicators.router)
