"""The insights app's API router: every figure under /api/v1/insights/…

Joins the analytics half (``api_analytics``) and the agreements half (``api_sharing``).
"""

from __future__ import annotations

from ninja import Router

from corridor.insights.api_analytics import router as analytics_router
from corridor.insights.api_sharing import router as sharing_router

router = Router(tags=["insights"])
router.add_router("/", analytics_router)
router.add_router("/", sharing_router)
