"""Compact JWS (RFC 7515) with the keys of X.509 certificates: RS256 for RSA keys, ES256 for
P-256 keys. Clients sign each call with the key of their registered certificate; the platform
signs its message log records the same way."""

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class JWSError(Exception):
    """A token that cannot be read or whose signature does not hold."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise JWSError("not base64url") from exc


def algorithm_for(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise JWSError("only RSA and P-256 keys are supported")


def sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sign(key: PrivateKey, claims: dict[str, Any], kid: str) -> str:
    header = {"alg": algorithm_for(key), "kid": kid, "typ": "JWT"}
    signing_input = ".".join(
        b64(json.dumps(part, separators=(",", ":"), sort_keys=True).encode())
        for part in (header, claims)
    )
    return f"{signing_input}.{b64(sign_bytes(key, signing_input.encode()))}"


def verify_bytes(key: PublicKey, signature: bytes, data: bytes) -> None:
    """Raises :class:`JWSError` unless ``signature`` (JWS form: raw r||s for ES256) holds."""
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return
        if len(signature) != 64:
            raise JWSError("ES256 signature has the wrong length")
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise JWSError("signature does not verify") from exc


def header_of(token: str) -> dict[str, Any]:
    """The header, unverified: it names the key that :func:`verify` then checks with."""
    parts = token.split(".")
    if len(parts) != 3:
        raise JWSError("a compact JWS has three parts")
    try:
        header = json.loads(unb64(parts[0]))
    except ValueError as exc:
        raise JWSError("header is not JSON") from exc
    if not isinstance(header, dict):
        raise JWSError("header is not an object")
    return header


def verify(key: PublicKey, token: str) -> dict[str, Any]:
    """The claims of ``token`` if ``key`` signed it, else :class:`JWSError`."""
    header = header_of(token)
    if header.get("alg") != algorithm_for(key):  # never "none", never an HMAC with a public key
        raise JWSError("algorithm does not match the key")
    head, payload, signature_text = token.split(".")
    verify_bytes(key, unb64(signature_text), f"{head}.{payload}".encode())
    try:
        claims = json.loads(unb64(payload))
    except ValueError as exc:
        raise JWSError("claims are not JSON") from exc
    if not isinstance(claims, dict):
        raise JWSError("claims are not an object")
    return claims
