"""The JSON parser of the API: a body that is not plain, finite JSON of a sane depth answers
400 with a clear message (never a server error)."""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]  # not in the stubs

# No request body of this API nests deeper than a few levels; 32 leaves ample room.
MAX_DEPTH = 32


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ParseError(_("Het getal %(value)s is te groot.") % {"value": text[:40]})
    return value


def _no_constant(text: str) -> Any:
    raise ParseError(_("%(value)s is geen geldig getal in JSON.") % {"value": text})


def _depth_within(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


class SafeJSONParser(JSONParser):
    """JSON without NaN, Infinity or numbers beyond a float (``1e999``), nested at most
    ``MAX_DEPTH`` levels."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
        except RecursionError as exc:
            raise ParseError(self._too_deep()) from exc
        except ValueError as exc:
            raise ParseError(_("Ongeldige JSON: %(error)s") % {"error": exc}) from exc
        if not _depth_within(data, MAX_DEPTH):
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("De JSON is te diep genest (hoogstens %(max)d niveaus).") % {"max": MAX_DEPTH}
