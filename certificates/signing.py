"""Signed credentials: every issued certificate is also an Open Badges 3.0
``OpenBadgeCredential`` (a W3C Verifiable Credential) with a Data Integrity
proof, cryptosuite ``eddsa-jcs-2022``, made with the platform's Ed25519 key.

The issuer is ``did:web:<site host>``; its DID document, served at
``/.well-known/did.json``, carries the public key as a Multikey, so an employer
can check a credential offline with any Data Integrity library.

The key comes from ``CERTIFICATE_SIGNING_KEY`` (required in production); the
embedded mode generates one on first use in ``VAR_DIR`` (mode 0600).
"""

import base64
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KEY_ID = "key-1"
_ED25519_MULTICODEC = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, remainder = divmod(number, 58)
        out = _B58[remainder] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def canonical_json(value) -> bytes:
    """JSON Canonicalization Scheme (RFC 8785) for the values used here:
    objects with string keys, arrays, strings, integers, booleans, null."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


# ---------------------------------------------------------------- keys

_LOCK = threading.Lock()
_KEY: Ed25519PrivateKey | None = None


def _parse_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
    else:
        raw = base64.b64decode(text, validate=True)
        if len(raw) != 32:
            raise ValueError("the raw Ed25519 key must be 32 bytes")
        key = Ed25519PrivateKey.from_private_bytes(raw)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


def key_file() -> Path:
    return Path(settings.VAR_DIR) / "certificate-signing-key.pem"


def _embedded_key() -> Ed25519PrivateKey:
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            # O_EXCL: when several processes start at once, one key wins.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as stream:
                stream.write(pem)
            logger.info("generated the certificate signing key in %s", path)
    return _parse_key(path.read_text())


def load_signing_key() -> Ed25519PrivateKey:
    """The platform's private key; raises ImproperlyConfigured when the
    configured key is unusable or, in production, missing."""
    configured = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if configured:
        try:
            return _parse_key(configured)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"CERTIFICATE_SIGNING_KEY is not a usable Ed25519 key: {error}"
            ) from error
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "CERTIFICATE_SIGNING_KEY must be set when PLATFORM_ENV=production"
        )
    return _embedded_key()


def signing_key() -> Ed25519PrivateKey:
    global _KEY
    with _LOCK:
        if _KEY is None:
            _KEY = load_signing_key()
        return _KEY


def reset_key_cache():
    global _KEY
    with _LOCK:
        _KEY = None


def public_key_multibase(public_key: Ed25519PublicKey | None = None) -> str:
    public_key = public_key or signing_key().public_key()
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return "z" + base58btc(_ED25519_MULTICODEC + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("only base58btc multibase keys are supported")
    decoded = base58btc_decode(value[1:])
    if decoded[:2] != _ED25519_MULTICODEC or len(decoded) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


# ---------------------------------------------------------------- issuer


def issuer_did() -> str:
    """``did:web`` of the site: host (and port, percent-encoded) of SITE_URL."""
    parts = urlsplit(settings.SITE_URL)
    did = "did:web:" + quote(parts.netloc, safe="")
    path = parts.path.strip("/")
    if path:
        did += ":" + ":".join(quote(segment, safe="") for segment in path.split("/"))
    return did


def verification_method() -> str:
    return f"{issuer_did()}#{KEY_ID}"


def did_document() -> dict:
    did = issuer_did()
    method = {
        "id": verification_method(),
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": public_key_multibase(),
    }
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


# ---------------------------------------------------------------- proofs


def _hash_data(document: dict, proof_options: dict) -> bytes:
    options = dict(proof_options)
    options.pop("proofValue", None)
    options["@context"] = document.get("@context")
    return (
        hashlib.sha256(canonical_json(options)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def sign(document: dict, *, created: str) -> dict:
    """``document`` with an ``eddsa-jcs-2022`` DataIntegrityProof added."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": verification_method(),
        "proofPurpose": "assertionMethod",
    }
    signature = signing_key().sign(_hash_data(unsigned, proof))
    proof["proofValue"] = "z" + base58btc(signature)
    return {**unsigned, "proof": proof}


def verify(document: dict, public_key: Ed25519PublicKey | None = None) -> bool:
    """Whether the proof of ``document`` checks out with ``public_key`` (by
    default the platform's own)."""
    try:
        proof = document["proof"]
        if proof.get("cryptosuite") != "eddsa-jcs-2022":
            return False
        value = proof["proofValue"]
        if not value.startswith("z"):
            return False
        signature = base58btc_decode(value[1:])
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        key = public_key or signing_key().public_key()
        key.verify(signature, _hash_data(unsigned, proof))
        return True
    except (InvalidSignature, KeyError, TypeError, ValueError, AttributeError):
        return False


def verify_bytes(data: bytes, public_key: Ed25519PublicKey | None = None) -> bool:
    """Like ``verify`` for a credential as downloaded."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(document, dict) and verify(document, public_key)
