"""Web views of the innovation market. Only the permission-checked attachment download so far."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from corridor.core.permissions import VIEW
from corridor.market.models import Bid, BidAttachment


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Bid documents live outside the web root; only people who may see the bid get them, always as a download.

    Under blind review the file keeps a neutral name for reviewers (its original name may name the bidder).
    """
    attachment = get_object_or_404(BidAttachment.objects.select_related("bid", "bid__call"), pk=pk)
    if not Bid.objects.restrict(request.user, VIEW).filter(pk=attachment.bid_id).exists():
        raise Http404
    from corridor.market.selectors import bidder_identity_visible

    name = attachment.original_name
    if not bidder_identity_visible(request.user, attachment.bid):
        name = f"document-{attachment.pk}.{attachment.kind}"
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
