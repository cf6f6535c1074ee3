from typing import Any

from .navigation import navigation_for


def tenancy(request: Any) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "active_membership": membership,
        "active_organisation": getattr(request, "organisation", None),
        "navigation": navigation_for(membership) if membership else [],
    }
