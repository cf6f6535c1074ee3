"""Every role sees only what it may do (issue 13, item 1).

For each role, the pages reachable from "/" are crawled breadth-first over same-site links
(GET only) in a world with data: a client with a conversation, a draft package and an agreed
package, a contact person, a published cost-price model and catalogues. Then:

- every link (``<a href>``, ``hx-get``) the role is shown answers something other than 403
  (and never a 500) when that role follows it;
- every POST the role is shown (``<form method="post" action>``, a button's ``formaction``,
  ``hx-post``) resolves to a route the role is allowed on: both the view's ``allowed_roles``
  and the route spec of ``tests/<app>/routes.py`` include the role.

A link or button that answers 403 is a screen that promises something the role may not do.
"""

from __future__ import annotations

import datetime
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from ipvb.roles import Role
from tests.clients.builders import make_contact
from tests.conversations.builders import START, scenario
from tests.routing import all_routes

SKIP_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/beheer/")
MAX_PAGES = 400


class _Page(HTMLParser):
    """Collects the links and the POST targets of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []
        self._forms: list[tuple[str, str]] = []  # (method, action) of the open forms

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "a" and attr.get("href"):
            self.links.append(attr["href"])
        if attr.get("hx-get"):
            self.links.append(attr["hx-get"])
        if attr.get("hx-post"):
            self.posts.append(attr["hx-post"])
        if tag == "form":
            method = attr.get("method", "get").lower()
            self._forms.append((method, attr.get("action", "")))
            if method == "post":
                self.posts.append(attr.get("action", ""))
        method_of_form = self._forms[-1][0] if self._forms else "get"
        if (
            tag in ("button", "input")
            and attr.get("formaction")
            and attr.get("formmethod", method_of_form).lower() == "post"
        ):
            self.posts.append(attr["formaction"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._forms:
            self._forms.pop()


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or "logout" in path:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _route_roles() -> dict[str, frozenset[str] | None]:
    return {route.name: route.roles for route in all_routes()}


def _build_world(world: Any) -> dict[str, Any]:
    """A client with a conversation, a draft and an agreed package (v1 agreed, v2 draft)."""
    from conversations.approvals import package_agree
    from conversations.models import Conversation
    from conversations.packages import package_start_draft

    data = scenario(world)
    leader = world.membership(Role.TEAM_LEADER)
    package = data["package"]
    conversation = data["conversation"]
    assert conversation.status == Conversation.Status.COMPLETED
    package_agree(
        package=package,
        membership=leader,
        conversation=conversation,
        expected_version=package.lock_version,
        start_date=START,
        overrun_reason="Afgesproken in het gesprek",
        review_date=START + datetime.timedelta(days=90),
    )
    data["draft"] = package_start_draft(client=data["client"], by=leader.user)
    make_contact(data["client"])
    return data


def _crawl(client: Any) -> tuple[dict[str, int], dict[str, list[str]], dict[str, list[str]]]:
    """Breadth-first from "/": status per URL, and per page the links and POST targets shown."""
    statuses: dict[str, int] = {}
    links_on: dict[str, list[str]] = {}
    posts_on: dict[str, list[str]] = {}
    queue = deque(["/"])
    seen = {"/"}
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        statuses[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        links_on[url] = []
        for href in parser.links:
            target = _same_site(url, href)
            if target is None:
                continue
            links_on[url].append(target)
            if target not in seen:
                seen.add(target)
                queue.append(target)
        posts_on[url] = [urljoin(url, action) if action else url for action in parser.posts]
    assert not queue, f"More than {MAX_PAGES} pages; raise MAX_PAGES or narrow the crawl"
    return statuses, links_on, posts_on


@pytest.mark.parametrize("role", Role.values)
def test_every_link_and_button_is_allowed(role: str, world: Any) -> None:
    _build_world(world)
    client = world.client(role)
    statuses, links_on, posts_on = _crawl(client)
    assert len(statuses) > 3, "the crawl found no pages"

    problems: list[str] = []
    for page, links in links_on.items():
        for link in links:
            status = statuses.get(link)
            if status == 403:
                problems.append(f"{page}: link {link} answers 403")
            elif status is not None and status >= 500:
                problems.append(f"{page}: link {link} answers {status}")

    specs = _route_roles()
    for page, actions in posts_on.items():
        for action in actions:
            path = urlsplit(action).path
            if path.startswith(SKIP_PREFIXES) or "logout" in path:
                continue
            try:
                match = resolve(path)
            except Resolver404:
                problems.append(f"{page}: form posts to {path}, which does not resolve")
                continue
            view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
            allowed = getattr(view_class, "allowed_roles", None)
            if allowed is not None and role not in allowed:
                problems.append(f"{page}: form posts to {match.url_name}, not allowed for {role} (view)")
            roles = specs.get(match.view_name)
            if roles is not None and role not in roles:
                problems.append(
                    f"{page}: form posts to {match.url_name}, not allowed for {role} (route spec)"
                )

    assert not problems, "\n".join(sorted(set(problems)))


# The decisions behind the crawl (issue 13, item 1), asserted directly ---------------------------


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ORG_ADMIN])
def test_readers_see_no_conversation_or_package_buttons(role: str, world: Any) -> None:
    data = _build_world(world)
    client = world.client(role)
    page = client.get(reverse("client_detail", args=[data["client"].pk])).content.decode()
    assert reverse("conversation_list", args=[data["client"].pk]) in page  # read access stays ...
    assert reverse("conversation_create", args=[data["client"].pk]) not in page  # ... the actions are not
    assert reverse("package_start", args=[data["client"].pk]) not in page
    conversation = client.get(reverse("conversation_detail", args=[data["conversation"].pk])).content.decode()
    assert reverse("conversation_update", args=[data["conversation"].pk]) not in conversation
    assert client.get(reverse("package_composer", args=[data["draft"].pk])).status_code == 403
    assert client.post(reverse("package_start", args=[data["client"].pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ORG_ADMIN])
def test_readers_may_not_write_conversations_or_packages_through_the_api(role: str, world: Any) -> None:
    from rest_framework.test import APIClient

    from conversations.models import Conversation, Package

    data = _build_world(world)
    api = APIClient()
    api.force_authenticate(world.user(role))
    assert api.get("/api/v1/conversations/").status_code == 200
    before = (
        Conversation.objects.for_organisation(world.org_a).count(),
        Package.objects.for_organisation(world.org_a).count(),
    )
    response = api.post(
        "/api/v1/conversations/",
        {"client": data["client"].pk, "held_at": "2026-02-03T10:00:00+01:00", "kind": "intake"},
        format="json",
    )
    assert response.status_code == 403
    assert api.post(f"/api/v1/packages/{data['draft'].pk}/lines/", {}, format="json").status_code == 403
    assert (
        Conversation.objects.for_organisation(world.org_a).count(),
        Package.objects.for_organisation(world.org_a).count(),
    ) == before


@pytest.mark.parametrize("role", [Role.CARE_PROFESSIONAL, Role.TEAM_LEADER])
def test_care_roles_keep_their_conversation_and_package_buttons(role: str, world: Any) -> None:
    data = _build_world(world)
    page = world.client(role).get(reverse("client_detail", args=[data["client"].pk])).content.decode()
    assert reverse("conversation_create", args=[data["client"].pk]) in page
    assert reverse("package_start", args=[data["client"].pk]) in page


@pytest.mark.parametrize(
    ("role", "may_export"),
    [
        (Role.TEAM_LEADER, True),
        (Role.MANAGER, True),
        (Role.ORG_ADMIN, False),
        (Role.CARE_PROFESSIONAL, False),
    ],
)
def test_client_csv_export_per_role(role: str, may_export: bool, world: Any) -> None:
    """docs/clients.md: team leaders and managers export; the org admin does not."""
    _build_world(world)
    client = world.client(role)
    listed = reverse("client_export") in client.get(reverse("client_list")).content.decode()
    status = client.get(reverse("client_export")).status_code
    assert (listed, status) == ((True, 200) if may_export else (False, 403))
