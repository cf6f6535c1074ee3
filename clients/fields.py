"""``EncryptedBsnField``: the BSN column holds a Fernet token (clients.bsn_crypto); in Python
the attribute is the plain BSN. No lookup works on it (a random IV makes every ciphertext
different): filter on ``bsn_hash`` through ``Client.objects...with_bsn(bsn)`` instead, and
any forgotten ``filter(bsn=...)`` fails loudly instead of silently finding nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from . import bsn_crypto


class EncryptedBsnField(models.CharField):
    description = "A BSN, encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return bsn_crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return bsn_crypto.encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"Lookup '{lookup_name}' on the encrypted BSN is not possible; filter on bsn_hash "
            "(clients.bsn_crypto.digest) instead."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError("The encrypted BSN has no transforms; filter on bsn_hash instead.")


class BsnHashField(models.CharField):
    """The keyed hash of the instance's ``bsn``, recomputed on every save (bulk_create too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        bsn = getattr(model_instance, "bsn", None)
        value = bsn_crypto.digest(bsn) if bsn else getattr(model_instance, self.attname)
        setattr(model_instance, self.attname, value)
        return value
