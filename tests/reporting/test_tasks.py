"""The Monday job and the back-fill command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reporting import tasks
from reporting.models import SnapshotRun, WeeklySnapshot
from tests.conversations import builders as conv
from tests.reporting.builders import WEEK

pytestmark = pytest.mark.django_db


def test_beat_runs_the_snapshot_job_on_mondays() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-snapshots"]
    assert entry["task"] == tasks.take_weekly_snapshots.name
    assert entry["schedule"].day_of_week == {1}


def test_task_body_takes_the_week_for_one_organisation(world) -> None:  # type: ignore[no-untyped-def]
    client = conv.setup_a(world)["client"]
    result = tasks.take_organisation_snapshots.run(world.org_a.pk, WEEK.isoformat())
    assert result == {"clients": 1, "created": 1, "updated": 0}
    assert WeeklySnapshot.objects.for_organisation(world.org_a).get().client == client
    run = SnapshotRun.objects.for_organisation(world.org_a).get()
    assert (run.week_start, run.created, run.trigger) == (WEEK, 1, "job")


def test_backfill_command(world) -> None:  # type: ignore[no-untyped-def]
    conv.setup_a(world)
    out = io.StringIO()
    until = WEEK + datetime.timedelta(weeks=3)
    call_command(
        "snapshots_backfill",
        "--weeks",
        "4",
        "--until",
        until.isoformat(),
        "--organisation",
        world.org_a.agb_code,
        stdout=out,
    )
    assert "4 weeks, 4 created" in out.getvalue()
    assert WeeklySnapshot.objects.for_organisation(world.org_a).count() == 4
    with pytest.raises(CommandError):
        call_command("snapshots_backfill", "--weeks", "0")
    with pytest.raises(CommandError):
        call_command("snapshots_backfill", "--until", "gisteren")
