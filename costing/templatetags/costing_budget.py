"""``{% load costing_budget %}{% budget_waterfall client %}``: the weekly budget waterfall of a
client, for any page that shows a client (the client page uses it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("costing/_budget_waterfall.html", takes_context=True)
def budget_waterfall(context: Any, client: Any, on_date: datetime.date | None = None) -> dict[str, Any]:
    from costing.views import budget_context

    request = context["request"]
    data = budget_context(request=request, client=client, on_date=on_date)
    data["request"] = request
    data["budget_link"] = True
    return data
