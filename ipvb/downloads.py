"""Headers of served files: Django builds ``Content-Disposition`` (quotes and backslashes
escaped, anything outside printable ASCII percent-encoded as ``filename*``), so a name from
user data (a client's family name) can neither add a parameter nor break the header."""

from __future__ import annotations

import unicodedata

from django.utils.http import content_disposition_header

# Characters a file name from user data keeps: letters and digits (any script; Django sends
# non-ASCII as ``filename*``), and . - _ ; everything else (quotes, ; \ / control characters)
# becomes a hyphen, so no client ever has to unescape anything.
_KEEP = frozenset("._-")


def attachment(filename: str) -> str:
    """The ``Content-Disposition`` value of a download, built by Django from a tidy name."""
    tidy = "".join(char if char.isalnum() or char in _KEEP else "-" for char in filename)
    while "--" in tidy:
        tidy = tidy.replace("--", "-")
    tidy = tidy.strip("-.") or "download"
    return str(content_disposition_header(True, unicodedata.normalize("NFC", tidy)))
