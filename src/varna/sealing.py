"""Sealing: what Varna must keep about a person for a while, encrypted at rest.

A request's contact details (the address to answer, the identities given) and its answer (the
extract) are personal data that Varna needs until the request is answered and the answer
fetched. They are sealed with Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography``
package) under a key derived from the installation key for that purpose alone, so a copy of the
state database without the key reveals nothing, and the audit key itself is never used to
encrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

from varna.errors import StateError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 32-byte key for ``purpose``, derived from the installation key (HMAC-SHA256)."""
    return hmac.new(master, f"varna.{purpose}".encode(), hashlib.sha256).digest()


class Sealer:
    """Seals and opens bytes under one derived key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Sealer(<key>)"

    def _fernet(self) -> Fernet:
        from cryptography.fernet import Fernet

        return Fernet(base64.urlsafe_b64encode(self._key))

    def seal(self, data: bytes) -> bytes:
        """``data`` encrypted and authenticated."""
        return self._fernet().encrypt(data)

    def open(self, token: bytes) -> bytes:
        """The data sealed in ``token``; a StateError if it was sealed under another key or
        changed."""
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet().decrypt(token)
        except InvalidToken as exc:
            raise StateError(
                "sealed data cannot be opened: it was sealed under another installation key or "
                "changed (check VARNA_AUDIT_KEY)"
            ) from exc
