"""A department's clients at a glance: per client the budget, the package in force, its
utilisation and review, and whether a package awaits approval (the department overview)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from costing.budget import budgets_for_clients

from . import formulas
from .models import Package
from .selectors import packages_in_force

if TYPE_CHECKING:
    from clients.models import Client
    from ipvb.models import Department


@dataclass
class DepartmentRow:
    client: Client
    budget: Decimal | None
    total: Decimal | None
    utilisation_pct: Decimal | None
    review_date: datetime.date | None
    review_due: bool
    overrun: bool
    pending: bool


def department_rows(
    *, clients: QuerySet[Client], department: Department, on_date: datetime.date
) -> list[DepartmentRow]:
    """One row per client: the budget on ``on_date``, the package in force, utilisation and
    review. Budgets share one rate card, year settings and group share (costing's batch)."""
    shown = list(clients.select_related("organisation", "department").order_by("family_name", "given_name"))
    budgets = budgets_for_clients(clients=shown, on_date=on_date)
    # Per client the total and review date of the package in force (the latest start), as
    # values: no package instance per row (issue 16).
    in_force: dict[int, tuple[Decimal | None, datetime.date | None]] = {}
    packages = (
        packages_in_force(organisation=department.organisation_id, on_date=on_date)
        .filter(client__in=shown)
        .order_by("client_id", "-start_date")
        .values_list("client_id", "total", "review_date")
    )
    for client_id, package_total, review_date in packages:
        in_force.setdefault(client_id, (package_total, review_date))
    pending = set(
        Package.objects.for_organisation(department.organisation_id)
        .filter(client__in=shown, status=Package.Status.PENDING_APPROVAL)
        .values_list("client_id", flat=True)
    )
    rows = []
    for client in shown:
        budget = budgets.get(client.pk)
        amount = budget.personal_budget if budget is not None else None
        total, review = in_force.get(client.pk, (None, None))
        utilisation = formulas.round2(total / amount * 100) if total is not None and amount else None
        rows.append(
            DepartmentRow(
                client=client,
                budget=amount,
                total=total,
                utilisation_pct=utilisation,
                review_date=review,
                review_due=review is not None and review <= on_date,
                overrun=total is not None and amount is not None and total > amount,
                pending=client.pk in pending,
            )
        )
    return rows
