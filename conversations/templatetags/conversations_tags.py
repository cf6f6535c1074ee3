from typing import Any

from django import template
from django.utils import timezone

from conversations import selectors

register = template.Library()


@register.inclusion_tag("conversations/_client_summary.html", takes_context=True)
def client_package_summary(context: dict[str, Any], client: Any) -> dict[str, Any]:
    """The package in force, the open draft, the last conversation and the next review."""
    from conversations.views import can_write

    today = timezone.localdate()
    in_force = selectors.package_in_force(client=client, on_date=today)
    return {
        "client": client,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "can_write": context.get("request") is not None and can_write(context["request"]),
        "package_summary": {
            "in_force": in_force,
            "open": selectors.open_package(client=client),
            "last_conversation": selectors.conversations_of(client=client).first(),
            "review_due": bool(in_force and in_force.review_date and in_force.review_date <= today),
        },
    }
