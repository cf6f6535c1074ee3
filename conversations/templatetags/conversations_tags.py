from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils import timezone

from conversations import selectors
from conversations.roles import can_write

if TYPE_CHECKING:
    from clients.models import Client

register = template.Library()


@register.inclusion_tag("conversations/_client_summary.html", takes_context=True)
def client_package_summary(context: dict[str, Any], client: Client) -> dict[str, Any]:
    """The package in force, the open draft, the last conversation and the next review."""
    today = timezone.localdate()
    in_force = selectors.package_in_force(client=client, on_date=today)
    return {
        "client": client,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "can_write": can_write(getattr(context.get("request"), "membership", None)),
        "package_summary": {
            "in_force": in_force,
            "open": selectors.open_package(client=client),
            "last_conversation": selectors.conversations_of(client=client).first(),
            "review_due": bool(in_force and in_force.review_date and in_force.review_date <= today),
        },
    }
