from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    LOGIN = "login", _("log-in")
    LOGIN_FAILED = "login_failed", _("failed log-in")
    LOCKOUT = "lockout", _("lockout")
    LOGOUT = "logout", _("log-out")
    DENIED = "denied", _("permission denied")
    EXPORT = "export", _("download or export")
    ROLE_CHANGE = "role_change", _("role change")
    MEMBERSHIP = "membership", _("membership change")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
