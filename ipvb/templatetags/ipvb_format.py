"""Template filters of ``ipvb.formatting`` (loaded as builtins: no ``{% load %}`` needed):
``{{ amount|money }}``, ``{{ pct|percent }}``, ``{{ h|hours }}``, ``{{ x|number:1 }}``."""

from __future__ import annotations

from typing import Any

from django import template

from ipvb import formatting

register = template.Library()


@register.filter
def money(value: Any) -> str:
    return formatting.money(value)


@register.filter
def percent(value: Any, places: int = 2) -> str:
    return formatting.percent(value, places)


@register.filter
def hours(value: Any, places: int = 1) -> str:
    return formatting.hours(value, places)


@register.filter
def number(value: Any, places: int = 2) -> str:
    return formatting.number(value, places)
