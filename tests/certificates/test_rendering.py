"""The certificate document: fonts, scripts, escaping, layout limits (D04-D08)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from certificates import codes, fonts, rendering

NAMES = {
    "latin_diacritics": "Ștefan Țărănescu-Đorđević Çelik Ğüneş Əliyev Ëllëz Łukasz",
    "uzbek_latin": "Oʻgʻiloy Gʻulomova",
    "cyrillic": "Александра Воскресенская-Преображенская",
    "cyrillic_kazakh_tajik": "Әлия Қасымқызы Ғұмарова Ҷӯраев Ӯғилой",
    "georgian": "ნინო ბერიძე",
    "armenian": "Արմինե Սարգսյան",
}


def _data(name, **template):
    now = timezone.now()
    return rendering.CertificateData(
        code=codes.generate(),
        learner_name=name,
        course_title="Identifying victims of trafficking",
        template={"language": "en", "title": "Certificate", **template}
        | {"body": template.get("body", "{learner_name}\n{course_title}")},
        completed_at=now,
        issued_at=now,
        expires_at=now + timedelta(days=365),
    )


def _lines(pdf):
    return [line.strip() for line in re.split(r"[\r\n]+", rendering.pdf_text(pdf))]


@pytest.mark.parametrize("script", sorted(NAMES))
def test_pdf_text_of_names_is_exactly_the_name_as_entered_D05(script):
    name = NAMES[script]
    pdf = rendering.render_pdf(_data(name))
    assert name in _lines(pdf)


def test_right_to_left_names_are_shaped_and_extractable_D05():
    pdf = rendering.render_pdf(_data("שרה כהן"))
    text = rendering.pdf_text(pdf)
    assert "שרה" in text and "כהן" in text


def test_only_bundled_fonts_are_embedded():
    from weasyprint import HTML

    html = rendering.html_for(_data("Ана ნინო Արմինե Ștefan"))
    pdf = HTML(string=html, url_fetcher=rendering.url_fetcher()).write_pdf(
        font_config=fonts.font_config(), uncompressed_pdf=True
    )
    embedded = set(re.findall(rb"/BaseFont /([^\s/\]>]+)", pdf))
    assert embedded
    for name in embedded:
        assert b"+Certificate-" in name, name


def test_markup_in_a_name_is_printed_as_text_D04():
    name = '<img src="http://127.0.0.1:6379/"><link rel="attachment" href="file:///etc/passwd">'
    html = rendering.html_for(_data(name))
    assert '<img src="http://127.0.0.1:6379/">' not in html
    assert "&lt;img" in html
    text = rendering.pdf_text(rendering.render_pdf(_data(name)))
    assert "127.0.0.1:6379" in text  # shown as text, never fetched


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        f"file://{settings.BASE_DIR}/manage.py",
    ],
)
def test_the_url_fetcher_refuses_network_and_foreign_files_D04(url):
    with pytest.raises(rendering.BlockedURL):
        rendering.url_fetcher().fetch(url)


def test_the_url_fetcher_allows_data_urls_D04():
    response = rendering.url_fetcher().fetch("data:text/plain;base64,aGk=")
    assert response is not None


def test_a_css_url_in_the_template_is_not_fetched_D04(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the renderer opened a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    data = _data("Ana", body='{learner_name} <img src="http://127.0.0.1:9/x.png">')
    pdf = rendering.render_pdf(data)
    assert rendering.pdf_page_count(pdf) == 1


def test_five_hundred_character_name_keeps_one_page_with_code_and_date_D07():
    data = _data("Ж" * 500)
    data.course_title = "Course " * 28  # about 200 characters
    pdf = rendering.render_pdf(data)
    assert rendering.pdf_page_count(pdf) == 1
    text = rendering.pdf_text(pdf).replace("\r", "").replace("\n", "")
    assert codes.format_code(data.code) in text
    assert rendering.verify_url(data.code) in text
    assert "Issued" in text


def test_qr_code_and_printed_link_carry_only_the_verification_url_D08():
    data = _data("Ana Petrović")
    url = rendering.verify_url(data.code)
    assert url == f"{settings.SITE_URL}/verify/{data.code}"
    html = rendering.html_for(data)
    assert rendering.qr_data_url(url) in html
    assert "Petrovi" not in url


def test_png_image_for_sharing_is_rendered_from_the_pdf():
    pdf = rendering.render_pdf(_data("Ana Petrović"))
    png = rendering.render_png(pdf, width_px=800)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png))
    assert image.width == 800
    assert image.height < image.width  # landscape


def test_bilingual_template_prints_both_languages():
    data = _data(
        "Ана Петровић",
        language="ru",
        bilingual=True,
        secondary_title="Certificate of completion",
        secondary_body="This certifies that {learner_name} completed {course_title}",
    )
    data.course_title = "Выявление жертв торговли людьми"
    data.course_title_secondary = "Identifying victims of trafficking"
    text = rendering.pdf_text(rendering.render_pdf(data))
    assert "Выявление жертв торговли людьми" in text
    assert "Identifying victims of trafficking" in text


def test_placeholders_are_filled_and_unknown_ones_left_as_text():
    html = str(
        rendering.fill(
            "{learner_name} / {nope} / {score.__class__}", {"learner_name": "A&B"}
        )
    )
    assert "A&amp;B" in html
    assert "{nope}" in html
    assert "{score.__class__}" in html


def test_fonts_come_from_the_npm_packages_not_the_host():
    assert not fonts.missing_source_files()
    for path in fonts.source_files():
        assert "@fontsource" in str(path)
    conf = (
        (fonts.font_directory() / "fonts.conf").read_text()
        if (fonts.font_directory() / "fonts.conf").exists()
        else ""
    )
    fonts.font_config()
    conf = (fonts.font_directory() / "fonts.conf").read_text()
    assert "/usr/share/fonts" not in conf
    assert "<include" not in conf


def test_missing_harfbuzz_subset_is_reported_at_start(monkeypatch, caplog):
    from certificates import apps

    monkeypatch.setattr(rendering, "harfbuzz_subset_available", lambda: False)
    problems = apps.check_certificate_renderer()
    assert any(problem.id == "certificates.W001" for problem in problems)
    apps._startup_checks()
    assert "libharfbuzz-subset0" in caplog.text
    monkeypatch.setattr(rendering, "harfbuzz_subset_available", lambda: True)
    assert not [p for p in apps.check_certificate_renderer() if p.id.endswith("W001")]


def decode_qr(pdf: bytes) -> list[str]:
    """The QR codes printed on the first page, as a phone camera reads them."""
    from io import BytesIO

    import zxingcpp
    from PIL import Image

    image = Image.open(BytesIO(rendering.render_png(pdf, width_px=2400)))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_printed_qr_code_reads_as_the_verification_url_only_D08():
    data = _data("Ана Петровић")
    assert decode_qr(rendering.render_pdf(data)) == [rendering.verify_url(data.code)]
