"""Pre- and post-test scores collected on paper at a session: the grid, the
spreadsheet upload, who entered them, scope, and their place in the
knowledge gain and the report tables."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.models import PaperResult
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country
from workshops import services
from workshops.forms import ScoreError, parse_score

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(course, make_session, trainer, enrol):
    session = make_session()
    albanian = UserFactory(
        full_name="Arta Albanian",
        email="arta@example.org",
        country=Country.objects.get(code="AL"),
    )
    georgian = UserFactory(
        full_name="Giorgi Georgian",
        email="giorgi@example.org",
        country=Country.objects.get(code="GE"),
    )
    for person in (albanian, georgian):
        enrol(person, course)
        services.registration_create(user=person, session=session, by=trainer)
    return session, albanian, georgian


def url(session):
    return f"/en/workshops/staff/sessions/{session.pk}/paper-results/"


def test_parse_score_reads_what_trainers_type():
    assert parse_score("72") == Decimal("72.0")
    assert parse_score(" 72,5 % ") == Decimal("72.5")
    assert parse_score("14/20") == Decimal("70.0")
    assert parse_score("2/3") == Decimal("66.7")
    assert parse_score("") is None
    for bad in ("abc", "120", "-1", "5/0", "NaN", "1e3", "21/20"):
        with pytest.raises(ScoreError):
            parse_score(bad)


def test_trainer_enters_scores_in_the_grid_and_they_count_in_the_gain(
    client, course, people, trainer, mfa
):
    session, albanian, georgian = people
    mfa(trainer)
    client.force_login(trainer)
    body = client.get(url(session)).content.decode()
    assert "Arta Albanian" in body and "Giorgi Georgian" in body
    response = client.post(
        url(session),
        {
            f"pre-{albanian.pk}": "14/20",
            f"was-pre-{albanian.pk}": "",
            f"post-{albanian.pk}": "85,5",
            f"was-post-{albanian.pk}": "",
            f"pre-{georgian.pk}": "40",
            f"was-pre-{georgian.pk}": "",
            f"post-{georgian.pk}": "",
            f"was-post-{georgian.pk}": "",
        },
        follow=True,
    )
    assert "3 scores saved." in response.content.decode()
    saved = {
        (r.user_id, r.kind): (r.percent, r.entered_by_id, r.course_key)
        for r in PaperResult.objects.all()
    }
    assert saved == {
        (albanian.pk, "pretest"): (Decimal("70"), trainer.pk, course.translation_key),
        (albanian.pk, "posttest"): (
            Decimal("85.5"),
            trainer.pk,
            course.translation_key,
        ),
        (georgian.pk, "pretest"): (Decimal("40"), trainer.pk, course.translation_key),
    }
    # Only the learner with both tests is a pair: 70 -> 85.5.
    gain = assessment_selectors.knowledge_gain(course_key=course.translation_key)
    assert gain["learners"] == 1
    assert (gain["pre"], gain["post"], gain["gain"]) == (
        Decimal("70.00"),
        Decimal("85.50"),
        Decimal("15.50"),
    )
    assert gain["normalised_gain"] == Decimal("0.517")
    # The grid shows who entered them.
    body = client.get(url(session)).content.decode()
    assert "entered by Nino Beridze" in body
    assert 'value="85.5"' in body


def test_paper_and_online_scores_feed_the_report_tables(course, people, trainer):
    from training_platform.reports.models import EnrolmentFact
    from training_platform.reports.services import report_refresh

    session, albanian, _georgian = people
    assessment_services.paper_results_save(
        course_key=course.translation_key,
        session_key=session.translation_key,
        scores={
            (albanian.pk, "pretest"): Decimal("30"),
            (albanian.pk, "posttest"): Decimal("80"),
        },
        by=trainer,
    )
    report_refresh()
    fact = EnrolmentFact.objects.get(user=albanian)
    assert (fact.pre_score, fact.post_score) == (Decimal("30"), Decimal("80"))


def test_a_wrong_score_saves_nothing_and_keeps_what_was_typed(
    client, people, trainer, mfa
):
    session, albanian, georgian = people
    mfa(trainer)
    client.force_login(trainer)
    response = client.post(
        url(session),
        {
            f"pre-{albanian.pk}": "55",
            f"was-pre-{albanian.pk}": "",
            f"pre-{georgian.pk}": "120",
            f"was-pre-{georgian.pk}": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in body
    assert 'value="120"' in body and 'value="55"' in body
    assert 'aria-invalid="true"' in body
    assert not PaperResult.objects.exists()


def test_only_the_scores_changed_in_the_form_are_written(
    client, course, people, trainer, administrator, mfa
):
    """Two people with the grid open: the second form still shows the first
    learner's box empty, and saving it does not erase what the first saved."""
    session, albanian, georgian = people
    mfa(trainer)
    client.force_login(trainer)
    client.post(
        url(session), {f"pre-{albanian.pk}": "50", f"was-pre-{albanian.pk}": ""}
    )
    client.post(
        url(session),
        {
            f"pre-{albanian.pk}": "",  # stale: it was empty when this form loaded
            f"was-pre-{albanian.pk}": "",
            f"post-{georgian.pk}": "60",
            f"was-post-{georgian.pk}": "",
        },
    )
    saved = dict(
        PaperResult.objects.values_list("user_id", "percent").order_by("user_id")
    )
    assert saved == {albanian.pk: Decimal("50"), georgian.pk: Decimal("60")}
    # Emptying a box that showed a score removes it.
    client.post(
        url(session), {f"pre-{albanian.pk}": "", f"was-pre-{albanian.pk}": "50"}
    )
    assert not PaperResult.objects.filter(user=albanian).exists()


def test_a_spreadsheet_fills_the_grid_and_its_bad_rows_are_named(
    client, people, trainer, mfa
):
    session, albanian, georgian = people
    outsider = UserFactory(email="outsider@example.org")
    mfa(trainer)
    client.force_login(trainer)
    sheet = io.BytesIO(
        (
            "E-mail;Pre-test;Post-test\n"
            "ARTA@example.org;12/20;18/20\n"
            f"{outsider.email};50;60\n"
            "giorgi@example.org;abc;90\n"
        ).encode()
    )
    sheet.name = "scores.csv"
    response = client.post(url(session), {"action": "upload", "file": sheet})
    body = response.content.decode()
    assert "not saved yet" in body
    assert "Row 3" in body and "not one of the participants" in body
    assert "Row 4" in body and "abc is not a score" in body
    assert 'value="12/20"' in body and 'value="18/20"' in body
    assert not PaperResult.objects.exists()  # nothing saved by reading a file


def test_an_empty_cell_in_a_file_erases_nothing(client, course, people, trainer, mfa):
    session, albanian, _georgian = people
    assessment_services.paper_results_save(
        course_key=course.translation_key,
        session_key=session.translation_key,
        scores={(albanian.pk, "posttest"): Decimal("80")},
        by=trainer,
    )
    mfa(trainer)
    client.force_login(trainer)
    sheet = io.BytesIO(b"email,pre,post\narta@example.org,40,\n")
    sheet.name = "scores.csv"
    body = client.post(url(session), {"action": "upload", "file": sheet})
    body = body.content.decode()
    assert f'name="pre-{albanian.pk}" value="40"' in body
    assert f'name="post-{albanian.pk}" value="80"' in body


def test_an_xlsx_sheet_is_read_too(client, people, trainer, mfa):
    session, albanian, _georgian = people
    workbook = Workbook()
    workbook.active.append(["email", "pre", "post"])
    workbook.active.append(["arta@example.org", 45, 75.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "scores.xlsx"
    mfa(trainer)
    client.force_login(trainer)
    body = client.post(url(session), {"action": "upload", "file": buffer})
    body = body.content.decode()
    assert 'value="45"' in body and 'value="75.5"' in body
    bad = io.BytesIO(b"name,score\nA,1\n")
    bad.name = "scores.csv"
    body = client.post(url(session), {"action": "upload", "file": bad})
    assert "must name the columns: e-mail, pre-test, post-test" in (
        body.content.decode()
    )


def test_coordinator_enters_scores_only_for_their_countries_e02(
    client, people, coordinator, mfa
):
    """E02: the grid lists only the coordinator's learners; a score posted for
    another learner is not written."""
    session, albanian, georgian = people
    mfa(coordinator)
    client.force_login(coordinator)
    body = client.get(url(session)).content.decode()
    assert "Arta Albanian" in body and "Giorgi Georgian" not in body
    client.post(
        url(session),
        {
            f"pre-{albanian.pk}": "40",
            f"was-pre-{albanian.pk}": "",
            f"pre-{georgian.pk}": "99",
            f"was-pre-{georgian.pk}": "",
        },
    )
    assert list(PaperResult.objects.values_list("user_id", flat=True)) == [albanian.pk]
    # The same address in a file reads like an unknown one.
    sheet = io.BytesIO(b"email,pre,post\ngiorgi@example.org,10,20\n")
    sheet.name = "scores.csv"
    body = client.post(url(session), {"action": "upload", "file": sheet})
    assert "not one of the participants" in body.content.decode()


def test_learners_may_not_open_the_grid(client, people):
    session, albanian, _georgian = people
    client.force_login(albanian)
    assert client.get(url(session)).status_code == 403


def test_the_service_and_the_database_refuse_impossible_scores(course, people, trainer):
    from django.db import IntegrityError, transaction

    session, albanian, _georgian = people
    with pytest.raises(ValueError):
        assessment_services.paper_results_save(
            course_key=course.translation_key,
            session_key=session.translation_key,
            scores={(albanian.pk, "pretest"): Decimal("101")},
            by=trainer,
        )
    with pytest.raises(ValueError):
        assessment_services.paper_results_save(
            course_key=course.translation_key,
            session_key=session.translation_key,
            scores={(albanian.pk, "final"): Decimal("50")},
            by=trainer,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperResult.objects.create(
            user=albanian,
            course_key=course.translation_key,
            session_key=session.translation_key,
            kind="pretest",
            percent=Decimal("150"),
        )
    assert not PaperResult.objects.exists()
