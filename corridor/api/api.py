"""The single NinjaAPI instance of Corridor, mounted at /api/v1/; every app's router is registered here.

To add endpoints for an app, write ``corridor/<app>/api.py`` with ``router = Router(tags=[...])``
and add one ``api.add_router("/", ...)`` line below (see docs/api.md, "Adding an endpoint").
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from corridor.api.auth import corridor_auth
from corridor.api.errors import document_rate_limits, install_error_handlers
from corridor.api.tokens import router as auth_router
from corridor.brokers.api import router as brokers_router
from corridor.insights.api import router as insights_router
from corridor.labs.api import router as labs_router
from corridor.lists.api import router as lists_router
from corridor.market.api import router as market_router
from corridor.matching.api import router as matching_router
from corridor.orgs.api import router as orgs_router
from corridor.regions.api import router as regions_router
from corridor.transfer.api import router as transfer_router


class CorridorAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also lists the 429 answer the rate limits give on every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_rate_limits(schema)
        return schema


api = CorridorAPI(
    title="Corridor API",
    version="1",
    description=(
        "JSON API of Corridor, the collaborative innovation market of the Shanghai–Nanjing industrial "
        "innovation belt. Send `Authorization: Bearer <token>` (from `POST /api/v1/auth/token`) or use "
        "the browser session. Errors are always `{\"detail\", \"code\", \"fields\"}`. "
        "Answers are in Chinese by default; send `Accept-Language: en` for English."
    ),
    urls_namespace="api",
    auth=corridor_auth,
    # Swagger UI from ninja's own static files ("ninja" is in INSTALLED_APPS): no CDN is contacted.
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/auth", auth_router)
api.add_router("/", regions_router)
api.add_router("/", orgs_router)
api.add_router("/", lists_router)
api.add_router("/", market_router)
api.add_router("/", brokers_router)
api.add_router("/", matching_router)
api.add_router("/", labs_router)
api.add_router("/", transfer_router)
api.add_router("/insights", insights_router)
