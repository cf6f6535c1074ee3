"""Headers of served files: Django builds ``Content-Disposition`` (quotes and backslashes
escaped, anything outside printable ASCII percent-encoded as ``filename*``), so a name from
user data (a client's family name) can neither add a parameter nor break the header."""

from __future__ import annotations

import unicodedata

from django.utils.http import content_disposition_header


def attachment(filename: str) -> str:
    """The ``Content-Disposition`` value of a download; control characters (CR, LF, tab, ...)
    are dropped and runs of white space become one hyphen, for a tidy file name."""
    visible = "".join(char for char in filename if not unicodedata.category(char).startswith("C"))
    tidy = "-".join(visible.split()) or "download"
    return str(content_disposition_header(True, tidy))
