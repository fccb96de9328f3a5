"""Documents used in lessons are downloaded only by people who may open the
lesson: its enrolled learners and the course's editors (E05). Documents no
course lesson uses keep Wagtail's own rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from courses import services
from courses.factories import build_course

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.4 case file of a victim of trafficking"


def make_document(name="referral-form.pdf", data=SECRET):
    item = get_document_model()(title=name)
    item.file = SimpleUploadedFile(name, data)
    item.save()
    return item


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def handout():
    return make_document()


@pytest.fixture
def course(handout):
    body = [("document", {"document": handout, "title": "", "description": ""})]
    return build_course(
        title="Identifying victims",
        modules=1,
        lessons=1,
        lesson_kwargs={"body": body},
    )


def test_anonymous_visitor_is_asked_to_sign_in_for_a_lesson_document_E05(
    client, course, handout
):
    response = client.get(handout.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/documents/")
    assert SECRET not in body_of(response)


def test_learner_not_enrolled_is_refused_a_lesson_document_with_a_way_to_enrol_E05(
    client, learner, course, handout
):
    client.force_login(learner)

    response = client.get(handout.url)

    assert response.status_code == 403
    text = response.content.decode()
    assert SECRET.decode() not in text
    assert "Enrol in the course" in text
    assert "Identifying victims" in text
    assert f'href="{course.url}"' in text


def test_enrolled_learner_downloads_the_lesson_document(
    client, learner, course, handout
):
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)

    lesson = course.get_course_items()[0]
    assert handout.url in client.get(lesson.url).content.decode()
    response = client.get(handout.url)

    assert response.status_code == 200
    assert body_of(response) == SECRET


def test_withdrawn_learner_no_longer_downloads_the_lesson_document_E05(
    client, learner, course, handout
):
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    enrolment.status = "withdrawn"
    enrolment.save(update_fields=["status"])
    client.force_login(learner)

    assert client.get(handout.url).status_code == 403


def test_learner_of_another_course_is_refused_E05(client, learner, course, handout):
    other = build_course(title="Labour migration", modules=1, lessons=1)
    services.enrolment_create(user=learner, course=other, source="self")
    client.force_login(learner)

    assert client.get(handout.url).status_code == 403


def test_course_editor_downloads_the_lesson_document(client, trainer, course, handout):
    client.force_login(trainer)

    response = client.get(handout.url)

    assert response.status_code == 200
    assert body_of(response) == SECRET


def test_document_linked_from_lesson_rich_text_is_protected_too_E05(client, learner):
    linked = make_document("checklist.pdf")
    body = [
        (
            "rich_text",
            f'<p>Use the <a linktype="document" id="{linked.pk}">checklist</a>.</p>',
        )
    ]
    build_course(modules=1, lessons=1, lesson_kwargs={"body": body})

    assert client.get(linked.url).status_code == 302
    client.force_login(learner)
    assert client.get(linked.url).status_code == 403


def test_document_no_course_uses_is_left_to_wagtail(client):
    leaflet = make_document("leaflet.pdf", b"%PDF-1.4 public leaflet")

    response = client.get(leaflet.url)

    assert response.status_code == 200
    assert body_of(response) == b"%PDF-1.4 public leaflet"


def test_document_also_linked_from_the_public_course_description_stays_public(
    client, course, handout
):
    course.objectives = (
        f'<p>Read the <a linktype="document" id="{handout.pk}">form</a> first.</p>'
    )
    course.save_revision().publish()

    assert client.get(handout.url).status_code == 200
