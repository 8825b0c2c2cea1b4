"""API endpoints of the insights app's sharing half, under /api/v1/insights/ (joined in corridor.insights.api)."""

from __future__ import annotations

from ninja import Router

router = Router()
