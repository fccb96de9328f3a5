"""A content language added to ``PLATFORM_CONTENT_LANGUAGES`` gets what
Russian has (issue 14): its home page and course catalogue translated from the
interface catalogues, the trainers' page permissions on its catalogue, and its
page tree kept in step with the English one by wagtail-localize."""

import pytest
from django.test import override_settings
from wagtail.models import GroupPagePermission, Locale

from courses.models import CourseIndexPage
from courses.reference_data import ensure_course_catalogue
from training_platform.accounts import roles
from training_platform.home.models import HomePage
from training_platform.home.reference_data import ensure_site_structure

pytestmark = pytest.mark.django_db

WITH_UKRAINIAN = [("en", "English"), ("ru", "Русский"), ("uk", "Українська")]


@override_settings(WAGTAIL_CONTENT_LANGUAGES=WITH_UKRAINIAN)
def test_a_new_content_language_gets_its_home_catalogue_and_permissions(client):
    from wagtail_localize.models import LocaleSynchronization

    ukrainian = Locale.objects.get(language_code="uk")
    assert not CourseIndexPage.objects.filter(locale=ukrainian).exists()
    for _ in range(2):  # runs after every migrate: the second run adds nothing
        ensure_site_structure()
        ensure_course_catalogue()
    home = HomePage.objects.get(locale=ukrainian)
    assert home.live and home.title == "Навчальна платформа для фахівців із захисту"
    assert "постраждалих від торгівлі людьми" in home.intro
    index = CourseIndexPage.objects.get(locale=ukrainian)
    assert index.live and index.title == "Курси"
    assert index.intro.startswith("<p>Безкоштовні онлайн-курси")
    assert index.get_parent().specific == home
    assert GroupPagePermission.objects.filter(
        group__name=roles.TRAINERS, page=index, permission__codename="change_page"
    ).exists()
    assert (
        LocaleSynchronization.objects.get(locale=ukrainian).sync_from.language_code
        == "en"
    )
    # Russian, set up before, is left as it was.
    assert CourseIndexPage.objects.filter(locale__language_code="ru").count() == 1
    response = client.get(index.url)
    assert response.status_code == 200
    assert "Безкоштовні онлайн-курси" in response.content.decode()
