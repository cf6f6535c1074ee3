"""The route registry of the access tests.

Every named URL pattern of the project must have a ``Route`` here (in ``tests/<app>/routes.py``
as ``ROUTES``); a new route without one fails ``test_every_route_is_covered``. For each route
the access tests check: anonymous -> login (web) or 401 (API); a role outside ``roles`` -> 403;
another organisation's object -> 404; an allowed role -> ``ok_status``. A route on one object
gives ``of`` (the object in organisation "a" or "b") instead of a pair of kwargs builders."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from ipvb.navigation import APPS

# Third-party route groups that are not tenant routes: allauth (login, MFA, password reset),
# Django's admin (platform superusers only) and the language switch.
EXCLUDED_PREFIXES = ("accounts/", "beheer/", "i18n/")


@dataclass
class Route:
    name: str
    roles: frozenset[str] | None = None  # allowed roles; None: every member
    kwargs: Callable[[Any], dict[str, Any]] | None = None  # an object of org A
    other_kwargs: Callable[[Any], dict[str, Any]] | None = None  # the same of org B -> 404
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    public: bool = False
    api: bool = False
    ok_status: int = 200
    query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Instead of kwargs/other_kwargs: ``of(world, org)`` gives the route's object in
    # organisation "a" or "b"; the URL names it by its pk under ``of_key``.
    of: Callable[[Any, str], Any] | None = None
    of_key: str = "pk"
    app: str = ""  # the app whose tests/<app>/routes.py declares it (set by ``all_routes``)

    def __post_init__(self) -> None:
        if self.of is None:
            return
        if self.kwargs is not None or self.other_kwargs is not None:
            raise ValueError(f"{self.name}: give either 'of' or kwargs/other_kwargs")
        of, key = self.of, self.of_key
        self.kwargs = lambda world: {key: of(world, "a").pk}
        self.other_kwargs = lambda world: {key: of(world, "b").pk}

    def __str__(self) -> str:
        return self.name


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for app in APPS:
        module = f"tests.{app}.routes"
        if importlib.util.find_spec(module) is not None:
            for route in importlib.import_module(module).ROUTES:
                route.app = app
                routes.append(route)
    return routes


def project_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(pattern.url_patterns, route, full_ns)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    names.add(f"<unnamed:{route}>")
                else:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", None)
    return names
