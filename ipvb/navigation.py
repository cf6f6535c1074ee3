"""Navigation by role. Each app lists its entries in ``<app>/navigation.py`` as ``ITEMS``;
the menu and the role home pages are built from them."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from .roles import ALL_ROLES, Role

if TYPE_CHECKING:
    from .models import Membership

APPS = ("ipvb", "clients", "costing", "catalog", "conversations", "reporting", "family")


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset[str] = ALL_ROLES
    description: Any = ""
    order: int = 100


@cache
def all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for app in APPS:
        name = f"{app}.navigation_items"
        if importlib.util.find_spec(name) is not None:
            items.extend(importlib.import_module(name).ITEMS)
    return tuple(sorted(items, key=lambda item: item.order))


def navigation_for(membership: Membership) -> list[dict[str, Any]]:
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "description": item.description,
            "url_name": item.url_name,
        }
        for item in all_items()
        if membership.has_role(*item.roles)
    ]


__all__ = ["NavItem", "Role", "navigation_for"]
