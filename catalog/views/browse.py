"""The catalogue as everyone with a role sees it: browsable, and a printable large-type
version."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone

from ipvb.views.base import TenantTemplateView

from .. import selectors
from ..forms import BrowseForm
from ..models import ActivityCategory, AddOnCategory


def _grouped(
    rows: list[Any], category_of: Callable[[Any], str], choices: Iterable[tuple[str, Any]]
) -> list[tuple[str, list[Any]]]:
    labels = dict(choices)
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(category_of(row), []).append(row)
    return [(labels[code], groups[code]) for code in labels if code in groups]


class CatalogueView(TenantTemplateView):
    """The catalogue with today's prices, grouped by category."""

    def catalogue(
        self, *, search: str = "", activity_category: str = "", addon_category: str = "", which: str = ""
    ) -> dict[str, Any]:
        organisation = self.organisation
        today = timezone.localdate()
        comparison = selectors.price_comparison(organisation=organisation, on_date=today)
        context: dict[str, Any] = {"today": today, "comparison": comparison}
        if which in ("", "a"):
            activities = selectors.activities_for(
                organisation=organisation,
                on_date=today,
                category=activity_category or None,
                search=search or None,
            )
            rows = selectors.activity_rows(activities=activities, comparison=comparison)
            context["activity_groups"] = _grouped(
                rows, lambda r: r.activity.category, ActivityCategory.choices
            )
            context["activity_count"] = len(rows)
        if which in ("", "b"):
            items = list(
                selectors.addon_items_for(
                    organisation=organisation,
                    on_date=today,
                    category=addon_category or None,
                    search=search or None,
                )
            )
            context["addon_groups"] = _grouped(items, lambda i: i.category, AddOnCategory.choices)
            context["addon_count"] = len(items)
        return context


class CatalogueBrowseView(CatalogueView):
    """The catalogue as care staff and families see it: what a client can choose, in plain
    language, with today's prices; large type."""

    template_name = "catalog/browse.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = BrowseForm(self.request.GET or None)
        search, category = "", ""
        if form.is_bound and form.is_valid():
            search = form.cleaned_data["q"].strip()
            category = form.cleaned_data["category"]
        which, _sep, code = category.partition(":")
        context.update(
            self.catalogue(
                search=search,
                activity_category=code if which == "a" else "",
                addon_category=code if which == "b" else "",
                which=which,
            )
        )
        context["form"] = form
        context["filtered"] = bool(search or category)
        return context


class CataloguePrintView(CatalogueView):
    """Everything active today, grouped, in large type, laid out for paper."""

    template_name = "catalog/print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.catalogue())
        return context
