from typing import Any

from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def tenancy(request: Any) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "active_membership": membership,
        "active_organisation": getattr(request, "organisation", None),
        # Built (a URL reversal per item) only when a template shows the menu: the htmx partials
        # (a composer line change, say) do not (issue 16).
        "navigation": SimpleLazyObject(lambda: navigation_for(membership)) if membership else [],
    }
