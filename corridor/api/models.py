"""API tokens: opaque bearer tokens, stored only as their SHA-256 digest, expiring and revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, help_text=_("First characters of the token, to tell tokens apart."))
    name = models.CharField(_("name"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked is None and self.expires > timezone.now()

    @classmethod
    def issue(cls, user: object, *, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
        """Create a token; returns the row and the raw token, which is shown once and never stored."""
        raw = secrets.token_urlsafe(32)
        days = days if days is not None else settings.CORRIDOR["API_TOKEN_DAYS"]
        token = cls.objects.create(
            user=user,
            digest=token_digest(raw),
            prefix=raw[:8],
            name=name,
            expires=timezone.now() + dt.timedelta(days=days),
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str, *, data_version: int | None = None) -> ApiToken | None:
        """The active token for ``raw`` with its (active) user, or None; notes when it was last used.

        With ``data_version`` (``corridor.core.dataversion``) a token found active is remembered for that
        version, up to a minute, in the answer cache (a copy per use: the cache pickles). Revoking or
        deleting a token and changing or deactivating its user are writes that change the version, so
        they take effect at once; expiry is checked on every use."""
        if not raw or len(raw) > 200:
            return None
        digest = token_digest(raw)
        key = f"token:{data_version}:{digest}" if data_version is not None else None
        if key is not None:
            from corridor.api.answers import CACHE

            remembered = caches[CACHE].get(key)
            if remembered is not None:
                return remembered if remembered.is_active and remembered.user.is_active else None
        token = cls.objects.select_related("user").filter(digest=digest).first()
        if token is None or not token.is_active or not token.user.is_active:
            return None
        now = timezone.now()
        # One write a minute at most, so busy clients do not write on every request.
        if token.last_used is None or now - token.last_used > dt.timedelta(minutes=1):
            cls.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        if key is not None:
            caches[CACHE].set(key, token, 60)
        return token

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])
