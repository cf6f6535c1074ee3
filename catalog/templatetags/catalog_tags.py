"""Display helpers of the catalogue templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def minutes(value: Any) -> str:
    return "–" if value is None else f"{value} min"


@register.filter
def active_on(obj: Any, on_date: Any) -> bool:
    """Whether a catalogue row (activity or add-on item) is active on ``on_date``."""
    return bool(obj.is_active_on(on_date))


@register.filter
def valid_on(price: Any, on_date: Any) -> bool:
    return bool(price.is_valid_on(on_date))
