"""Private keys and token PINs at rest: sealed with AES-256-GCM under a key derived (HKDF-SHA256)
from ``EGOV_SIGNING_KEY_ENCRYPTION_KEY``. The associated data names the certificate, so a sealed
key copied onto another certificate's row does not open."""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
NONCE_BYTES = 12


class KeystoreError(Exception):
    """Sealed material that does not open: wrong encryption key or altered data."""


def _key() -> bytes:
    secret = settings.EGOV_SIGNING_KEY_ENCRYPTION_KEY
    if not secret:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "Set EGOV_SIGNING_KEY_ENCRYPTION_KEY to store or use signing keys in production."
            )
        secret = settings.SECRET_KEY
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"egov.signatures.keystore",
        info=b"signing keys v1",
    ).derive(secret.encode())


def seal(plaintext: bytes, context: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(_key()).encrypt(nonce, plaintext, context.encode())


def unseal(sealed: bytes, context: str) -> bytes:
    sealed = bytes(sealed)
    if sealed[:1] != VERSION:
        raise KeystoreError("unknown keystore format")
    nonce, ciphertext = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return AESGCM(_key()).decrypt(nonce, ciphertext, context.encode())
    except InvalidTag as exc:
        raise KeystoreError("sealed key does not open with the configured key") from exc
