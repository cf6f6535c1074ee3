"""Under /api/ every error is JSON with a clear message, also when it does not come from a DRF
view (an unknown URL, a server error, a refused host): clients of the API never get HTML."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# Headers of the original answer that describe its body; the JSON answer brings its own.
BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "content-language"})


def error_message(status: int) -> str:
    if status == 404:
        return _("Niet gevonden.")
    if status == 403:
        return _("U hebt geen toegang tot deze gegevens.")
    if status == 405:
        return _("Deze methode is hier niet toegestaan.")
    if status >= 500:
        return _(
            "Er ging aan onze kant iets mis; de fout is vastgelegd en er is niets gewijzigd. "
            "Probeer het later opnieuw."
        )
    return _("Het verzoek is ongeldig.")


class APIJSONErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self.as_json(response)
        return response

    @staticmethod
    def as_json(response: HttpResponse) -> JsonResponse:
        replacement = JsonResponse(
            {"detail": error_message(response.status_code)}, status=response.status_code
        )
        for name, value in response.headers.items():
            if name.lower() not in BODY_HEADERS:
                replacement.headers[name] = value
        replacement.cookies = response.cookies
        return replacement
