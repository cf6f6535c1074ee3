"""PDFs rendered once and served again (issue 16): the PDF of an agreed package version and of
a stored transparency report.

WeasyPrint is the expensive part of a PDF (about 100 ms of CPU for a package, against about
9 ms for its context and HTML). A stored PDF keeps the SHA-256 of the HTML it was rendered
from; a request renders only the HTML (with the stored ``rendered_at`` as the moment shown in
the document) and serves the stored PDF when the hash is the same. Whatever changes what the
document shows (a signature added, a contact person or name changed, the status superseded,
another language, a changed template) changes the HTML, and the PDF is rendered again and
replaces the stored one. So the PDF served is always the one a fresh rendering at
``rendered_at`` would give: identical in content."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ipvb.pdf import render_pdf

from .models import StoredPdf

ContextFactory = Callable[[datetime.datetime], dict[str, Any]]


def html_sha256(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def current_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def stored_or_rendered(
    *,
    model: type[StoredPdf],
    organisation_id: int,
    owner: dict[str, Any],
    template_name: str,
    context: ContextFactory,
    request: Any = None,
    store: bool = True,
) -> bytes:
    """The PDF of ``template_name`` for the object named by ``owner`` (e.g. ``{"package": p}``)
    in the active language. ``context(moment)`` gives the template context as of ``moment``
    (the time shown as "printed at"). ``store=False`` (a draft) renders and stores nothing."""
    if not store:
        return render_pdf(template_name, context(timezone.now()), request=request).pdf
    language = current_language()
    rows = model.objects.for_organisation(organisation_id).filter(**owner, language=language)  # type: ignore[attr-defined]
    stored = rows.first()
    if stored is not None:
        html = render_to_string(
            template_name, {**context(stored.rendered_at), "pdf_mode": True}, request=request
        )
        if html_sha256(html) == stored.html_sha256:
            return bytes(stored.pdf)
    now = timezone.now()
    rendered = render_pdf(template_name, context(now), request=request)
    values = {"html_sha256": html_sha256(rendered.html), "pdf": rendered.pdf, "rendered_at": now}
    try:
        with transaction.atomic():  # a savepoint inside a request's transaction
            rows.update_or_create(
                **owner,
                language=language,
                defaults=values,
                create_defaults={**values, "organisation_id": organisation_id},
            )
    except IntegrityError:
        pass  # stored at the same moment by a concurrent request: theirs is as good as ours
    return rendered.pdf
