"""The JSON API, version 1 (django-ninja), mounted at /api/v1/.

Council staff use their signed-in browser session; partner organisations' systems use a
token each (``Authorization: Bearer <token>``, ``/api/v1/partner/``), never a session.
The OpenAPI schema is at /api/v1/openapi.json; the Swagger page is off, because it loads
scripts from a CDN that the Content Security Policy and a closed network both forbid.
"""

from __future__ import annotations

from ninja import NinjaAPI

from evident.api import indicators, partner
from evident.api.access import refuse_undeclared

api = NinjaAPI(
    title="Evident API",
    version="1",
    description=(
        "Figures from Evident for council staff (sign in first: the API uses your session), "
        "and notices from partner organisations' systems (send your token: "
        "Authorization: Bearer <token>)."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=refuse_undeclared,
)
api.add_router("", indicators.router)
api.add_router("", partner.router)
