from ipvb.roles import Role
from tests.routing import Route

from .builders import catalog_a, catalog_b

FINANCIAL = frozenset({Role.FINANCIAL})


def _with_catalog(world):  # type: ignore[no-untyped-def]
    """No URL arguments, but a catalogue to show."""
    catalog_a(world)
    catalog_b(world)
    return {}


def _activity(world, other=False):  # type: ignore[no-untyped-def]
    return {"pk": (catalog_b(world) if other else catalog_a(world))["activity"].pk}


def _addon(world, other=False):  # type: ignore[no-untyped-def]
    return {"pk": (catalog_b(world) if other else catalog_a(world))["addon"].pk}


ROUTES = [
    # Read-only catalogue: every role.
    Route("catalog_browse", kwargs=_with_catalog),
    Route("catalog_print", kwargs=_with_catalog),
    # Maintenance: financial staff only.
    Route("catalog_activity_list", roles=FINANCIAL, kwargs=_with_catalog),
    Route("catalog_activity_create", roles=FINANCIAL),
    Route(
        "catalog_activity_update",
        roles=FINANCIAL,
        kwargs=_activity,
        other_kwargs=lambda w: _activity(w, other=True),
    ),
    Route(
        "catalog_activity_toggle",
        roles=FINANCIAL,
        method="post",
        data=lambda w: {"active": "0"},
        ok_status=302,
        kwargs=_activity,
        other_kwargs=lambda w: _activity(w, other=True),
    ),
    Route("catalog_activity_import", roles=FINANCIAL),
    Route("catalog_activity_export", roles=FINANCIAL),
    Route("catalog_addon_list", roles=FINANCIAL, kwargs=_with_catalog),
    Route("catalog_addon_create", roles=FINANCIAL),
    Route(
        "catalog_addon_update",
        roles=FINANCIAL,
        kwargs=_addon,
        other_kwargs=lambda w: _addon(w, other=True),
    ),
    Route(
        "catalog_addon_price_create",
        roles=FINANCIAL,
        kwargs=_addon,
        other_kwargs=lambda w: _addon(w, other=True),
    ),
    Route(
        "catalog_addon_toggle",
        roles=FINANCIAL,
        method="post",
        data=lambda w: {"active": "0"},
        ok_status=302,
        kwargs=_addon,
        other_kwargs=lambda w: _addon(w, other=True),
    ),
    Route("catalog_addon_import", roles=FINANCIAL),
    Route("catalog_addon_export", roles=FINANCIAL),
    # API: everyone reads; writes are tested in tests/catalog/test_api.py.
    Route("catalog-activity-list", api=True, kwargs=_with_catalog),
    Route(
        "catalog-activity-detail",
        api=True,
        kwargs=_activity,
        other_kwargs=lambda w: _activity(w, other=True),
    ),
    Route("catalog-addon-item-list", api=True, kwargs=_with_catalog),
    Route(
        "catalog-addon-item-detail",
        api=True,
        kwargs=_addon,
        other_kwargs=lambda w: _addon(w, other=True),
    ),
    Route(
        "catalog-addon-item-prices",
        api=True,
        kwargs=_addon,
        other_kwargs=lambda w: _addon(w, other=True),
    ),
]
