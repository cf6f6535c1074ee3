"""The access log (NEN 7513-style): one mechanism for every screen and API route that shows
or changes client data.

What is logged: who (user, their roles), on behalf of which organisation, when, which client,
what action (read, search, create, update, delete, print, export, reveal_bsn), the kind and
id of the record, the channel (web/api), the HTTP method, the URL path (never the query
string: it may hold a search term or a BSN) and the IP address. Nothing of the record's
content (no BSN, no names). Rows are append-only (``ipvb.models_accesslog``).

How a view or viewset declares that it shows client data
--------------------------------------------------------

Set ``access_log_client`` on a subclass of ``ipvb.views.base`` or ``ipvb.api.base``: the
dotted path from the view's object to the ``clients.Client`` it concerns, or ``"self"``
when the object *is* the client. Views without an object (list/form/template views) resolve
the same path against the view itself, so a view that sets ``self.client`` (or has a
``client`` property) uses ``access_log_client = "client"``::

    class ClientBudgetView(TenantDetailView):          # object is a Client
        model = Client
        access_log_client = "self"

    class PackageDetailView(TenantDetailView):         # object has a .client
        model = Package
        access_log_client = "client"

    class ConversationCreateView(TenantCreateView):    # GET: view.client; POST: object.client
        model = Conversation
        access_log_client = "client"

    class PackageViewSet(TenantViewSet):               # API: same attribute
        access_log_client = "client"

That is all: the base classes log after a successful response (status < 400):

* web: GET/HEAD -> ``read``; a page that lists several clients (a ``ListView`` whose items
  resolve to clients through ``access_log_client``, or a view with
  ``access_log_shown_clients(context)``) -> one ``search`` row *per client shown* (one bulk
  insert) carrying the search criteria, or one row without a client when nothing matched;
  a POST that saved
  (form_valid ran or the response redirects) -> ``create`` (CreateView), ``delete``
  (DeleteView) or ``update`` (others); a POST that re-shows the form -> ``read``.
  A view without a resolvable client logs only ``search``/``print``/``export``.
* API: list -> one ``search`` row per client on the page (with the criteria); retrieve -> ``read``; create/update/partial_update/destroy ->
  ``create``/``update``/``delete``; custom ``@action``s -> ``access_log_actions[name]``
  when given, else ``read`` for safe methods and ``update`` otherwise. A viewset that
  overrides ``create`` without calling ``perform_create`` calls
  ``self.remember_for_access_log(obj)``.

Set ``access_log_action = accesslog.PRINT`` (or ``EXPORT``) on a view to force the action,
e.g. for a PDF view. Anything else (a Celery export, a batch print) calls ``record`` or
``record_many`` directly::

    accesslog.record(request=request, client=client, action=accesslog.EXPORT)

Denied (403), missing (404) and failed (4xx/5xx) requests are not logged: no data was shown.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.generic import DeleteView, ListView
from django.views.generic.edit import CreateView

from .accesslog_sql import insert_per_client
from .models_accesslog import AccessLogEntry

if TYPE_CHECKING:
    from .models import Organisation

READ = AccessLogEntry.Action.READ
SEARCH = AccessLogEntry.Action.SEARCH
CREATE = AccessLogEntry.Action.CREATE
UPDATE = AccessLogEntry.Action.UPDATE
DELETE = AccessLogEntry.Action.DELETE
PRINT = AccessLogEntry.Action.PRINT
EXPORT = AccessLogEntry.Action.EXPORT
REVEAL_BSN = AccessLogEntry.Action.REVEAL_BSN

SELF = "self"
# Actions that are logged even when no single client is concerned.
CLIENTLESS_ACTIONS = frozenset({SEARCH, PRINT, EXPORT})
CLIENT_MODEL = "clients.Client"
# Query parameters that are not search criteria.
NON_CRITERIA = frozenset({"page", "page_size", "format"})
_DIGIT_RUN = re.compile(r"\d{7,}")


def _django_request(request: Any) -> Any:
    """The Django HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def client_ip(request: Any) -> str | None:
    """REMOTE_ADDR; behind a reverse proxy set IPVB_ACCESSLOG_PROXY_COUNT to the number of
    trusted proxies and the address is taken from X-Forwarded-For instead."""
    meta = _django_request(request).META
    address = meta.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "IPVB_ACCESSLOG_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # not an address (a forged header, a test client): kept empty


def _client_id(client: Any) -> int | None:
    if client is None:
        return None
    if isinstance(client, int):
        return client
    label = getattr(getattr(client, "_meta", None), "label", None)
    if label != CLIENT_MODEL:
        raise ImproperlyConfigured(
            f"access log: expected a {CLIENT_MODEL}, got {type(client).__name__}; check access_log_client."
        )
    return client.pk


def search_criteria(request: Any) -> str:
    """The query parameters of a list or search as compact JSON; any run of 7 or more digits
    (a BSN, whole or in part) is masked, so no BSN is ever written in clear."""
    query = _django_request(request).GET
    criteria = {
        key: [_DIGIT_RUN.sub(lambda m: "•" * len(m.group()), value)[:100] for value in query.getlist(key)]
        for key in sorted(query)
        if key not in NON_CRITERIA
    }
    compact: dict[str, str | list[str]] = {
        key: values[0] if len(values) == 1 else values for key, values in criteria.items() if any(values)
    }
    return json.dumps(compact, ensure_ascii=False)[:500] if compact else ""


def client_id_of(obj: Any, path: str) -> int | None:
    """The id of the client ``obj`` concerns, following ``path``; the last step reads the
    foreign key column (``client_id``), so a list costs no query per row."""
    if obj is None:
        return None
    if path == SELF:
        return obj.pk
    *steps, last = path.split(".")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    value = getattr(obj, f"{last}_id", None)
    if value is None:
        related = getattr(obj, last, None)
        value = getattr(related, "pk", related)
    return value if isinstance(value, int) else None


def _object_ref(obj: Any, object_type: str = "", object_id: Any = None) -> tuple[str, str]:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = obj.pk if object_id is None else object_id
    return object_type, "" if object_id is None else str(object_id)


def _entry(
    *,
    request: Any,
    action: str,
    client: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = None,
    organisation: Organisation | None = None,
    channel: str | None = None,
    criteria: str = "",
) -> AccessLogEntry:
    if action not in AccessLogEntry.Action.values:
        raise ValueError(f"Unknown access log action {action!r}.")
    django_request = _django_request(request)
    membership = getattr(django_request, "membership", None)
    organisation = organisation or getattr(django_request, "organisation", None)
    if organisation is None:
        raise ImproperlyConfigured("access log: no organisation for this request.")
    user = getattr(request, "user", None) or getattr(django_request, "user", None)
    user = user if getattr(user, "is_authenticated", False) else None
    if channel is None:
        channel = AccessLogEntry.Channel.API if request is not django_request else AccessLogEntry.Channel.WEB
    object_type, object_id = _object_ref(obj, object_type, object_id)
    return AccessLogEntry(
        organisation=organisation,
        user=user,
        user_email=getattr(user, "email", "") or "",
        roles=",".join(membership.roles) if membership is not None else "",
        client_id=_client_id(client),
        action=action,
        object_type=object_type[:100],
        object_id=object_id[:40],
        channel=channel,
        method=(django_request.method or "")[:8],
        path=django_request.path[:300],
        ip_address=client_ip(request),
        criteria=criteria,
    )


def record(
    *,
    request: Any,
    action: str,
    client: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = None,
    organisation: Organisation | None = None,
    channel: str | None = None,
) -> AccessLogEntry:
    """Writes one log row. ``client`` is a Client (or its id); ``obj`` the record concerned
    (only its model label and id are kept). The row is written by the statement of
    ``record_many`` (half the CPU of the ORM's ``save``, on every request that shows a
    client; issue 16), so the returned entry has no primary key."""
    entry = _entry(
        request=request,
        action=action,
        client=client,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        organisation=organisation,
        channel=channel,
    )
    insert_per_client(entry, [entry.client_id])
    return entry


def record_many(
    *,
    request: Any,
    action: str,
    clients: Iterable[Any],
    object_type: str = "",
    criteria: str = "",
    channel: str | None = None,
    keep_empty: bool = False,
) -> int:
    """One row per client (each client once), in one insert: an export, a printed list, the
    clients shown by a list or search. With ``keep_empty`` a search that showed no client
    still writes one row (its criteria)."""
    seen: set[int] = set()
    unique: list[int | None] = []
    for client in clients:
        key = _client_id(client)
        if key is not None and key not in seen:
            seen.add(key)
            unique.append(key)
    if not unique and keep_empty:
        unique = [None]
    # The rows differ only in the client: the request's part is built once (issue 16).
    template = _entry(
        request=request, action=action, object_type=object_type, criteria=criteria, channel=channel
    )
    insert_per_client(template, unique)
    return len(unique)


def shown_clients(view: Any, response: Any) -> list[int | None] | None:
    """The clients a page shows, or None when the view does not list clients."""
    context = getattr(response, "context_data", None)
    if context is None:  # not a rendered page (a download logs itself as an export)
        return None
    custom = getattr(view, "access_log_shown_clients", None)
    if custom is not None:
        return [pk for pk in custom(context) if pk is not None]
    path = getattr(view, "access_log_client", None)
    if isinstance(view, ListView) and path:
        items = context.get("object_list")
        if items is None:
            return None
        return [client_id_of(item, path) for item in items]
    return None


def resolve_client(source: Any, path: str | None) -> Any:
    """Follow ``path`` (dotted, or ``"self"``) from ``source``; None when a step is missing."""
    if source is None or not path:
        return None
    if path == SELF:
        return source
    value = source
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


# Web views -------------------------------------------------------------------------------


def _view_client(view: Any) -> Any:
    custom = getattr(view, "get_access_log_client", None)
    if custom is not None:
        return custom()
    return default_view_client(view)


def default_view_client(view: Any) -> Any:
    path = view.access_log_client
    obj = getattr(view, "object", None)
    if obj is not None and getattr(obj, "pk", None) is None:
        # Deleted just now: use what was resolved when it was loaded.
        return getattr(view, "_access_log_client", None)
    if obj is not None:
        return resolve_client(obj, path)
    # A write that answers with a redirect (agree, approve, send back, swap) loaded its record
    # through get_object(), which remembered the record's client.
    remembered = getattr(view, "_access_log_client", None)
    if remembered is not None:
        return remembered
    if path == SELF:
        return None
    return resolve_client(view, path)


def log_view(view: Any, request: Any, response: Any) -> AccessLogEntry | None:
    """Called by the base views after a response (see the module docstring)."""
    if response.status_code >= 400:
        return None
    if view.access_log_client is None and getattr(view, "access_log_shown_clients", None) is None:
        return None
    client = _view_client(view) if view.access_log_client is not None else None
    if client is None and view.access_log_action is None and request.method in ("GET", "HEAD"):
        shown = shown_clients(view, response)
        if shown is not None:
            record_many(
                request=request,
                action=SEARCH,
                clients=[pk for pk in shown if pk is not None],
                object_type=_list_label(view),
                criteria=search_criteria(request),
                channel=AccessLogEntry.Channel.WEB,
                keep_empty=True,
            )
            return None
    action = view.access_log_action
    if action is None:
        if request.method in ("GET", "HEAD"):
            action = SEARCH if isinstance(view, ListView) and client is None else READ
        elif getattr(view, "_access_log_saved", False) or 300 <= response.status_code < 400:
            if isinstance(view, DeleteView):
                action = DELETE
            elif isinstance(view, CreateView):
                action = CREATE
            else:
                action = UPDATE
        else:
            action = READ
    if client is None and action not in CLIENTLESS_ACTIONS:
        return None
    obj = getattr(view, "object", None)
    object_id = getattr(view, "_access_log_object_id", None) if obj is not None and obj.pk is None else None
    if obj is None and isinstance(view, ListView):
        model = getattr(view, "model", None)
        object_type = model._meta.label if model is not None else ""
    else:
        object_type = ""
    return record(
        request=request,
        action=action,
        client=client,
        obj=obj,
        object_id=object_id,
        object_type=object_type,
        channel=AccessLogEntry.Channel.WEB,
    )


def _list_label(view: Any) -> str:
    model = getattr(view, "model", None)
    return model._meta.label if model is not None else ""


# API -------------------------------------------------------------------------------------

API_ACTIONS = {
    "list": SEARCH,
    "retrieve": READ,
    "create": CREATE,
    "update": UPDATE,
    "partial_update": UPDATE,
    "destroy": DELETE,
}


def log_api(view: Any, request: Any, response: Any) -> AccessLogEntry | None:
    """Called by the base API views in ``finalize_response`` (see the module docstring)."""
    if view.access_log_client is None or response.status_code >= 400:
        return None
    if getattr(view, "swagger_fake_view", False):
        return None
    name = getattr(view, "action", None)
    action = getattr(view, "access_log_actions", {}).get(name) or API_ACTIONS.get(name or "")
    if action is None:
        action = READ if request.method in ("GET", "HEAD", "OPTIONS") else UPDATE
    if request.method == "OPTIONS":
        return None
    obj = getattr(view, "_access_log_object", None)
    page = getattr(getattr(view, "paginator", None), "page", None)
    if name == "list" and obj is None:
        queryset = getattr(view, "queryset", None)
        items = list(page.object_list) if page is not None else []
        record_many(
            request=request,
            action=SEARCH,
            clients=[pk for item in items if (pk := client_id_of(item, view.access_log_client)) is not None],
            object_type=queryset.model._meta.label if queryset is not None else "",
            criteria=search_criteria(request),
            channel=AccessLogEntry.Channel.API,
            keep_empty=True,
        )
        return None
    client = getattr(view, "_access_log_client", None)
    if obj is not None and client is None and obj.pk is not None:
        client = resolve_client(obj, view.access_log_client)
    if client is None and action not in CLIENTLESS_ACTIONS:
        return None
    object_type = ""
    if obj is None:
        queryset = getattr(view, "queryset", None)
        object_type = queryset.model._meta.label if queryset is not None else ""
    return record(
        request=request,
        action=action,
        client=client,
        obj=obj,
        object_id=getattr(view, "_access_log_object_id", None),
        object_type=object_type,
        channel=AccessLogEntry.Channel.API,
    )
