"""``{% package_signatures package as signatures %}``: the online signatures of a package
version (staff pages and the package PDF show who signed)."""

from __future__ import annotations

from typing import Any

from django import template

from family.selectors import signatures_of

register = template.Library()


@register.simple_tag
def package_signatures(package: Any) -> list[Any]:
    if package is None or getattr(package, "pk", None) is None:
        return []
    return list(signatures_of(package=package))
