"""The access log partitioned by month, its retention and the append-only rule on partitions
(ipvb.accesslog_partitions, manage.py accesslog_partitions)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ipvb import accesslog, db_roles
from ipvb import accesslog_partitions as parts
from ipvb.models_accesslog import AccessLogEntry
from ipvb.tasks import create_accesslog_partitions

POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL only")


def test_which_partitions_retention_drops() -> None:
    names = [
        parts.partition_name(datetime.date(year, month, 1))
        for year in (2020, 2021, 2026)
        for month in (1, 11, 12)
    ]
    names += [parts.DEFAULT_PARTITION, "something_else"]
    today = datetime.date(2026, 11, 30)
    # Five years: everything before 1 November 2021 goes, November 2021 stays.
    assert parts.retention_cutoff(today, 5) == datetime.date(2021, 11, 1)
    assert parts.partitions_to_drop(names, today, 5) == [
        "ipvb_accesslogentry_p2020_01",
        "ipvb_accesslogentry_p2020_11",
        "ipvb_accesslogentry_p2020_12",
        "ipvb_accesslogentry_p2021_01",
    ]
    assert (
        parts.partitions_to_drop(names, datetime.date(2026, 12, 1), 5)[-1] == "ipvb_accesslogentry_p2021_11"
    )
    assert parts.add_months(datetime.date(2026, 11, 1), 2) == datetime.date(2027, 1, 1)
    assert parts.partition_month("ipvb_accesslogentry_p2027_01") == datetime.date(2027, 1, 1)


@POSTGRES
@pytest.mark.django_db
def test_the_access_log_is_partitioned_by_month_with_partitions_ahead() -> None:
    assert parts.is_partitioned(connection)
    names = parts.partitions(connection)
    this_month = datetime.datetime.now(tz=datetime.UTC).date().replace(day=1)
    for ahead in range(4):
        assert parts.partition_name(parts.add_months(this_month, ahead)) in names
    assert parts.DEFAULT_PARTITION in names


@POSTGRES
@pytest.mark.django_db
def test_rows_land_in_their_month_and_stay_append_only(world) -> None:  # type: ignore[no-untyped-def]
    member = world.membership("care_professional")
    entry = AccessLogEntry.objects.create(
        organisation=world.org_a, user=member.user, action=accesslog.READ, object_type="test"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM ipvb_accesslogentry WHERE id = %s", [entry.pk])
        month = entry.created_at.astimezone(datetime.UTC).date().replace(day=1)
        assert cursor.fetchone()[0] == parts.partition_name(month)
    # The app role has no right on the partitions themselves.
    if db_roles.two_roles():
        for sql in (
            f"SELECT count(*) FROM {parts.partition_name(month)}",
            f"DELETE FROM {parts.partition_name(month)}",
            f"DROP TABLE {parts.partition_name(month)}",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)


@POSTGRES
@pytest.mark.django_db
def test_the_app_role_may_create_partitions_ahead_through_the_function_only() -> None:
    before = parts.partitions(connection)
    create_accesslog_partitions(3)  # the beat task, as the app role: nothing new to create
    assert parts.partitions(connection) == before
    with pytest.raises(DatabaseError, match="between 0 and 24"), transaction.atomic():
        parts.create_ahead(connection, 99)


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_retention_drops_whole_old_partitions_and_keeps_the_rest(world) -> None:  # type: ignore[no-untyped-def]
    """As the owner: an old month's partition with a row, the command drops it whole; the
    trigger still refuses UPDATE and DELETE even for the owner."""
    old_month = datetime.date(2019, 3, 1)
    with db_roles.as_owner(), connection.cursor() as cursor:
        cursor.execute(parts.create_partition_sql(old_month))
        cursor.execute(
            "INSERT INTO ipvb_accesslogentry (created_at, user_email, roles, action, object_type, object_id, "
            "channel, method, path, organisation_id, criteria) "
            "VALUES ('2019-03-15 12:00+00', '', '', 'read', '', '', 'web', 'GET', '/', %s, '')",
            [world.org_a.pk],
        )
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM ipvb_accesslogentry WHERE created_at < '2020-01-01'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE ipvb_accesslogentry SET path = '/x'")
    out = io.StringIO()
    call_command("accesslog_partitions", "--dry-run", stdout=out)
    assert parts.partition_name(old_month) in out.getvalue()
    assert parts.partition_name(old_month) in parts.partitions(connection)
    call_command("accesslog_partitions", stdout=out)
    names = parts.partitions(connection)
    assert parts.partition_name(old_month) not in names
    this_month = datetime.datetime.now(tz=datetime.UTC).date().replace(day=1)
    assert parts.partition_name(this_month) in names


def test_bad_arguments_are_refused_clearly() -> None:
    with pytest.raises(CommandError, match="minstens 1 jaar"):
        call_command("accesslog_partitions", "--retention-years", "-1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="tussen 0 en 24"):
        call_command("accesslog_partitions", "--ahead", "30", stdout=io.StringIO())
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("accesslog_partitions", "--today", "gisteren", stdout=io.StringIO())
