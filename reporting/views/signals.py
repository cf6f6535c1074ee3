"""One client's weekly signal history and its evidence pack for the CIZ or the zorgkantoor
(domain page section 7)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from clients.models import Client
from clients.selectors import restrict_to_visible
from conversations.models import Conversation
from conversations.selectors import lines_of, package_in_force
from costing.budget import budget_for_client
from ipvb import accesslog
from ipvb.pdf import render_pdf
from ipvb.views.base import TenantDetailView

from .. import charts
from ..selectors.signals import client_history
from .base import SIGNAL_ROLES, week_label


class ClientSignalsMixin(TenantDetailView):
    """A client the membership may see (managers all, team leaders their departments)."""

    model = Client
    pk_url_kwarg = "client_pk"
    allowed_roles = SIGNAL_ROLES
    access_log_client = "self"

    def restrict_queryset(self, queryset: Any) -> Any:
        return restrict_to_visible(queryset, membership=self.membership)

    def history_context(self) -> dict[str, Any]:
        client = self.object
        today = timezone.localdate()
        history = client_history(client=client, weeks=26, until=today)
        chart = charts.line_chart(
            title=_("Budget tegenover pakket, laatste 26 weken"),
            labels=[week_label(h.week_start) for h in history],
            series=[
                charts.Series(_("Budget B (€ per week)"), [h.budget for h in history]),
                charts.Series(_("Pakket (€ per week)"), [h.package_total for h in history]),
            ],
            chart_id="client-history",
            table_id="client-history-table",
        )
        latest = history[-1] if history else None
        return {
            "client": client,
            "history": history,
            "chart": chart,
            "latest": latest,
            "today": today,
            "week_label": week_label,
        }


class ClientSignalsView(ClientSignalsMixin):
    template_name = "reporting/client_signals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.history_context()}


class EvidencePackView(ClientSignalsMixin):
    """The evidence pack for the CIZ (re-indication) or the zorgkantoor (meerzorg), as PDF.
    Printing it is an access-log event."""

    template_name = "reporting/evidence_pack.html"
    access_log_action = accesslog.PRINT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        context = self.history_context()
        client = self.object
        today = context["today"]
        package = package_in_force(client=client, on_date=today)
        start = today - datetime.timedelta(weeks=26)
        conversations = (
            Conversation.objects.for_organisation(client.organisation_id)
            .filter(client=client, held_at__date__gte=start)
            .prefetch_related("professionals", "contact_persons")
            .order_by("held_at")
        )
        budget = budget_for_client(client=client, on_date=today)
        context.update(
            {
                "organisation": self.organisation,
                "budget": budget,
                "package": package,
                "lines": lines_of(package=package) if package else [],
                "conversations": list(conversations),
                "printed_at": timezone.localtime(),
                "indication": budget.indication,
                "purpose": (
                    "meerzorg" if context["latest"] and context["latest"].meerzorg else "reindication"
                ),
            }
        )
        rendered = render_pdf(self.template_name, context, request=request)
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
        filename = f"bewijsstukken-{client.pk}-{today:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
