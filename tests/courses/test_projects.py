"""Projects (funded programmes) and the courses that belong to them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from courses.models import CoursePage, Project
from training_platform.accounts.models import Country

pytestmark = pytest.mark.django_db


def make_project(**kwargs):
    values = {
        "code": "prj-wb-2026",
        "name": "Protection in the Western Balkans",
        "donor": "European Union",
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
    }
    values.update(kwargs)
    return Project.objects.create(**values)


def test_project_code_is_stored_in_capitals_and_unique():
    project = make_project()
    assert project.code == "PRJ-WB-2026"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(code="PRJ-WB-2026 ")


def test_project_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(end_date=datetime.date(2025, 12, 31))
    project = Project(
        code="X1",
        name="x",
        donor="y",
        start_date=datetime.date(2026, 1, 2),
        end_date=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "end_date" in error.value.message_dict


def test_project_code_refuses_spaces_and_symbols():
    project = Project(
        code="EU / 2026", name="x", donor="y", start_date=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "code" in error.value.message_dict


def test_a_course_can_belong_to_several_projects(course):
    first = make_project()
    second = make_project(code="PRJ-CA-2026", donor="USAID")
    first.countries.set(Country.objects.filter(code__in=["AL", "RS"]))
    course.projects.set([first, second])
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    assert set(course.projects.values_list("code", flat=True)) == {
        "PRJ-WB-2026",
        "PRJ-CA-2026",
    }
    assert list(first.courses.all()) == [course]
    assert set(first.countries.values_list("code", flat=True)) == {"AL", "RS"}


def test_projects_are_managed_as_snippets_by_administrators(administrator, mfa):
    make_project()
    mfa(administrator)
    client = Client()
    client.force_login(administrator)
    listing = client.get(reverse("wagtailsnippets_courses_project:list"))
    assert listing.status_code == 200
    assert "PRJ-WB-2026" in listing.content.decode()
    found = client.get(
        reverse("wagtailsnippets_courses_project:list"), {"q": "Balkans"}
    )
    assert "PRJ-WB-2026" in found.content.decode()
    response = client.post(
        reverse("wagtailsnippets_courses_project:add"),
        {
            "code": "prj-ua-2027",
            "name": "Labour migration in Ukraine",
            "donor": "Swiss Agency for Development and Cooperation",
            "countries": [Country.objects.get(code="UA").pk],
            "start_date": "2027-01-01",
            "end_date": "2027-06-30",
        },
    )
    assert response.status_code == 302
    assert Project.objects.get(code="PRJ-UA-2027").countries.get().code == "UA"


def test_trainers_and_coordinators_may_see_but_not_change_projects(
    trainer, coordinator, mfa
):
    project = make_project()
    for user in (trainer, coordinator):
        mfa(user)
        client = Client()
        client.force_login(user)
        edit = client.get(
            reverse("wagtailsnippets_courses_project:edit", args=[project.pk])
        )
        assert edit.status_code in (302, 403)
        assert user.has_perm("courses.view_project")
        assert not user.has_perm("courses.change_project")
