"""``{% load costing_budget %}{% budget_waterfall client %}``: the weekly budget waterfall of a
client, for any page that shows a client (the client page uses it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("costing/_budget_waterfall.html", takes_context=True)
def budget_waterfall(context: Any, client: Any, on_date: datetime.date | None = None) -> dict[str, Any]:
    from costing.views.care import budget_context

    request = context["request"]
    data = budget_context(request=request, client=client, on_date=on_date)
    data["request"] = request
    data["budget_link"] = True
    return data


@register.filter
def plain(value: Any) -> Any:
    """A decimal without trailing zeros, localised: 10.500 -> "10,5", 1878.00 -> "1878"."""
    from decimal import Decimal, InvalidOperation

    from django.utils import formats

    if value is None or value == "":
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text))
