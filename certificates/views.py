"""Public verification, the learner's own certificates and the template
preview. Views hold no rules: reads go through ``selectors``, writes through
``services``."""

import base64
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import codes, gates, rendering, selectors, signing, status_list, throttle
from .models import PdfStatus

NOINDEX = "noindex, nofollow, noarchive"
MAX_CREDENTIAL_BYTES = 64 * 1024


def _public(response):
    """Verification pages are for people holding a code, not for search
    engines, and never cached by shared caches."""
    response["X-Robots-Tag"] = NOINDEX
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _throttled(request):
    return _public(render(request, "certificates/verify_throttled.html", status=429))


def _not_found(request, typed=""):
    """The same page for a malformed, unknown, pending or never-issued code,
    so that answers reveal nothing but "not found" (D01)."""
    return _public(
        render(
            request,
            "certificates/verify.html",
            {"not_found": True, "typed": typed[:64]},
            status=404,
        )
    )


@never_cache
@require_GET
def verify(request):
    """The form to type a code; a typed code is looked up and, when found,
    the browser goes to the certificate's stable URL."""
    typed = (request.GET.get("code") or "").strip()
    if not typed:
        return _public(render(request, "certificates/verify.html", {}))
    if not throttle.allow(request, "verify"):
        return _throttled(request)
    certificate = selectors.certificate_for_code(typed)
    if certificate is None:
        return _not_found(request, typed)
    return redirect("certificates_public:detail", code=certificate.code)


@never_cache
@require_GET
def verify_detail(request, code):
    if not throttle.allow(request, "verify"):
        return _throttled(request)
    certificate = selectors.certificate_for_code(code)
    if certificate is None:
        return _not_found(request, code)
    if code != certificate.code:
        return redirect("certificates_public:detail", code=certificate.code)
    credential = selectors.credential_for(certificate)
    context = {
        "certificate": certificate,
        "status": certificate.public_status,
        "signature_valid": signing.verify(credential),
        "issuer_did": signing.issuer_did(),
        "public_key": signing.public_key_multibase(),
    }
    return _public(render(request, "certificates/verify_detail.html", context))


@never_cache
@require_GET
def credential(request, code):
    """The signed Open Badges 3.0 credential, for wallets and employers who
    check it offline."""
    if not throttle.allow(request, "verify"):
        return _throttled(request)
    certificate = selectors.certificate_for_code(code)
    if certificate is None:
        return _not_found(request, code)
    body = json.dumps(
        selectors.credential_for(certificate), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/vc+ld+json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.json"'
    )
    return _public(response)


@never_cache
@require_http_methods(["GET", "POST"])
def check_credential(request):
    """Paste a credential (JSON) to check its signature against the
    platform's published key and see the certificate's current status."""
    context = {}
    if request.method == "POST":
        if not throttle.allow(request, "verify"):
            return _throttled(request)
        data = (request.POST.get("credential") or "").encode("utf-8")
        context["submitted"] = True
        if len(data) > MAX_CREDENTIAL_BYTES:
            context["signature_valid"] = False
        else:
            context["signature_valid"] = signing.verify_bytes(data)
            if context["signature_valid"]:
                document = json.loads(data)
                code = str(document.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
                certificate = selectors.certificate_for_code(code)
                context["certificate"] = certificate
                # The status decides; a good signature only says who issued
                # the file and that it is unchanged.
                status = certificate.public_status if certificate else "unknown"
                if status_list.credential_is_listed_not_valid(document) and (
                    status == "valid"
                ):
                    status = "revoked"
                context["status"] = status
    return _public(render(request, "certificates/check_credential.html", context))


@require_GET
def status_list_credential(request, number):
    """The signed Bitstring Status List credential that every credential's
    ``credentialStatus`` points to: how a verifier holding only the JSON file
    learns that it was revoked."""
    if number < 1:
        raise Http404
    body = json.dumps(status_list.status_list_credential(number), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/vc+ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={status_list.TTL_SECONDS}"
    return response


@require_GET
def did_document(request):
    """``did:web`` document of the issuer: the public key that verifies every
    credential (``/.well-known/did.json``)."""
    response = JsonResponse(signing.did_document())
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


# ---------------------------------------------------------------- learners


def linkedin_url(certificate) -> str:
    issued = timezone.localtime(certificate.issued_at)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": _(settings.WAGTAIL_SITE_NAME),
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": rendering.verify_url(certificate.code),
        "certId": codes.format_code(certificate.code),
    }
    if certificate.expires_at:
        expires = timezone.localtime(certificate.expires_at)
        params.update(expirationYear=expires.year, expirationMonth=expires.month)
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def certificate_cards(user):
    cards = []
    for certificate in selectors.certificates_of(user):
        issued = certificate.status != "pending"
        cards.append(
            {
                "certificate": certificate,
                "status": certificate.public_status,
                "ready": issued and certificate.pdf_status == PdfStatus.READY,
                # In the reader's language here; the printed link has none.
                "verify_url": reverse(
                    "certificates_public:detail", kwargs={"code": certificate.code}
                )
                if issued
                else "",
                "linkedin_url": linkedin_url(certificate)
                if certificate.public_status == "valid"
                else "",
            }
        )
    return cards


@login_required
def my_certificates(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"cards": certificate_cards(request.user)},
    )


@login_required
def download(request, pk, kind):
    """The learner's own PDF or PNG; anybody else's is a 404 (D02)."""
    certificate = selectors.certificate_of(request.user, pk)
    if certificate is None or certificate.pdf_status != PdfStatus.READY:
        raise Http404
    first = gates.first_stop(request.user, certificate)
    if first:
        return redirect(f"{first}?{urlencode({'next': request.get_full_path()})}")
    field = certificate.pdf if kind == "pdf" else certificate.png
    if not field:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=f"certificate-{certificate.code}.{kind}",
        content_type="application/pdf" if kind == "pdf" else "image/png",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = NOINDEX
    return response


# ---------------------------------------------------------------- preview


SAMPLE_NAME = "Александра Константиновна Воскресенская-Преображенская"


def template_preview(request, template, mode_name):
    """A sample certificate from the template as edited (not yet saved): a
    long Cyrillic name, today's date, a sample code."""
    from datetime import timedelta
    from decimal import Decimal

    now = timezone.now()
    data = rendering.CertificateData(
        code=codes.generate(),
        learner_name=SAMPLE_NAME,
        course_title=_("Identifying and referring victims of trafficking"),
        course_title_secondary="Identifying and referring victims of trafficking",
        template=template.snapshot(),
        completed_at=now,
        issued_at=now,
        expires_at=now + timedelta(days=730),
        score=Decimal("92"),
        hours=Decimal("16"),
    )
    pdf = rendering.render_pdf(data)
    if mode_name == "pdf":
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response
    png = base64.b64encode(rendering.render_png(pdf, width_px=1400)).decode("ascii")
    return render(
        request,
        "certificates/admin/preview.html",
        {"image": f"data:image/png;base64,{png}", "template": template},
    )


def verify_path(code) -> str:
    return reverse("certificates_public:detail", kwargs={"code": code})
