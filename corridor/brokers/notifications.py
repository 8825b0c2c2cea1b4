"""E-mails of the alliance: stale-case alerts to managers and operators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from corridor.brokers.models import Case
from corridor.brokers.selectors import alert_recipients, idle_days


def stale_case_messages(cases: Sequence[Case], *, now: dt.datetime | None = None, days: int) -> list[EmailMessage]:
    """One message per recipient listing their stale cases (in Chinese, the platform's first language)."""
    now = now or timezone.now()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for address, their_cases in sorted(alert_recipients(cases).items()):
            lines = [
                _("These cases have had no activity for {days} days or more:").format(days=days),
                "",
            ]
            for case in their_cases:
                lines.append(
                    _("- #{id} {title} ({stage}, lead: {lead}), idle for {idle} days").format(
                        id=case.pk,
                        title=case.title,
                        stage=case.get_stage_display(),
                        lead=case.lead_manager or _("unassigned"),
                        idle=idle_days(case, now),
                    )
                )
            lines += ["", _("Log an activity or move the case on, or close it with a reason.")]
            subject = _("[Corridor] {n} cases need attention").format(n=len(their_cases))
            messages.append(EmailMessage(subject=subject, body="\n".join(lines), to=[address]))
    return messages


def send_stale_case_alerts(cases: Sequence[Case], *, now: dt.datetime | None = None, days: int) -> int:
    messages = stale_case_messages(cases, now=now, days=days)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
