"""Importing a course outline from a spreadsheet (issue 16): modules and
lessons with titles, minutes and text, as drafts under the course; a file
with a bad row adds nothing and says which rows to correct."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import outline
from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db

PLAN = (
    "module,lesson,minutes,text\n"
    'Identification,Indicators of forced labour,20,"Look for these signs:\n'
    '- documents withheld\n- debt\n\nAsk <b>open</b> questions."\n'
    ",Interviewing presumed victims,30,\n"
    "Referral,,,\n"
)


def upload(text, name="plan.csv"):
    return SimpleUploadedFile(name, text.encode())


def test_an_outline_becomes_draft_modules_and_lessons(course, trainer):
    existing = ModulePage.objects.child_of(course).count()
    rows = outline.read_outline(upload(PLAN))
    assert [r.errors for r in rows] == [[], [], []]
    created = outline.outline_apply(course=course, rows=rows, by=trainer)
    assert created == {"modules": 2, "lessons": 2}
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    assert [m.title for m in modules[existing:]] == ["Identification", "Referral"]
    assert not any(m.live for m in modules[existing:])
    lessons = list(LessonPage.objects.child_of(modules[existing]).order_by("path"))
    assert [(page.title, page.estimated_minutes, page.live) for page in lessons] == [
        ("Indicators of forced labour", 20, False),
        ("Interviewing presumed victims", 30, False),
    ]
    html = lessons[0].body[0].value.source
    assert "<ul><li>documents withheld</li><li>debt</li></ul>" in html
    # Nothing in a cell is taken as HTML.
    assert "&lt;b&gt;open&lt;/b&gt;" in html and "<b>" not in html
    assert lessons[0].get_latest_revision().user == trainer


def test_a_bad_row_adds_nothing_and_is_named(client, course, trainer, mfa):
    before = (ModulePage.objects.count(), LessonPage.objects.count())
    bad = (
        "module,lesson,minutes,text\n"
        "Identification,Indicators,twenty,\n"
        "Referral,,15,Some text\n"
    )
    mfa(trainer)
    client.force_login(trainer)
    url = reverse("courses_outline_import", args=[course.pk])
    response = client.post(url, {"file": upload(bad)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was added" in text
    assert "Row 2" in text and "The minutes must be a number." in text
    assert "Row 3" in text and "without a lesson title" in text
    assert (ModulePage.objects.count(), LessonPage.objects.count()) == before
    response = client.post(url, {"file": upload("name\nA\n")})
    assert "must name the columns" in response.content.decode()


def test_an_xlsx_outline_is_imported_from_the_admin(client, course, trainer, mfa):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Module", "Lesson", "Minutes", "Text"])
    sheet.append(["Protection", "Shelters", 25, "Where victims can stay."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    mfa(trainer)
    client.force_login(trainer)
    url = reverse("courses_outline_import", args=[course.pk])
    assert (
        url
        in client.get(
            reverse("wagtailadmin_pages:edit", args=[course.pk])
        ).content.decode()
    )
    response = client.post(
        url, {"file": SimpleUploadedFile("plan.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title="Shelters")
    assert lesson.estimated_minutes == 25 and not lesson.live
    assert lesson.get_parent().get_parent().pk == course.pk
