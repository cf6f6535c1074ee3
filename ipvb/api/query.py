"""Query-string parameters parsed like a request body: a serializer declares them, and a wrong
value answers 400 keyed by the parameter (``{"date": ["..."]}``), never a 500 or a silent
default. An empty parameter counts as absent."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from ..validators import validate_care_date


class CareDateField(serializers.DateField):
    """A date as JJJJ-MM-DD within the range the application accepts for care dates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": _("Gebruik een datum als JJJJ-MM-DD.")})
        kwargs.setdefault("validators", [validate_care_date])
        super().__init__(**kwargs)


def query_params(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The declared parameters of the query string, validated (a 400 when one is wrong)."""
    names = serializer_class().get_fields().keys()
    data = {name: value for name in names if (value := request.query_params.get(name))}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
