"""Exports of the dashboard's tables and of the learner lists (CSV and XLSX):
figures as on the dashboard, the filters written at the top, translated
headers, small-cell suppression, formula injection (F01), the viewer's scope
(E01, E02) and large lists built by a worker."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from training_platform import spreadsheets
from training_platform.reports import exports, services, tasks
from training_platform.reports.models import ExportStatus, ReportExport
from training_platform.reports.selectors import ReportFilters, report_for

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://x","y")'
FORMULA_ORG = "+cmd|' /C calc'!A0"
AT_ORG = "@SUM(1)"
FORMULA_COURSE = "-2+3 Labour migration"


def at(year, month, day=10):
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


@dataclass
class ExportData:
    course_a: object
    course_b: object
    course_ge: object
    people: dict


def make_export_data():
    """Serbia: eight learners in course A (six completed in October 2026),
    three of them also in course B; Albania: three learners (small numbers);
    Georgia (outside the coordinator's countries): two learners, one course
    only they take."""
    from assessments.factories import make_assessment
    from assessments.models import AssessmentResult
    from certificates.models import Certificate
    from courses.factories import build_course
    from courses.models import Enrolment, ModulePage
    from training_platform.accounts.factories import OrganisationFactory, UserFactory
    from training_platform.accounts.models import Country

    rs, al, ge = (Country.objects.get(code=code) for code in ("RS", "AL", "GE"))
    ministry = OrganisationFactory(name="Ministry RS", kind="government", country=rs)
    formula_org = OrganisationFactory(name=FORMULA_ORG, kind="ngo", country=rs)
    at_org = OrganisationFactory(name=AT_ORG, kind="ngo", country=al)
    ge_org = OrganisationFactory(name="Ministry GE", kind="government", country=ge)
    course_a = build_course(title="Victim identification", slug="x-victims", modules=1)
    course_b = build_course(title=FORMULA_COURSE, slug="x-labour", modules=1)
    course_ge = build_course(title="Georgia-only course", slug="x-georgia", modules=1)
    final = make_assessment(
        ModulePage.objects.child_of(course_a).first(), title="Final", kind="final"
    )

    people = {}

    def person(key, country, organisation, sex="female", name=None):
        people[key] = UserFactory(
            email=f"{key}@example.org",
            full_name=name or f"Person {key.upper()}",
            country=country,
            organisation=organisation,
            sex=sex,
        )
        return people[key]

    def enrol(user, course, status="active", completed=None, enrolled=None):
        return Enrolment.objects.create(
            user=user,
            course_key=course.translation_key,
            course=course,
            status=status,
            enrolled_at=enrolled or at(2026, 10, 2),
            completed_at=completed,
        )

    for n in range(8):
        organisation = formula_org if n % 2 else ministry
        name = FORMULA_NAME if n == 0 else None
        user = person(f"rs{n}", rs, organisation, "male" if n % 3 else "female", name)
        if n < 6:
            enrolment = enrol(user, course_a, "completed", at(2026, 10, 20))
            AssessmentResult.objects.create(
                user=user,
                assessment_key=final.translation_key,
                course_key=course_a.translation_key,
                page=final,
                kind="final",
                percent=Decimal("70") + n,
                passed=True,
                attempts_finished=1,
            )
            Certificate.objects.create(
                user=user,
                course_key=course_a.translation_key,
                enrolment=enrolment,
                status="issued",
                learner_name=user.full_name,
                course_title=course_a.title,
                issued_at=enrolment.completed_at,
                completed_at=enrolment.completed_at,
            )
        else:
            enrol(user, course_a)
        if n < 3:
            enrol(user, course_b, enrolled=at(2026, 9, 5))
    for n in range(3):
        user = person(f"al{n}", al, at_org)
        enrol(user, course_a, "completed" if n == 0 else "active", at(2026, 10, 25))
    for n in range(2):
        user = person(f"ge{n}", ge, ge_org, name=f"Giorgi Outside{n}")
        enrol(user, course_ge, "completed", at(2026, 10, 21))
        enrol(user, course_a)
    services.report_refresh()
    return ExportData(course_a, course_b, course_ge, people)


@pytest.fixture
def export_data(db):
    return make_export_data()


@pytest.fixture
def signed_in(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        return client

    return login


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(spreadsheets.BOM)
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def read_xlsx(content: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return workbook.worksheets[0]


def split(rows):
    """The lines before the blank line, the header and the table."""
    blank = (
        rows.index([])
        if [] in rows
        else next(
            i for i, row in enumerate(rows) if not any(v not in (None, "") for v in row)
        )
    )
    return rows[:blank], rows[blank + 1], rows[blank + 2 :]


def xlsx_rows(sheet):
    return [
        [cell for cell in row if cell is not None]
        for row in sheet.iter_rows(values_only=True)
    ]


def by_first(rows):
    return {row[0]: row for row in rows}


# ---------------------------------------------------------------- figures


def test_country_csv_matches_the_report_figures(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    response = client.get("/en/coordinator/export/country.csv?suppress=0")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="report-country-{timezone.localdate():%Y-%m-%d}.csv"' in (
        disposition
    )
    _top, header, rows = split(read_csv(response))
    assert header[:3] == ["Country", "Learners", "Enrolments"]
    expected = report_for(coordinator, ReportFilters()).breakdowns["country"]
    got = by_first(rows)
    assert set(got) == {row["label"] for row in expected} == {"Serbia", "Albania"}
    column = {name: header.index(str(label)) for name, label in exports.FIGURES}
    for row in expected:
        line = got[row["label"]]
        for name in ("learners", "enrolments", "completed", "active", "certificates"):
            assert line[column[name]] == str(row[name])
        assert line[column["completion_rate"]] == str(row["completion_rate"])
    assert got["Serbia"][column["enrolments"]] == "11"
    assert got["Serbia"][column["completed"]] == "6"


def test_country_xlsx_matches_the_report_with_numbers_as_numbers(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    response = client.get("/en/coordinator/export/country.xlsx?suppress=0")
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = read_xlsx(response.content)
    _top, header, rows = split(xlsx_rows(sheet))
    serbia = by_first(rows)["Serbia"]
    expected = {
        row["label"]: row
        for row in report_for(coordinator, ReportFilters()).breakdowns["country"]
    }["Serbia"]
    column = {name: header.index(str(label)) for name, label in exports.FIGURES}
    assert serbia[column["enrolments"]] == expected["enrolments"] == 11
    assert isinstance(serbia[column["enrolments"]], int)
    assert isinstance(serbia[column["completion_rate"]], float | int)
    assert (
        Decimal(str(serbia[column["completion_rate"]])) == (expected["completion_rate"])
    )
    assert Decimal(str(serbia[column["average_score"]])) == expected["average_score"]
    numeric = [
        cell.data_type
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == expected["enrolments"]
    ]
    assert numeric and set(numeric) == {"n"}


def test_headline_export_lists_the_headline_figures(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    rows = read_csv(client.get("/en/coordinator/export/headline.csv?suppress=0"))
    _top, header, table = split(rows)
    assert header == ["Figure", "Value"]
    figures = {row[0]: row[1] for row in table}
    headline = report_for(coordinator, ReportFilters()).headline
    assert figures["Learners"] == str(headline["learners"]) == "11"
    assert figures["Enrolments"] == str(headline["enrolments"]) == "14"
    assert figures["Completed"] == str(headline["completed"]) == "7"
    assert figures["Valid certificates"] == str(headline["certificates_valid"])


def test_month_export_lists_enrolments_and_completions_by_month(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    sheet = read_xlsx(
        client.get("/en/coordinator/export/month.xlsx?suppress=0").content
    )
    _top, header, rows = split(xlsx_rows(sheet))
    assert header == ["Month", "Enrolments", "Completions"]
    months = {
        row["key"]: row for row in report_for(coordinator, ReportFilters()).months
    }
    got = by_first(rows)
    assert got["2026-10"][1:] == [
        months[datetime(2026, 10, 1).date()]["enrolments"],
        months[datetime(2026, 10, 1).date()]["completed"],
    ]
    assert got["2026-10"][1:] == [11, 7]
    assert got["2026-09"][1:] == [3, 0]


def test_every_table_exports_in_both_formats(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    today = f"{timezone.localdate():%Y-%m-%d}"
    for table in exports.TABLES:
        for fmt in exports.FORMATS:
            response = client.get(f"/en/coordinator/export/{table}.{fmt}")
            assert response.status_code == 200, (table, fmt)
            assert response["Content-Type"] == exports.content_type(fmt)
            assert response["Content-Disposition"] == (
                f'attachment; filename="report-{table}-{today}.{fmt}"'
            )
            assert "no-store" in response["Cache-Control"]


def test_unknown_table_or_format_is_not_found(coordinator, signed_in):
    client = signed_in(coordinator)
    assert client.get("/en/coordinator/export/people.csv").status_code == 404
    assert client.get("/en/coordinator/export/country.pdf").status_code == 404


def test_learners_cannot_export(export_data, learner, client):
    client.force_login(learner)
    assert client.get("/en/coordinator/export/learners.csv").status_code == 403


# ---------------------------------------------------------------- top lines


def test_filters_in_force_are_written_at_the_top(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    response = client.get("/en/coordinator/export/course.csv?country=RS&sex=male")
    top, header, rows = split(read_csv(response))
    assert top[0] == ["By course"]
    assert ["Filters:"] in top
    assert ["Country", "Serbia"] in top
    assert ["Sex", "Male"] in top
    as_of = next(row for row in top if row[0] == "Figures as of")
    assert as_of[1].startswith(f"{timezone.localdate():%Y-%m-%d}")
    assert any(row[0].startswith("Numbers below 5 are hidden") for row in top)
    assert header[0] == "Course"
    # Only Serbian men: rs1, rs2, rs4, rs5, rs7 in course A; rs1, rs2 in B.
    # B's 2 is hidden, and so is A's 5, which with the total would give it.
    got = by_first(rows)
    assert got["Victim identification"][2] == "…"
    assert got["'" + FORMULA_COURSE][2] == "< 5"


def test_an_unfiltered_export_says_so(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    top, _header, _rows = split(
        read_csv(client.get("/en/coordinator/export/country.csv?suppress=0"))
    )
    assert ["Filters:", "none"] in top
    assert ["Exact numbers: small numbers are not hidden."] in top


def test_headers_are_translated_in_russian(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    response = client.get("/ru/coordinator/export/country.csv?suppress=0")
    assert response.status_code == 200
    _top, header, rows = split(read_csv(response))
    with translation.override("ru"):
        expected = [str(exports.DIMENSIONS["country"])] + [
            str(label) for _name, label in exports.FIGURES
        ]
    assert header == expected
    assert header[:3] == ["Страна", "Слушатели", "Записи на курсы"]
    sheet = read_xlsx(client.get("/ru/coordinator/export/learners.xlsx").content)
    _top, header, _rows = split(xlsx_rows(sheet))
    assert header[:1] == ["Слушатель"]
    assert "Курс" in header


# ---------------------------------------------------------------- suppression


def test_small_numbers_are_hidden_by_default(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    _top, header, rows = split(
        read_csv(client.get("/en/coordinator/export/country.csv"))
    )
    albania = by_first(rows)["Albania"]
    column = {name: header.index(str(label)) for name, label in exports.FIGURES}
    assert albania[column["enrolments"]] == "< 5"
    assert albania[column["learners"]] == "< 5"
    assert albania[column["completion_rate"]] == "…"
    # Serbia's 11 under a headline of 14 would give Albania's 3 away.
    serbia = by_first(rows)["Serbia"]
    assert serbia[column["enrolments"]] == "…"
    sheet = read_xlsx(client.get("/en/coordinator/export/country.xlsx").content)
    _top, header, rows = split(xlsx_rows(sheet))
    assert by_first(rows)["Albania"][column["enrolments"]] == "< 5"
    months = by_first(
        split(read_csv(client.get("/en/coordinator/export/month.csv")))[2]
    )
    assert months["2026-09"][1] == "< 5"


def test_suppress_0_shows_exact_numbers(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    _top, header, rows = split(
        read_csv(client.get("/en/coordinator/export/country.csv?suppress=0"))
    )
    column = {name: header.index(str(label)) for name, label in exports.FIGURES}
    assert by_first(rows)["Albania"][column["enrolments"]] == "3"


def test_the_learner_list_is_not_suppressed(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    _top, _header, rows = split(
        read_csv(client.get("/en/coordinator/export/learners.csv?country=AL"))
    )
    assert len(rows) == 3


# ---------------------------------------------------------------- F01


@pytest.mark.parametrize(
    "text",
    [
        FORMULA_NAME,
        FORMULA_ORG,
        AT_ORG,
        "-1+2",
        "+1",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        " \t@SUM(A1)",
        "＝1+1",
    ],
)
def test_formula_like_text_is_prefixed_in_csv_F01(text):
    assert spreadsheets.safe_text(text) == "'" + text
    assert spreadsheets.csv_cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone_F01():
    assert spreadsheets.safe_text("Ana Petrović") == "Ana Petrović"
    assert spreadsheets.csv_cell(-3) == "-3"
    assert spreadsheets.csv_cell(Decimal("-2.5")) == "-2.5"
    assert spreadsheets.csv_cell(None) == ""


def test_csv_exports_neutralise_formulas_F01(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    body = read_csv(client.get("/en/coordinator/export/learners.csv"))
    _top, header, rows = split(body)
    names = [row[0] for row in rows]
    assert "'" + FORMULA_NAME in names
    assert FORMULA_NAME not in names
    organisations = {row[header.index("Organisation")] for row in rows}
    assert {"'" + FORMULA_ORG, "'" + AT_ORG} <= organisations
    courses = {row[header.index("Course")] for row in rows}
    assert "'" + FORMULA_COURSE in courses
    every_cell = [cell for row in body for cell in row]
    assert not any(cell.lstrip().startswith(("=", "+", "@")) for cell in every_cell)
    organisation_table = split(
        read_csv(client.get("/en/coordinator/export/organisation.csv?suppress=0"))
    )[2]
    assert {"'" + FORMULA_ORG, "'" + AT_ORG} <= set(by_first(organisation_table))
    course_table = split(
        read_csv(client.get("/en/coordinator/export/course.csv?suppress=0"))
    )[2]
    assert "'" + FORMULA_COURSE in by_first(course_table)


def test_xlsx_exports_write_formulas_as_text_cells_F01(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    for url in (
        "/en/coordinator/export/learners.xlsx",
        "/en/coordinator/export/organisation.xlsx?suppress=0",
        "/en/coordinator/export/course.xlsx?suppress=0",
    ):
        content = client.get(url).content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml
        sheet = read_xlsx(content)
        cells = {
            cell.value: cell.data_type
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        }
        risky = {FORMULA_NAME, FORMULA_ORG, AT_ORG, FORMULA_COURSE} & set(cells)
        assert risky, url
        assert {cells[value] for value in risky} == {"s"}
    sheet = read_xlsx(client.get("/en/coordinator/export/learners.xlsx").content)
    values = {cell for row in xlsx_rows(sheet) for cell in row}
    assert {FORMULA_NAME, FORMULA_ORG, AT_ORG, FORMULA_COURSE} <= values


# ---------------------------------------------------------------- scope (E01)


def test_no_export_shows_another_countrys_learners_E01(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    outside = ("Georgia", "Outside", "ge0@", "ge1@", "Ministry GE", "Georgia-only")
    for table in exports.TABLES:
        for fmt in exports.FORMATS:
            for query in ("suppress=0", "country=GE&suppress=0"):
                response = client.get(f"/en/coordinator/export/{table}.{fmt}?{query}")
                assert response.status_code == 200
                if fmt == "csv":
                    text = b"".join(response.streaming_content).decode()
                else:
                    sheet = read_xlsx(response.content)
                    text = "\n".join(
                        str(cell) for row in xlsx_rows(sheet) for cell in row
                    )
                for word in outside:
                    assert word not in text, (table, fmt, query, word)


def test_forged_country_parameter_gives_the_coordinators_own_figures_E01(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    forged = split(
        read_csv(client.get("/en/coordinator/export/country.csv?country=GE&suppress=0"))
    )
    plain = split(read_csv(client.get("/en/coordinator/export/country.csv?suppress=0")))
    assert set(by_first(forged[2])) == {"Serbia", "Albania"}
    assert forged[2] == plain[2]
    assert ["Country", "Georgia"] not in forged[0]
    learners = split(
        read_csv(client.get("/en/coordinator/export/learners.csv?country=GE"))
    )[2]
    assert len(learners) == 14
    assert {row[2] for row in learners} == {"Serbia", "Albania"}


def test_an_administrator_exports_every_country(export_data, administrator, signed_in):
    client = signed_in(administrator)
    rows = split(read_csv(client.get("/en/coordinator/export/country.csv?suppress=0")))
    assert set(by_first(rows[2])) == {"Serbia", "Albania", "Georgia"}


def test_learner_list_export_follows_the_drill_down(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    completed = split(
        read_csv(client.get("/en/coordinator/export/learners.csv?metric=completed"))
    )
    assert ["Figure", "Completed"] in completed[0]
    assert len(completed[2]) == 7
    assert {row[completed[1].index("Status")] for row in completed[2]} == {"Completed"}
    september = split(
        read_csv(
            client.get("/en/coordinator/export/learners.csv?enrolled_month=2026-09")
        )
    )
    assert ["Enrolled in", "2026-09"] in september[0]
    assert len(september[2]) == 3
    assert {row[september[1].index("Course")] for row in september[2]} == {
        "'" + FORMULA_COURSE
    }
    october = split(
        read_csv(
            client.get("/en/coordinator/export/learners.csv?completed_month=2026-10")
        )
    )
    assert len(october[2]) == 7


def test_learner_xlsx_has_dates_and_scores_as_values(
    export_data, coordinator, signed_in
):
    client = signed_in(coordinator)
    sheet = read_xlsx(
        client.get("/en/coordinator/export/learners.xlsx?metric=completed").content
    )
    _top, header, rows = split(xlsx_rows(sheet))
    row = next(r for r in rows if r[1] == "rs1@example.org")
    assert row[header.index("Enrolled")] == datetime(2026, 10, 2)
    assert row[header.index("Final score")] == 71


# ---------------------------------------------------------------- worker


@pytest.fixture
def small_async(settings):
    settings.REPORTS_ASYNC_EXPORT_ROWS = 2
    settings.REPORTS_EXPORT_TTL_HOURS = 24


def ask_for_export(client, capture, url="/en/coordinator/export/learners.xlsx"):
    with capture(execute=True):
        response = client.get(url)
    assert response.status_code == 302
    return ReportExport.objects.get(), response


def test_a_long_learner_list_is_built_by_a_worker(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    client = signed_in(coordinator)
    export, response = ask_for_export(
        client,
        django_capture_on_commit_callbacks,
        "/en/coordinator/export/learners.xlsx?country=RS&metric=enrolments",
    )
    assert response["Location"] == f"/en/coordinator/exports/{export.pk}/"
    assert export.requested_by == coordinator
    assert export.params == {"country": ["RS"], "metric": ["enrolments"]}
    assert export.language == "en"
    assert export.status == ExportStatus.READY
    assert export.rows == 11
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/en/coordinator/exports/{export.pk}/download/" in html
    assert 'http-equiv="refresh"' not in html
    download = client.get(f"/en/coordinator/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert download["Content-Disposition"].startswith("attachment;")
    assert "report-learners-" in download["Content-Disposition"]
    sheet = read_xlsx(b"".join(download.streaming_content))
    top, header, rows = split(xlsx_rows(sheet))
    assert ["Country", "Serbia"] in top
    assert len(rows) == 11
    assert {row[header.index("Country")] for row in rows} == {"Serbia"}


def test_a_short_list_is_built_in_the_request(
    export_data, coordinator, signed_in, small_async
):
    client = signed_in(coordinator)
    response = client.get(
        "/en/coordinator/export/learners.csv?country=AL&metric=completed"
    )
    assert response.status_code == 200
    assert ReportExport.objects.count() == 0


def test_a_csv_list_is_built_by_the_worker_too(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    client = signed_in(coordinator)
    export, _response = ask_for_export(
        client,
        django_capture_on_commit_callbacks,
        "/en/coordinator/export/learners.csv",
    )
    download = client.get(f"/en/coordinator/exports/{export.pk}/download/")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(download.streaming_content).decode("utf-8")
    assert body.startswith(spreadsheets.BOM)
    rows = split(list(csv.reader(io.StringIO(body[1:], newline=""))))[2]
    assert len(rows) == export.rows == 14
    assert "'" + FORMULA_NAME in {row[0] for row in rows}


def test_the_status_page_refreshes_while_the_file_is_prepared(
    export_data, coordinator, signed_in, small_async
):
    client = signed_in(coordinator)
    with translation.override("en"):
        export = services.export_request(
            viewer=coordinator,
            table="learners",
            fmt="xlsx",
            params={},
            language="en",
        )
    page = client.get(f"/en/coordinator/exports/{export.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "being prepared" in page
    assert client.get(f"/en/coordinator/exports/{export.pk}/download/").status_code == (
        302
    )


def test_another_coordinator_cannot_see_or_download_an_export(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    from training_platform.accounts.factories import CoordinatorFactory
    from training_platform.accounts.models import Country

    client = signed_in(coordinator)
    export, _response = ask_for_export(client, django_capture_on_commit_callbacks)
    other = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    client = signed_in(other)
    assert client.get(f"/en/coordinator/exports/{export.pk}/").status_code == 404
    assert (
        client.get(f"/en/coordinator/exports/{export.pk}/download/").status_code == 404
    )


def test_an_expired_export_is_gone_and_purged(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    client = signed_in(coordinator)
    export, _response = ask_for_export(client, django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    ReportExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    download = client.get(f"/en/coordinator/exports/{export.pk}/download/")
    assert download.status_code == 410
    assert "expired" in download.content.decode()
    status = client.get(f"/en/coordinator/exports/{export.pk}/").content.decode()
    assert "expired" in status and "http-equiv" not in status
    tasks.purge_expired_exports.delay()
    assert not ReportExport.objects.filter(pk=export.pk).exists()
    assert not storage.exists(name)


def test_purge_keeps_exports_that_have_not_expired(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    client = signed_in(coordinator)
    export, _response = ask_for_export(client, django_capture_on_commit_callbacks)
    assert services.exports_purge() == 0
    assert export.file.storage.exists(export.file.name)
    assert services.exports_purge(now=export.expires_at + timedelta(seconds=1)) == 1


def test_building_twice_is_harmless(
    export_data,
    coordinator,
    signed_in,
    small_async,
    django_capture_on_commit_callbacks,
):
    client = signed_in(coordinator)
    export, _response = ask_for_export(client, django_capture_on_commit_callbacks)
    first = (export.file.name, export.rows, export.finished_at)
    tasks.build_export.delay(export.pk)
    services.export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.file.name, export.rows, export.finished_at) == first
    assert ReportExport.objects.count() == 1
    files = list(export.file.storage.listdir(export.file.name.rsplit("/", 2)[0])[0])
    assert len(files) == 1


def test_a_missing_export_is_a_no_op():
    assert services.export_build(export_id=987654) is None


def test_the_scope_is_read_again_when_the_file_is_built_E02(
    export_data, coordinator, small_async
):
    """A country removed between the request and the build is not in the
    file."""
    from training_platform.accounts import services as accounts
    from training_platform.accounts.models import Country

    export = services.export_request(
        viewer=coordinator, table="learners", fmt="csv", params={}, language="en"
    )
    accounts.coordinator_set_countries(
        user=coordinator, countries=list(Country.objects.filter(code="RS"))
    )
    export = services.export_build(export_id=export.pk)
    assert export.status == ExportStatus.READY
    assert export.rows == 11
    with export.file.open("rb") as handle:
        text = handle.read().decode("utf-8")
    assert "Albania" not in text and "Georgia" not in text


def test_an_export_of_someone_no_longer_a_coordinator_fails_clearly(
    export_data, coordinator, small_async
):
    from training_platform.accounts import roles
    from training_platform.accounts import services as accounts

    export = services.export_request(
        viewer=coordinator, table="learners", fmt="xlsx", params={}, language="en"
    )
    accounts.role_revoke(user=coordinator, role=roles.COORDINATORS)
    export = services.export_build(export_id=export.pk)
    assert export.status == ExportStatus.FAILED
    assert not export.file
    assert "no longer a coordinator or an administrator" in export.error
    assert export.expires_at is not None


def test_a_build_that_breaks_is_recorded_as_failed(
    export_data, coordinator, small_async, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write", broken)
    export = services.export_request(
        viewer=coordinator, table="learners", fmt="xlsx", params={}, language="en"
    )
    export = services.export_build(export_id=export.pk)
    assert export.status == ExportStatus.FAILED
    assert "could not be built" in export.error
    assert not export.file


def test_exports_whose_task_was_lost_are_sent_again(
    export_data, coordinator, small_async
):
    export = services.export_request(
        viewer=coordinator, table="learners", fmt="csv", params={}, language="en"
    )
    assert services.exports_resume() == 0
    ReportExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    assert services.exports_resume() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert services.exports_resume() == 0


# ---------------------------------------------------------------- services run


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_build_running_elsewhere_is_neither_waited_for_nor_repeated_K08(
    coordinator, small_async
):
    """While one worker holds the export (its row locked for the build), a
    second delivery returns at once without building; once the first is done,
    a further delivery finds it ready."""
    import threading
    import time

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    export = ReportExport.objects.create(
        requested_by=coordinator, table="learners", format="csv", language="en"
    )
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                ReportExport.objects.select_for_update().get(pk=export.pk)
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        assert services.export_build(export_id=export.pk) is None
        assert time.monotonic() - started < 5
        export.refresh_from_db()
        assert export.status == ExportStatus.PENDING and not export.file
    finally:
        release.set()
        holder.join()
    built = services.export_build(export_id=export.pk)
    assert built.status == ExportStatus.READY
    again = services.export_build(export_id=export.pk)
    assert (again.file.name, again.finished_at) == (built.file.name, built.finished_at)


@pytest.fixture
def worker_media(real_celery, settings):
    """Share the worker's media directory, so that both sides see the file."""
    with open(f"/proc/{real_celery.pid}/environ", "rb") as stream:
        variables = dict(
            item.split(b"=", 1) for item in stream.read().split(b"\0") if b"=" in item
        )
    settings.MEDIA_ROOT = variables[b"MEDIA_ROOT"].decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_builds_a_long_list(worker_media, coordinator, small_async):
    import time

    make_export_data()
    export = services.export_request(
        viewer=coordinator,
        table="learners",
        fmt="xlsx",
        params={"country": ["RS"]},
        language="en",
    )
    deadline = time.monotonic() + 60
    while True:
        export.refresh_from_db()
        if export.status in (ExportStatus.READY, ExportStatus.FAILED):
            break
        assert time.monotonic() < deadline, "the worker did not build the export"
        time.sleep(0.2)
    assert export.status == ExportStatus.READY, export.error
    assert export.rows == 11
    with export.file.open("rb") as handle:
        sheet = read_xlsx(handle.read())
    assert len(split(xlsx_rows(sheet))[2]) == 11
