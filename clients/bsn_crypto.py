"""The BSN at rest: encrypted (Fernet, through ``cryptography``'s MultiFernet for key
rotation) and, for exact lookup and the per-organisation uniqueness rule, a keyed hash
(HMAC-SHA256). Keys come from the environment (docs/configuration.md, docs/security.md):

* ``IPVB_BSN_KEYS``: one or more Fernet keys, comma-separated. The first encrypts; every key
  decrypts. Rotation: put a new key first, run ``manage.py rotate_bsn_keys``, then drop the
  old key.
* ``IPVB_BSN_HASH_KEY``: the HMAC key of ``Client.bsn_hash``. Changing it needs
  ``manage.py rotate_bsn_keys`` right after (it recomputes every hash from the decrypted BSN).

The demo and the tests run with fixed, public development keys; production refuses to start
without its own (ipvb.settings.production)."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .formulas import normalise_bsn


class BsnDecryptionError(RuntimeError):
    """A stored BSN could not be decrypted with any configured key (wrong or missing key)."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("IPVB_BSN_KEYS is empty: set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "IPVB_BSN_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.IPVB_BSN_KEYS))


def encrypt(bsn: str) -> str:
    return fernet().encrypt(bsn.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise BsnDecryptionError(
            "A stored BSN cannot be decrypted with the configured IPVB_BSN_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypts a stored value with the first (newest) key."""
    return fernet().rotate(token.encode()).decode()


def digest(bsn: object) -> str:
    """The keyed hash of a BSN (normalised first), 64 hex characters."""
    key = settings.IPVB_BSN_HASH_KEY
    if not key:
        raise ImproperlyConfigured("IPVB_BSN_HASH_KEY is empty.")
    return hmac.new(key.encode(), normalise_bsn(bsn).encode(), hashlib.sha256).hexdigest()


def looks_encrypted(value: str) -> bool:
    # Every Fernet token starts with version byte 0x80, "gAAAAA" in url-safe base64.
    return value.startswith("gAAAAA")
