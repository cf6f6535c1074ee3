"""What the catalogue services share when they check input: ``Errors`` collects Dutch messages
per field and raises them together (then nothing is saved); ``date_text`` writes a date in
those messages; ``set_period`` starts or ends the active period of an activity or an item."""

from __future__ import annotations

import datetime
from typing import Protocol

from django.core.exceptions import ValidationError


def date_text(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


class Errors:
    """Collects messages per field; ``raise_if_any`` raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def merge(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for message in errors:
                    if message not in self.errors.get(field, []):
                        self.add(field, message)
        else:
            for message in exc.messages:
                self.add("__all__", message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


class HasPeriod(Protocol):
    active_from: datetime.date
    active_until: datetime.date | None

    def is_active_on(self, on_date: datetime.date) -> bool: ...


def set_period(obj: HasPeriod, *, active: bool, on_date: datetime.date) -> None:
    """Active from ``on_date`` (a period that ended before starts again that day; the past
    stays as it was), or no longer active from ``on_date``."""
    if active:
        if obj.is_active_on(on_date):
            return
        if obj.active_until is not None and obj.active_until <= on_date:
            obj.active_from = on_date
        obj.active_until = None
    else:
        if obj.active_until is not None and obj.active_until <= on_date:
            return
        obj.active_until = max(on_date, obj.active_from)
