"""The one WeasyPrint helper: renders a template to HTML and PDF. The HTML is returned too, so
tests can assert on content and the same template serves as the print page. No resource is
fetched from the network: styles are inlined by the template, other URLs are refused."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string


@dataclass
class RenderedPdf:
    html: str
    pdf: bytes
    problems: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)
    raise ValueError(f"External resource refused in PDF: {url}")


def render_pdf(template_name: str, context: dict[str, Any], request: Any = None) -> RenderedPdf:
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "pdf_mode": True}, request=request)
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        pdf = HTML(string=html, url_fetcher=_refuse_fetch, base_url="/").write_pdf()
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(html=html, pdf=pdf, problems=collector.messages)
