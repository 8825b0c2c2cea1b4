"""``corridor case_alerts``: e-mail the managers and operators of cases with no recent activity."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.brokers.notifications import send_stale_case_alerts
from corridor.brokers.selectors import alert_days, stale_cases


class Command(BaseCommand):
    help = "E-mail technology managers and operators about open cases with no activity for N days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Idle days (default: CORRIDOR['CASE_ALERT_DAYS'] or 14).")
        parser.add_argument("--dry-run", action="store_true", help="List the stale cases without sending e-mail.")

    def handle(self, *args: Any, days: int | None = None, dry_run: bool = False, **options: Any) -> None:
        days = alert_days() if days is None else days
        if days < 1:
            raise CommandError(_("The number of days must be at least 1."))
        cases = list(stale_cases(days=days))
        for case in cases:
            self.stdout.write(f"#{case.pk}\t{case.stage}\t{case.last_activity_at:%Y-%m-%d}\t{case.title}")
        if dry_run:
            self.stdout.write(_("{n} stale cases; no e-mail sent (dry run).").format(n=len(cases)))
            return
        sent = send_stale_case_alerts(cases, days=days)
        self.stdout.write(_("{n} stale cases; {sent} e-mails sent.").format(n=len(cases), sent=sent))
