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


@register.simple_tag(takes_context=True)
def composer_line(context: Any, p: Any) -> str:
    """One composer row (``p``: a PricedLine), built in Python (conversations.composer_html);
    what the rows share is prepared once per rendering."""
    from conversations.composer_html import RowStrings, line_row

    strings = context.render_context.get(RowStrings)
    if strings is None:
        strings = RowStrings.build(
            csrf_token=context.get("csrf_token"),
            version=context["package"].lock_version,
            editable=bool(context.get("editable")),
            can_change_level=bool(context.get("can_change_level")),
            staff_levels=context.get("staff_levels"),
        )
        context.render_context[RowStrings] = strings
    return line_row(p, strings)


@register.simple_tag
def composer_version_inputs(pricing: Any, changed: Any, package: Any) -> str:
    from conversations.composer_html import version_inputs

    return version_inputs(pricing.lines, changed_pk=changed.line.pk, version=package.lock_version)
