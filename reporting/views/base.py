"""What every dashboard and worklist shares: who may see which page, the week label, and the
view that knows today and the latest snapshot week."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ipvb.roles import Role
from ipvb.views.base import TenantTemplateView

from ..selectors.snapshots import latest_week
from .exports import ExportMixin

BOARD_ROLES = frozenset({Role.BOARD, Role.MANAGER})
MANAGEMENT_ROLES = frozenset({Role.MANAGER, Role.FINANCIAL})
LEADER_ROLES = frozenset({Role.TEAM_LEADER})
CARE_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
FORMATIE_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.FINANCIAL, Role.BOARD})
SIGNAL_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER})


def week_label(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


class ReportingView(ExportMixin, TenantTemplateView):
    _data: dict[str, Any]

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    @property
    def week(self) -> datetime.date | None:
        if not hasattr(self, "_week"):
            self._week = latest_week(organisation=self.organisation, on_or_before=self.today)
        return self._week
