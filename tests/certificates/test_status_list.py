"""Revocation travels with the credential (D03): every signed credential
carries a W3C Bitstring Status List entry; the status list is a signed
credential at a stable URL, so an employer holding only the JSON file can
find out offline that it was revoked. The verification pages put the status
first and never show a revoked certificate's signature in green."""

import base64
import gzip
import json
from urllib.parse import urlsplit

import pytest

from certificates import services, signing

pytestmark = pytest.mark.django_db


def _download(client, certificate):
    response = client.get(f"/en/verify/{certificate.code}/credential.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _bit(encoded_list, index):
    """Read one status the way any verifier does: multibase base64url (``u``),
    GZIP, bit 0 the most significant bit of the first byte."""
    assert encoded_list.startswith("u")
    text = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert len(bits) * 8 >= 131072  # the minimum size, for herd privacy
    return (bits[index // 8] >> (7 - index % 8)) & 1


def _status_of(client, credential):
    """What an offline verifier concludes from the credential alone: fetch
    its status list, check the list's signature with the issuer's published
    key, read the bit."""
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    url = entry["statusListCredential"]
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    status_list = json.loads(response.content)
    assert status_list["id"] == url
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["issuer"] == credential["issuer"]["id"]
    did = client.get("/.well-known/did.json").json()
    key = signing.public_key_from_multibase(
        did["verificationMethod"][0]["publicKeyMultibase"]
    )
    assert signing.verify(credential, key)
    assert signing.verify(status_list, key), "the status list must be signed"
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    revoked = _bit(subject["encodedList"], int(entry["statusListIndex"]))
    return "revoked" if revoked else "active"


def test_revoked_credential_is_revoked_by_its_signed_status_list_D03(
    client, learner, administrator, make_certificate, django_user_model
):
    other = django_user_model.objects.create_user(
        email="other@example.org", password="x", full_name="Other Learner"
    )
    kept = make_certificate(other)
    certificate = make_certificate(learner)
    downloaded = _download(client, certificate)
    assert _status_of(client, downloaded) == "active"

    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Issued in error"
    )
    # The file the learner downloaded before the revocation says revoked now.
    assert _status_of(client, downloaded) == "revoked"
    assert _status_of(client, _download(client, certificate)) == "revoked"
    assert _status_of(client, _download(client, kept)) == "active"


def test_reissued_certificate_revokes_the_old_credential_only(
    client, learner, administrator, make_certificate
):
    old = make_certificate(learner)
    old_credential = _download(client, old)
    new = services.certificate_reissue(
        certificate=old, by=administrator, reason="Name corrected"
    )
    assert _status_of(client, old_credential) == "revoked"
    assert _status_of(client, _download(client, new)) == "active"


def test_revoked_certificate_page_shows_status_first_and_no_green_signature_D03(
    client, learner, administrator, make_certificate
):
    certificate = make_certificate(learner)
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Issued in error"
    )
    html = client.get(f"/en/verify/{certificate.code}/").content.decode()
    assert "Revoked" in html
    assert "Signature verified" not in html
    assert "badge-success" not in html
    assert html.index("Revoked") < html.index("Digital signature")
    assert "not valid" in html[html.index("Digital signature") :]


def test_valid_certificate_page_still_shows_the_verified_signature(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    html = client.get(f"/en/verify/{certificate.code}/").content.decode()
    assert "Signature verified" in html


def test_pasted_revoked_credential_is_reported_revoked_not_valid_D03(
    client, learner, administrator, make_certificate
):
    certificate = make_certificate(learner)
    data = client.get(f"/en/verify/{certificate.code}/credential.json").content
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Issued in error"
    )
    html = client.post(
        "/en/verify/credential/", {"credential": data.decode()}
    ).content.decode()
    assert "message-success" not in html
    assert "The signature checks out" not in html
    assert "revoked" in html
