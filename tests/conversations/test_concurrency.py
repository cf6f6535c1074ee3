"""Optimistic locking of packages (ipvb.concurrency) on every write path, the "start a draft"
race, and a team leader's level change through the composer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from conversations.models import Package, PackageLine
from conversations.packages import package_line_update
from ipvb.roles import Role
from tests.conversations import builders

HX = {"HTTP_HX_REQUEST": "true"}


def api(world: Any, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def _line(world: Any, pk: int) -> PackageLine:
    return PackageLine.objects.for_organisation(world.org_a).get(pk=pk)


def _version(world: Any, package: Package) -> int:
    return Package.objects.for_organisation(world.org_a).get(pk=package.pk).lock_version


# API: the version is required, a stale one is a conflict ----------------------------------------


@pytest.mark.django_db
def test_patch_line_without_version_is_400_with_message_and_saves_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    line, package = data["line"], data["package"]
    before = _version(world, package)
    response = api(world, Role.CARE_PROFESSIONAL).patch(
        f"/api/v1/package-lines/{line.pk}/", {"occurrences_per_week": 3}, format="json"
    )
    assert response.status_code == 400
    assert "versie" in response.json()["version"][0]
    assert _line(world, line.pk).occurrences_per_week == line.occurrences_per_week
    assert _version(world, package) == before


@pytest.mark.django_db
def test_patch_line_with_stale_version_is_409(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    line, package = data["line"], data["package"]
    response = api(world, Role.CARE_PROFESSIONAL).patch(
        f"/api/v1/package-lines/{line.pk}/",
        {"occurrences_per_week": 3, "version": package.lock_version - 1},
        format="json",
    )
    assert response.status_code == 409
    assert "collega" in response.json()["detail"]
    assert _line(world, line.pk).occurrences_per_week == line.occurrences_per_week


@pytest.mark.django_db
def test_two_patches_from_the_same_read_second_is_409_and_first_is_kept(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    line = data["line"]
    client = api(world, Role.CARE_PROFESSIONAL)
    read = client.get(f"/api/v1/packages/{data['package'].pk}/").json()
    first = client.patch(
        f"/api/v1/package-lines/{line.pk}/",
        {"occurrences_per_week": 6, "version": read["lock_version"]},
        format="json",
    )
    assert first.status_code == 200, first.json()
    second = client.patch(
        f"/api/v1/package-lines/{line.pk}/", {"minutes": 30, "version": read["lock_version"]}, format="json"
    )
    assert second.status_code == 409
    saved = _line(world, line.pk)
    assert (saved.occurrences_per_week, saved.minutes) == (6, line.minutes)
    again = client.patch(
        f"/api/v1/package-lines/{line.pk}/",
        {"minutes": 30, "version": read["lock_version"] + 1},
        format="json",
    )
    assert again.status_code == 200, again.json()
    saved = _line(world, line.pk)
    assert (saved.occurrences_per_week, saved.minutes) == (6, 30)


@pytest.mark.django_db
def test_delete_line_and_add_line_need_the_version(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    line, package = data["line"], data["package"]
    client = api(world, Role.CARE_PROFESSIONAL)
    assert client.delete(f"/api/v1/package-lines/{line.pk}/").status_code == 400
    assert (
        client.delete(f"/api/v1/package-lines/{line.pk}/?version={package.lock_version - 1}").status_code
        == 409
    )
    added = client.post(
        f"/api/v1/packages/{package.pk}/lines/",
        {"activity": data["activities"]["WAN"].pk, "occurrences_per_week": 1},
        format="json",
    )
    assert added.status_code == 400 and "version" in added.json()
    assert package.lines.count() == 5
    gone = client.delete(f"/api/v1/package-lines/{line.pk}/?version={package.lock_version}")
    assert gone.status_code == 204
    assert package.lines.count() == 4


@pytest.mark.django_db
def test_agree_approve_and_send_back_need_the_version(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    response = api(world, Role.CARE_PROFESSIONAL).post(
        f"/api/v1/packages/{package.pk}/agree/", {"conversation": data["conversation"].pk}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()
    leader = api(world, Role.TEAM_LEADER)
    for action in ("approve", "send-back"):
        response = leader.post(f"/api/v1/packages/{package.pk}/{action}/", {"reason": "x"}, format="json")
        assert response.status_code == 400 and "version" in response.json()
    assert Package.objects.for_organisation(world.org_a).get(pk=package.pk).status == Package.Status.DRAFT


@pytest.mark.django_db
def test_service_saves_only_the_changed_fields_of_the_locked_line(world) -> None:  # type: ignore[no-untyped-def]
    """The line object a caller loaded earlier must not overwrite what changed since."""
    data = builders.scenario(world)
    membership = world.membership(Role.CARE_PROFESSIONAL)
    package = data["package"]
    loaded_early = _line(world, data["line"].pk)
    package_line_update(
        line=_line(world, loaded_early.pk),
        membership=membership,
        expected_version=package.lock_version,
        minutes=20,
    )
    package_line_update(
        line=loaded_early,
        membership=membership,
        expected_version=package.lock_version + 1,
        occurrences_per_week=4,
    )
    saved = _line(world, loaded_early.pk)
    assert (saved.minutes, saved.occurrences_per_week) == (20, 4)
    assert _version(world, package) == package.lock_version + 2


@pytest.mark.django_db
def test_the_one_statement_claim_writes_nothing_unless_package_and_line_are_as_read(world) -> None:  # type: ignore[no-untyped-def]
    """``claim_and_save`` (the composer's fast path): a line changed behind the copy's back, a
    package at another version or no longer a draft: no version bump and no field written."""
    from ipvb.concurrency import claim_and_save

    data = builders.scenario(world)
    package, pk = data["package"], data["line"].pk
    lines = PackageLine.objects.for_organisation(world.org_a)
    copy = _line(world, pk)
    as_read = {
        name: getattr(copy, name) for name in ("minutes", "occurrences_per_week", "note", "addon_item_id")
    }

    def claim(version: int) -> bool:
        copy.occurrences_per_week = 6
        return claim_and_save(
            copy, parent=copy.package, expected_version=version, conditions={"status": Package.Status.DRAFT},
            as_read=as_read, fields=["occurrences_per_week"],
        )  # fmt: skip

    lines.filter(pk=pk).update(minutes=copy.minutes + 5)  # changed without the version: not as read
    assert claim(package.lock_version) is False
    lines.filter(pk=pk).update(minutes=copy.minutes)
    assert claim(package.lock_version + 1) is False  # another version
    Package.objects.for_organisation(world.org_a).filter(pk=package.pk).update(
        status=Package.Status.PENDING_APPROVAL
    )
    assert claim(package.lock_version) is False  # no longer a draft
    assert _line(world, pk).occurrences_per_week != 6 and _version(world, package) == package.lock_version
    Package.objects.for_organisation(world.org_a).filter(pk=package.pk).update(status=Package.Status.DRAFT)
    assert claim(package.lock_version) is True  # as read: bumped and written in one statement
    assert _line(world, pk).occurrences_per_week == 6 and _version(world, package) == package.lock_version + 1
    assert copy.package.lock_version == package.lock_version + 1


# API: "start a draft" returns the existing draft -------------------------------------------------


@pytest.mark.django_db
def test_post_package_for_client_with_draft_returns_it(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    client = api(world, Role.CARE_PROFESSIONAL)
    response = client.post("/api/v1/packages/", {"client": data["client"].pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == data["package"].pk
    assert response.json()["lock_version"] == data["package"].lock_version
    fresh = builders.client(world.org_a, world.dept_a)
    created = client.post("/api/v1/packages/", {"client": fresh.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    again = client.post("/api/v1/packages/", {"client": fresh.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert Package.objects.for_organisation(world.org_a).filter(client=fresh).count() == 1


# Web: composer sends the version; a team leader can change the level --------------------------


@pytest.mark.django_db
def test_team_leader_changes_level_in_the_composer(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    new_level = data["levels"]["verpleegkundige-4"]
    assert line.staff_level_id != new_level.pk
    client = world.client(Role.TEAM_LEADER)
    html = client.get(f"/pakketten/{package.pk}/samenstellen/").content.decode()
    assert f'<option value="{new_level.pk}"' in html
    response = client.post(
        f"/pakketregels/{line.pk}/",
        {
            "minutes": line.minutes,
            "occurrences_per_week": line.occurrences_per_week,
            "staff_level": new_level.pk,
            "funding": "budget",
            "wanted": "on",
            "necessary": "on",
            "wlz_eligible": "on",
            "version": package.lock_version,
        },
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "geldige keuze" not in body
    assert _line(world, line.pk).staff_level_id == new_level.pk
    # and a new line at another level than the catalogue's
    response = client.post(
        f"/pakketten/{package.pk}/regels/",
        {
            "activity": data["activities"]["WAN"].pk,
            "minutes": "45",
            "occurrences_per_week": "1",
            "funding": "budget",
            "staff_level": new_level.pk,
            "version": _version(world, package),
        },
        **HX,
    )
    assert "geldige keuze" not in response.content.decode()
    assert package.lines.filter(activity=data["activities"]["WAN"], staff_level=new_level).count() == 1


@pytest.mark.django_db
def test_composer_without_version_shows_message_and_saves_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    line = data["line"]
    response = world.client(Role.CARE_PROFESSIONAL).post(
        f"/pakketregels/{line.pk}/",
        {"minutes": line.minutes, "occurrences_per_week": "6", "funding": "budget"},
        **HX,
    )
    assert response.status_code == 200
    assert "Stuur de versie mee" in response.content.decode()
    assert _line(world, line.pk).occurrences_per_week == line.occurrences_per_week


@pytest.mark.django_db
def test_agree_page_stale_version_shows_message_and_offers_current_version(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = world.client(Role.CARE_PROFESSIONAL)
    form = {"conversation": data["conversation"].pk, "start_date": "2026-02-02"}
    response = client.post(
        f"/pakketten/{package.pk}/afspreken/", {**form, "version": package.lock_version - 1}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een collega heeft dit pakket intussen gewijzigd" in html
    assert f'name="version" value="{package.lock_version}"' in html
    assert Package.objects.for_organisation(world.org_a).get(pk=package.pk).status == Package.Status.DRAFT
    response = client.post(f"/pakketten/{package.pk}/afspreken/", {**form, "version": package.lock_version})
    assert response.status_code == 302


@pytest.mark.django_db
def test_web_decision_with_stale_version_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    Package.objects.for_organisation(world.org_a).filter(pk=package.pk).update(status="pending_approval")
    client = world.client(Role.TEAM_LEADER)
    response = client.post(
        f"/pakketten/{package.pk}/terugsturen/",
        {"reason": "Eerst overleg", "version": package.lock_version - 1},
        follow=True,
    )
    assert "Een collega heeft dit pakket intussen gewijzigd" in response.content.decode()
    assert Package.objects.for_organisation(world.org_a).get(pk=package.pk).status == "pending_approval"
    client.post(
        f"/pakketten/{package.pk}/terugsturen/", {"reason": "Eerst overleg", "version": package.lock_version}
    )
    assert Package.objects.for_organisation(world.org_a).get(pk=package.pk).status == "draft"


# Real concurrency against PostgreSQL --------------------------------------------------------------


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Runs ``work(i)`` in ``count`` threads that start together; each closes its connection."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # reported to the test as a result
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_of_different_fields_lose_nothing(world) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    data = builders.scenario(world)
    line, version = data["line"], data["package"].lock_version
    clients = [api(world, Role.CARE_PROFESSIONAL), api(world, Role.TEAM_LEADER)]
    # Without a version (the probe's case): both refused, rather than both 200 with one edit lost.
    results = _in_threads(
        2,
        lambda i: (
            clients[i]
            .patch(
                f"/api/v1/package-lines/{line.pk}/",
                [{"occurrences_per_week": 6}, {"minutes": 30}][i],
                format="json",
            )
            .status_code
        ),
    )
    assert results == [400, 400], results
    saved = _line(world, line.pk)
    assert (saved.occurrences_per_week, saved.minutes) == (line.occurrences_per_week, line.minutes)
    # With the version both read: exactly one wins, the other gets 409, nothing is lost.
    bodies = [{"occurrences_per_week": 6, "version": version}, {"minutes": 30, "version": version}]
    for _round in range(3):
        results = _in_threads(
            2,
            lambda i, sent=bodies: (
                clients[i].patch(f"/api/v1/package-lines/{line.pk}/", sent[i], format="json").status_code
            ),
        )
        assert sorted(results) == [200, 409], results
        saved = _line(world, line.pk)
        winner = results.index(200)
        expected = (
            {"occurrences_per_week": 6, "minutes": line.minutes}
            if winner == 0
            else {"occurrences_per_week": line.occurrences_per_week, "minutes": 30}
        )
        assert {"occurrences_per_week": saved.occurrences_per_week, "minutes": saved.minutes} == expected
        # reset for the next round, through the service at the current version
        current = _version(world, data["package"])
        package_line_update(
            line=saved,
            membership=world.membership(Role.TEAM_LEADER),
            expected_version=current,
            minutes=line.minutes,
            occurrences_per_week=line.occurrences_per_week,
        )
        version = current + 1
        bodies = [{**body, "version": version} for body in bodies]


@pytest.mark.django_db(transaction=True)
def test_concurrent_start_draft_on_the_web_makes_one_draft(world) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    data = builders.setup_a(world)
    person = data["client"]
    clients = [world.client(Role.CARE_PROFESSIONAL) for _ in range(8)]
    results = _in_threads(8, lambda i: clients[i].post(f"/clienten/{person.pk}/pakket/nieuw/"))
    statuses = [getattr(r, "status_code", r) for r in results]
    assert statuses == [302] * 8, statuses
    drafts = Package.objects.for_organisation(world.org_a).filter(client=person)
    assert drafts.count() == 1
    assert {r["Location"] for r in results} == {f"/pakketten/{drafts.get().pk}/samenstellen/"}
