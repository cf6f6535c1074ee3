from ipvb.roles import Role
from tests.costing import builders as b
from tests.routing import Route

FIN = frozenset({Role.FINANCIAL})
READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN})
GROUP_READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN, Role.TEAM_LEADER})
GROUP_EDIT = frozenset({Role.FINANCIAL, Role.TEAM_LEADER})
CLIENT_READ = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})


def model_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["model"].pk}


def model_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_b(w)["model"].pk}


def draft_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.draft_a(w).pk}


def draft_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.draft_b(w).pk}


def client_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["client"].pk}


def client_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_b(w)["client"].pk}


def level_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["levels"]["helpende"].pk}


def level_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_b(w)["levels"]["helpende"].pk}


def settings_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["settings"].pk}


def settings_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_b(w)["settings"].pk}


def model_level_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["model"].levels.first().pk}


def model_level_b(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_b(w)["model"].levels.first().pk}


def group_a(w):  # type: ignore[no-untyped-def]
    b.world_a(w)
    return {"pk": w.dept_a.pk, "year": 2026}


def group_b(w):  # type: ignore[no-untyped-def]
    b.world_b(w)
    return {"pk": w.dept_b.pk, "year": 2026}


def group_row_a(w):  # type: ignore[no-untyped-def]
    from costing.models import GroupCare

    b.world_a(w)
    return {"pk": GroupCare.objects.for_organisation(w.org_a).first().pk}


def group_row_b(w):  # type: ignore[no-untyped-def]
    from costing.models import GroupCare

    b.world_b(w)
    return {"pk": GroupCare.objects.for_organisation(w.org_b).first().pk}


def tariff_a(w):  # type: ignore[no-untyped-def]
    return {"pk": b.world_a(w)["tariff"].pk}


ROUTES = [
    # Tariffs: national reference data, readable by every member; the import is for platform
    # staff only, so every member role (none is staff) gets 403 there.
    Route("tariff_list"),
    Route("tariff_import", ok_status=403),
    Route("costmodel_list", roles=READ),
    Route("costmodel_create", roles=FIN),
    Route("costmodel_detail", roles=READ, kwargs=model_a, other_kwargs=model_b),
    Route("costmodel_update", roles=FIN, kwargs=draft_a, other_kwargs=draft_b),
    Route("costmodel_levels", roles=FIN, kwargs=draft_a, other_kwargs=draft_b),
    Route("costmodel_publish", roles=FIN, method="post", ok_status=302, kwargs=draft_a, other_kwargs=draft_b),
    Route("costmodel_new_version", roles=FIN, kwargs=model_a, other_kwargs=model_b),
    Route("costmodel_compare", roles=READ, kwargs=model_a, other_kwargs=model_b),
    Route("costmodel_export", roles=READ, kwargs=model_a, other_kwargs=model_b),
    Route("costmodel_import", roles=FIN, kwargs=draft_a, other_kwargs=draft_b),
    Route("stafflevel_list", roles=READ),
    Route("stafflevel_create", roles=FIN),
    Route("stafflevel_update", roles=FIN, kwargs=level_a, other_kwargs=level_b),
    Route("yearsettings_list", roles=READ),
    Route("yearsettings_create", roles=FIN),
    Route("yearsettings_update", roles=FIN, kwargs=settings_a, other_kwargs=settings_b),
    Route("groupcare_list", roles=GROUP_READ),
    Route("groupcare_edit", roles=GROUP_EDIT, kwargs=group_a, other_kwargs=group_b),
    Route("client_budget", roles=CLIENT_READ, kwargs=client_a, other_kwargs=client_b),
    # API
    Route("tariff-list", api=True),
    Route("tariff-detail", api=True, kwargs=tariff_a),
    Route("staff-level-list", api=True, roles=READ),
    Route("staff-level-detail", api=True, roles=READ, kwargs=level_a, other_kwargs=level_b),
    Route("cost-price-model-list", api=True, roles=READ),
    Route("cost-price-model-detail", api=True, roles=READ, kwargs=model_a, other_kwargs=model_b),
    Route(
        "cost-price-model-publish",
        api=True,
        roles=FIN,
        method="post",
        kwargs=draft_a,
        other_kwargs=draft_b,
    ),
    Route(
        "cost-price-model-new-version",
        api=True,
        roles=FIN,
        method="post",
        ok_status=201,
        kwargs=model_a,
        other_kwargs=model_b,
        data=lambda w: {"effective_from": "2026-09-01", "change_note": "cao"},
    ),
    Route("cost-price-model-level-list", api=True, roles=READ),
    Route(
        "cost-price-model-level-detail",
        api=True,
        roles=READ,
        kwargs=model_level_a,
        other_kwargs=model_level_b,
    ),
    Route("year-settings-list", api=True, roles=READ),
    Route("year-settings-detail", api=True, roles=READ, kwargs=settings_a, other_kwargs=settings_b),
    Route("group-care-list", api=True, roles=GROUP_READ),
    Route("group-care-detail", api=True, roles=GROUP_READ, kwargs=group_row_a, other_kwargs=group_row_b),
    Route(
        "client-budget",
        api=True,
        roles=CLIENT_READ,
        kwargs=client_a,
        other_kwargs=client_b,
        query="date=2026-03-02",
    ),
]
