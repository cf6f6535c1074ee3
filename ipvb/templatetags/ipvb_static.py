"""``{% inline_static "css/document.css" %}``: the text of one of our own static files, for
documents rendered to PDF by WeasyPrint (ipvb.pdf fetches nothing, so styles are inlined).
Pages in the browser link the same file instead: the Content-Security-Policy allows no
inline style there."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@lru_cache(maxsize=16)
def _read(path: str) -> str:
    found = finders.find(path)
    if not found or isinstance(found, list):
        raise template.TemplateSyntaxError(f"Static file not found: {path}")
    return Path(found).read_text(encoding="utf-8")


@register.simple_tag
def inline_static(path: str) -> SafeString:
    # Our own file from static/, never user input: safe to emit as is inside <style>.
    return mark_safe(_read(path))  # noqa: S308
