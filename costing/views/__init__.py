"""Pages of costing, by audience: ``platform`` (the national tariff table, imported by platform
staff), ``financial`` (staff levels, year settings, cost-price models), ``care`` (group-bound
care of departments and the weekly budget of a client)."""
