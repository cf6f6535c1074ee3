"""What the transparency models (``reporting.models``) and the programme models
(``reporting.programme.models``) share: the money field size, the progress of a report build
and a stored report that is never changed or deleted. Abstract: no tables of their own."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class ImmutableReportError(RuntimeError):
    pass


class BuildProgress(models.Model):
    """A request to build a report, run by a Celery task: its status, progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        SUCCEEDED = "succeeded", _("Gereed")
        FAILED = "failed", _("Mislukt")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class StoredReport(models.Model):
    """A stored report: never changed or deleted (a rebuild stores a new one)."""

    changed_message: ClassVar[str]
    deleted_message: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableReportError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableReportError(self.deleted_message)
