"""JSON errors with a clear message; Django validation errors become 400, not 500."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from ipvb.concurrency import StaleEdit


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleEdit):
        # Optimistic locking (ipvb.concurrency): someone changed the record since it was read.
        transaction.set_rollback(True)
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        # The one place a service's ValidationError becomes a 400: views and viewsets call the
        # services without try/except. Messages without a field go under non_field_errors,
        # like a serializer's.
        detail: Any = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DataError):
        # A value the database cannot hold (a date or offset out of range, a number too big):
        # the request was wrong, not the server. Nothing is saved.
        transaction.set_rollback(True)
        return Response(
            {
                "detail": _(
                    "Een waarde in het verzoek valt buiten het toegestane bereik; er is niets gewijzigd."
                )
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, IntegrityError):
        transaction.set_rollback(True)
        return Response(
            {"detail": _("De wijziging botst met bestaande gegevens en is niet opgeslagen.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
