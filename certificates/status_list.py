"""Revocation that travels with the credential: a W3C Bitstring Status List
(``https://www.w3.org/TR/vc-bitstring-status-list/``).

Every signed credential carries a ``BitstringStatusListEntry`` naming a status
list credential at a stable URL and its index in that list. The status list
is itself a credential signed with the platform's key: a GZIP-compressed
bitstring (multibase base64url) in which bit ``i`` is 1 when the certificate
at index ``i`` is no longer valid (revoked, or replaced by a newer one). An
employer holding only the JSON file fetches the list, checks its signature
against the issuer's DID document and reads one bit.

A certificate's place is derived from its primary key, so it never changes
and needs no bookkeeping; each list holds ``LIST_SIZE`` entries, the
specification's minimum (16 KiB), which hides which entry a verifier reads.
"""

import base64
import datetime
import gzip

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import signing
from .models import Certificate, CertificateStatus

LIST_SIZE = 131072
PURPOSE = "revocation"
# Verifiers may cache a list this long (the list's ``ttl``, in milliseconds,
# and the HTTP cache lifetime): a revocation shows within five minutes.
TTL_SECONDS = 300
NOT_VALID = (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED)


def position(certificate) -> tuple[int, int]:
    """(list number, index in the list) of a certificate."""
    return certificate.pk // LIST_SIZE + 1, certificate.pk % LIST_SIZE


def list_url(number: int) -> str:
    return settings.SITE_URL + reverse(
        "certificate_status_list", kwargs={"number": number}
    )


def entry_for(certificate) -> dict:
    """The ``credentialStatus`` of a certificate's credential."""
    number, index = position(certificate)
    url = list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode(indexes) -> str:
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the list is not multibase base64url")
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def is_set(encoded: str, index: int) -> bool:
    bits = decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError("the index is outside the list")
    return bool((bits[index // 8] >> (7 - index % 8)) & 1)


def _not_valid_indexes(number: int) -> list[int]:
    first = (number - 1) * LIST_SIZE
    return [
        pk - first
        for pk in Certificate.objects.filter(
            pk__gte=first, pk__lt=first + LIST_SIZE, status__in=NOT_VALID
        ).values_list("pk", flat=True)
    ]


def _iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_list_credential(number: int) -> dict:
    """The signed ``BitstringStatusListCredential`` of list ``number``, as it
    stands now."""
    url = list_url(number)
    now = _iso(timezone.now())
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signing.issuer_did(),
        "validFrom": now,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(_not_valid_indexes(number)),
            "ttl": TTL_SECONDS * 1000,
        },
    }
    return signing.sign(document, created=now)


def credential_is_listed_not_valid(credential: dict) -> bool | None:
    """Whether this platform's status list marks ``credential`` revoked:
    True or False, or None when the credential has no entry of this
    platform's lists (one issued before the lists existed)."""
    entry = credential.get("credentialStatus") if isinstance(credential, dict) else None
    if not isinstance(entry, dict) or entry.get("statusPurpose") != PURPOSE:
        return None
    url = str(entry.get("statusListCredential", ""))
    try:
        index = int(entry.get("statusListIndex", ""))
        number = int(url.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None
    if number < 1 or url != list_url(number) or not 0 <= index < LIST_SIZE:
        return None
    pk = (number - 1) * LIST_SIZE + index
    return Certificate.objects.filter(pk=pk, status__in=NOT_VALID).exists()
