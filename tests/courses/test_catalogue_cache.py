"""The catalogue keeps what is the same for every visitor (the cards, the
cover renditions) in the content cache, and reads only the visitor's own
enrolments for each request (issue 12)."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from courses import services
from courses.demo import _draw
from courses.factories import build_course, course_index
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_image(title="Cover"):
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(_draw("referral")), name="cover.png")
    image.save()
    return image


def card_image(html):
    match = re.search(r'<img[^>]+class="course-card-image"[^>]*>', html)
    return match.group(0) if match else None


def test_cover_rendition_is_made_once_not_on_every_request(client, monkeypatch):
    """The first visit may make the card's rendition; later visits reuse it
    and never open the original image again (the catalogue's cards were
    cached before the rendition existed, and every request made it anew)."""
    build_course(modules=1, lessons=1, title="Covered", cover_image=make_image())
    url = course_index("en").url
    first = client.get(url).content.decode()
    assert "/media/images/" in card_image(first)

    made = []
    image_model = get_image_model()
    original = image_model.generate_rendition_file

    def counting(self, *args, **kwargs):
        made.append(self.pk)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(image_model, "generate_rendition_file", counting)
    for _ in range(3):
        again = client.get(url).content.decode()
        assert card_image(again) == card_image(first)
    assert made == []


def test_publishing_a_course_shows_on_the_catalogue_at_once(client):
    course = build_course(modules=1, lessons=1, title="Before the change")
    url = course_index("en").url
    assert "Before the change" in client.get(url).content.decode()

    course.title = "After the change"
    course.save_revision().publish()

    page = client.get(url).content.decode()
    assert "After the change" in page
    assert "Before the change" not in page


def test_each_learner_sees_only_their_own_enrolment_on_the_cards(client):
    """Two learners, one cached catalogue: the badges and progress are each
    learner's own (never one learner's data served to another)."""
    course = build_course(modules=1, lessons=2, title="Shared course")
    enrolled, other = UserFactory(), UserFactory()
    services.enrolment_create(user=enrolled, course=course, source="self")
    services.item_progress_record(
        user=enrolled, page=course.get_course_items()[0], completed=True
    )
    url = course_index("en").url

    client.force_login(enrolled)
    mine = client.get(url).content.decode()
    client.force_login(other)
    theirs = client.get(url).content.decode()
    client.logout()
    anonymous = client.get(url).content.decode()

    assert "In progress" in mine and "50%" in mine
    for page in (theirs, anonymous):
        assert "Shared course" in page
        assert "In progress" not in page and "50%" not in page
