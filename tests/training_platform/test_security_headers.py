"""The site's Content-Security-Policy (design rule 1, A24, B11)."""

import pytest

pytestmark = pytest.mark.django_db


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ") if part}


def test_public_pages_forbid_inline_and_foreign_scripts(client):
    response = client.get("/en/")
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert response["Permissions-Policy"].startswith("camera=()")


def test_lesson_pages_may_frame_the_h5p_content_origin_and_video_providers(client):
    response = client.get("/en/accounts/login/", HTTP_HOST="127.0.0.1:8000")
    frames = policy(response)["frame-src"]
    assert "http://localhost:8000" in frames
    assert "https://www.youtube-nocookie.com" in frames
    assert "*" not in frames


def test_admin_is_left_to_wagtail(client, administrator, mfa):
    mfa(administrator)
    client.force_login(administrator)
    assert "Content-Security-Policy" not in client.get("/admin/")


def test_views_that_set_their_own_policy_keep_it(rf):
    from django.http import HttpResponse

    from training_platform.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("<p>x</p>")
        response["Content-Security-Policy"] = "sandbox allow-scripts"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/en/"))
    assert response["Content-Security-Policy"] == "sandbox allow-scripts"


def test_previews_may_be_framed_by_the_editor_only(client, trainer, mfa):
    """A Wagtail preview (made from a request of its own that runs through
    this middleware) is shown in the editor's frame on this site: its policy
    allows this origin as the frame's parent, nothing else (B11)."""
    from assessments.factories import make_question
    from tests.courses.admin_forms import _FormFields

    question = make_question("truefalse", title="True or false")
    mfa(trainer)
    client.force_login(trainer)
    edit = client.get(f"/admin/snippets/assessments/question/edit/{question.pk}/")
    form = _FormFields("w-editor-form")
    form.feed(edit.content.decode())
    url = f"/admin/snippets/assessments/question/preview/{question.pk}/"
    client.post(url, dict(form.fields))
    csp = policy(client.get(url + "?mode=en&in_preview_panel=true"))
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    # Pages of the site stay unframeable.
    assert policy(client.get("/en/"))["frame-ancestors"] == ["'none'"]
