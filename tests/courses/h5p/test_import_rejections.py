"""Every rejection rule of the H5P import, with crafted packages (A01-A22).

Each rejected package must give a plain-language reason and leave nothing
behind: no rows and no files."""

import io
import json
import zipfile

import pytest

from courses.h5p import package_builder
from courses.h5p.models import H5PContent
from courses.h5p.services import content_import
from courses.h5p.validation import PackageRejected

from .conftest import quiz_with, zip_bytes

pytestmark = pytest.mark.django_db

LIB = "H5P.PlatformQuiz-1.0"


def reject(data, *, user=None, code=None):
    with pytest.raises(PackageRejected) as caught:
        content_import(file=io.BytesIO(data), user=user, filename="x.h5p")
    codes = {p.code for p in caught.value.problems}
    for problem in caught.value.problems:
        assert str(problem).strip(), "every reason is spelled out"
    if code:
        assert code in codes, (codes, [str(p) for p in caught.value.problems])
    return caught.value.problems


def patched(data, old, new):
    assert len(old) == len(new)
    assert data.count(old) == 2  # local header and central directory
    return data.replace(old, new)


def test_quiz_package_is_accepted_as_a_baseline():
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package()), filename="quiz.h5p"
    )
    assert content.main_library.machine_name == "H5P.PlatformQuiz"


@pytest.mark.parametrize(
    "name",
    ["content/../../../settings.py", "../x.json", "content/images/../../../../x.png"],
)
def test_a01_path_traversal_is_rejected_before_writing(name, nothing_left):
    reject(zip_bytes(quiz_with({name: "{}"})), code="traversal")
    nothing_left()


@pytest.mark.parametrize(
    "name, code",
    [
        ("/etc/cron.d/x.json", "absolute"),
        ("C:x.json", "absolute"),
        ("C:\\x.json", "backslash"),
        ("\\\\host\\share\\x.json", "backslash"),
    ],
)
def test_a02_absolute_and_windows_paths_are_rejected(name, code, nothing_left):
    reject(zip_bytes(quiz_with({name: "{}"})), code=code)
    nothing_left()


@pytest.mark.parametrize("name", ["content\\..\\..\\x.json", "content/..\\..\\x.json"])
def test_a03_backslash_traversal_is_rejected(name, nothing_left):
    reject(zip_bytes(quiz_with({name: "{}"})), code="backslash")
    nothing_left()


def test_a04_nul_byte_in_a_name_is_rejected(nothing_left):
    data = zip_bytes(quiz_with({"content/a.jsonX.php": "{}"}))
    reject(patched(data, b"content/a.jsonX.php", b"content/a.json\x00.php"), code="nul")
    nothing_left()


def test_a04_percent_encoded_names_are_not_decoded_but_rejected(nothing_left):
    reject(zip_bytes(quiz_with({"content/%2e%2e/x.json": "{}"})), code="bad-characters")
    nothing_left()


def test_a04_invalid_utf8_name_is_rejected(nothing_left):
    data = zip_bytes(quiz_with({"content/é.png": b"\x89PNG\r\n\x1a\n"}))
    reject(patched(data, "é".encode(), b"\xc0\xaf"), code="name-encoding")
    nothing_left()


@pytest.mark.parametrize(
    "extra",
    [
        {"H5P.json": "{}"},
        {
            "content/caf\u00e9.png": b"\x89PNG\r\n\x1a\n",
            "content/cafe\u0301.png": b"\x89PNG\r\n\x1a\n",
        },
        {
            "content/Image.PNG": b"\x89PNG\r\n\x1a\n",
            "content/image.png": b"\x89PNG\r\n\x1a\n",
        },
    ],
)
def test_a05_case_and_normalisation_twins_are_rejected(extra, nothing_left):
    reject(zip_bytes(quiz_with(extra)), code="duplicate")
    nothing_left()


def test_a05_full_width_dots_count_as_traversal(nothing_left):
    reject(
        zip_bytes(quiz_with({"content/\uff0e\uff0e/x.json": "{}"})), code="traversal"
    )
    nothing_left()


def test_a06_symlink_entries_are_rejected(nothing_left):
    data = zip_bytes(
        quiz_with({"content/passwd.txt": "/etc/passwd"}),
        infos={
            "content/passwd.txt": {"external_attr": 0o120777 << 16, "create_system": 3}
        },
    )
    reject(data, code="symlink")
    nothing_left()


def test_a07_zip_bomb_ratio_is_rejected_from_headers(nothing_left):
    bomb = b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024)
    reject(
        zip_bytes(quiz_with({"content/images/bomb.png": bomb})),
        code="compression-ratio",
    )
    nothing_left()


def test_a07_declared_total_above_the_cap_is_rejected(settings, nothing_left):
    settings.H5P_MAX_TOTAL_BYTES = 20_000
    noise = bytes(range(256)) * 60  # 15 kB, incompressible enough
    reject(
        zip_bytes(quiz_with({"content/a.txt": noise, "content/b.txt": noise})),
        code="total-too-large",
    )
    nothing_left()


def test_a08_header_that_lies_about_the_size_is_caught_while_streaming(nothing_left):
    payload = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    data = zip_bytes(quiz_with({"content/images/lie.png": payload}))
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("content/images/lie.png")
    real = info.file_size.to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    # Both the local header and the central directory claim 100 bytes.
    forged = data.replace(
        info.CRC.to_bytes(4, "little")
        + info.compress_size.to_bytes(4, "little")
        + real,
        info.CRC.to_bytes(4, "little")
        + info.compress_size.to_bytes(4, "little")
        + small,
    )
    assert forged != data
    reject(forged)
    nothing_left()


def test_a09_too_many_entries_are_rejected_by_count(settings, nothing_left):
    settings.H5P_MAX_FILES = 30
    extra = {f"content/f{i}.txt": "x" for i in range(40)}
    problems = reject(zip_bytes(quiz_with(extra)), code="too-many-files")
    assert len(problems) == 1
    nothing_left()


@pytest.mark.parametrize("name", ["content/more.zip", "content/inner.h5p"])
def test_a10_nested_archives_are_rejected(name, nothing_left):
    reject(
        zip_bytes(quiz_with({name: package_builder.quiz_package()})), code="extension"
    )
    nothing_left()


@pytest.mark.parametrize(
    "name",
    [
        "content/x.php",
        "content/x.phtml",
        "content/x.php5",
        "content/.htaccess",
        f"{LIB}/tool.py",
        f"{LIB}/run.sh",
        "content/setup.exe",
        "content/README",
    ],
)
def test_a11_executable_and_config_files_reject_the_package(name, nothing_left):
    reject(zip_bytes(quiz_with({name: "x"})))
    nothing_left()


@pytest.mark.parametrize(
    "name",
    [
        "content/page.html",
        "content/page.htm",
        "content/page.xhtml",
        "content/x.js",
        "content/x.css",
    ],
)
def test_a12_pages_and_scripts_in_content_are_rejected(name, nothing_left):
    reject(zip_bytes(quiz_with({name: "<script>alert(1)</script>"})), code="extension")
    nothing_left()


def test_a13_svg_in_content_is_sanitised(media_root):
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="alert(1)"><script>alert(document.cookie)</script>'
        '<foreignObject><iframe src="javascript:alert(2)"/></foreignObject>'
        '<a xlink:href="javascript:alert(3)"><circle r="4" onclick="alert(4)"/></a>'
        '<image href="https://attacker.example/track.png"/>'
        '<rect width="10" height="10" fill="red"/></svg>'
    )
    content = content_import(
        file=io.BytesIO(zip_bytes(quiz_with({"content/images/x.svg": hostile}))),
        filename="svg.h5p",
    )
    from courses.h5p.storage import h5p_storage

    with h5p_storage().open(content.storage_prefix + "images/x.svg") as handle:
        stored = handle.read().decode()
    for bad in (
        "script",
        "onload",
        "onclick",
        "foreignObject",
        "javascript:",
        "attacker",
    ):
        assert bad not in stored
    assert "<rect" in stored or ":rect" in stored
    assert any("x.svg" in note for note in content.import_notes)


@pytest.mark.parametrize(
    "svg",
    [
        '<?xml version="1.0"?>'
        '<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        "<html><script>alert(1)</script></html>",
        "not xml at all",
    ],
)
def test_a13_a14_svg_with_entities_or_not_svg_is_refused(svg, nothing_left):
    reject(zip_bytes(quiz_with({"content/images/x.svg": svg})), code="svg-invalid")
    nothing_left()


def test_a14_xml_files_are_not_accepted(nothing_left):
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]><x>&x;</x>'
    reject(zip_bytes(quiz_with({"content/data.xml": xml})), code="extension")
    nothing_left()


@pytest.mark.parametrize(
    "name, data",
    [
        ("content/image.png", b"<html><script>alert(1)</script></html>"),
        ("content/image.png", b"\x89PNG-not-really<html>"),
        ("content/photo.jpg", b"%PDF-1.4 not a jpeg"),
        ("content/font.woff2", b"<svg onload=alert(1)>"),
    ],
)
def test_a15_magic_bytes_must_match_the_extension(name, data, nothing_left):
    reject(zip_bytes(quiz_with({name: data})), code="magic")
    nothing_left()


def test_a16_missing_h5p_json(nothing_left):
    reject(zip_bytes(quiz_with(without=["h5p.json"])), code="h5p-json-missing")
    nothing_left()


@pytest.mark.parametrize(
    "text, code",
    [
        ('{"title": "x",', "invalid-json"),
        ("[" * 10_000 + "]" * 10_000, "invalid-json"),
        ('{"title": NaN}', "invalid-json"),
    ],
)
def test_a17_broken_h5p_json_is_rejected_with_bounded_parsing(text, code, nothing_left):
    reject(zip_bytes(quiz_with({"h5p.json": text})), code=code)
    nothing_left()


def test_a17_h5p_json_without_main_library_is_rejected(nothing_left):
    data = package_builder.h5p_json("x")
    del data["mainLibrary"]
    problems = reject(
        zip_bytes(quiz_with({"h5p.json": json.dumps(data)})), code="h5p-json-field"
    )
    assert any("mainLibrary" in str(p) for p in problems)
    nothing_left()


def test_a17_oversized_h5p_json_is_rejected(settings, nothing_left):
    settings.H5P_MAX_METADATA_JSON_BYTES = 2000
    data = package_builder.h5p_json("x", authors=[{"name": "a" * 5000}])
    reject(zip_bytes(quiz_with({"h5p.json": json.dumps(data)})), code="json-too-large")
    nothing_left()


@pytest.mark.parametrize(
    "change, code",
    [
        ({"without": ["content/content.json"]}, "content-json-missing"),
        ({"extra": {"content/content.json": "{not json"}}, "invalid-json"),
        ({"extra": {"content/content.json": "[1, 2]"}}, "content-json"),
    ],
)
def test_a18_content_json_missing_or_unparsable(change, code, nothing_left):
    reject(zip_bytes(quiz_with(**change)), code=code)
    nothing_left()


def test_a19_single_entry_above_the_per_file_cap(settings, nothing_left):
    settings.H5P_MAX_FILE_BYTES = 10_000
    big = json.dumps({"question": "q", "padding": "x" * 20_000})
    reject(zip_bytes(quiz_with({"content/content.json": big})), code="file-too-large")
    nothing_left()


@pytest.mark.parametrize(
    "folder, code",
    [
        ("Foo 1.0;rm -rf", "library-folder"),
        ("library!", "library-folder"),
        ("F" * 300, "long-name"),
        ("../Foo-1.0", "traversal"),
    ],
)
def test_a20_library_folder_names_are_checked(folder, code, nothing_left):
    reject(zip_bytes(quiz_with({f"{folder}/library.json": "{}"})), code=code)
    nothing_left()


def test_library_folder_must_match_its_library_json(nothing_left):
    files = quiz_with()
    files["H5P.Other-1.0/library.json"] = files.pop(f"{LIB}/library.json")
    reject(zip_bytes(files), code="library-folder-mismatch")
    nothing_left()


@pytest.mark.parametrize("field", ["majorVersion", "machineName", "title", "runnable"])
def test_library_json_required_fields(field, nothing_left):
    data = package_builder.library_json()
    del data[field]
    reject(
        zip_bytes(quiz_with({f"{LIB}/library.json": json.dumps(data)})),
        code="library-json-field",
    )
    nothing_left()


def test_preloaded_files_must_be_in_the_package(nothing_left):
    problems = reject(
        zip_bytes(quiz_with(without=[f"{LIB}/quiz.js"])), code="preloaded-file-missing"
    )
    assert any("quiz.js" in str(p) for p in problems)
    nothing_left()


def test_language_files_must_parse(nothing_left):
    reject(
        zip_bytes(quiz_with({f"{LIB}/language/fr.json": "{'x': 1}"})),
        code="invalid-json",
    )
    nothing_left()


def test_missing_dependency_is_reported(nothing_left):
    data = package_builder.library_json(dependencies=[("H5P.Missing", 1, 2)])
    problems = reject(
        zip_bytes(quiz_with({f"{LIB}/library.json": json.dumps(data)})),
        code="library-missing",
    )
    assert any("H5P.Missing 1.2" in str(p) for p in problems)
    nothing_left()


def test_sub_content_library_must_be_a_dependency(nothing_left):
    content = {
        "question": "q",
        "answers": [],
        "intro": {"library": "H5P.Text 1.1", "params": {}},
    }
    reject(
        zip_bytes(quiz_with({"content/content.json": json.dumps(content)})),
        code="sub-content-library",
    )
    nothing_left()


def test_library_needing_a_newer_core_api_is_rejected(nothing_left):
    data = package_builder.library_json(coreApi={"majorVersion": 1, "minorVersion": 99})
    reject(
        zip_bytes(quiz_with({f"{LIB}/library.json": json.dumps(data)})), code="core-api"
    )
    nothing_left()


def test_main_library_must_be_runnable(nothing_left):
    data = package_builder.library_json(runnable=0)
    reject(
        zip_bytes(quiz_with({f"{LIB}/library.json": json.dumps(data)})),
        code="main-not-runnable",
    )
    nothing_left()


def test_not_a_zip_at_all(nothing_left):
    reject(b"PK\x03", code="not-zip")
    nothing_left()


def test_a21_trainer_package_with_a_modified_installed_library_uses_the_installed_copy(
    trainer, quiz_content
):
    from courses.h5p.storage import h5p_storage

    library = quiz_content.main_library
    evil = package_builder.quiz_package(patch=5, js="window.stolen = document.cookie;")
    second = content_import(file=io.BytesIO(evil), user=trainer, filename="evil.h5p")
    library.refresh_from_db()
    assert second.main_library == library
    assert library.patch_version == 0
    with h5p_storage().open(library.storage_prefix + "quiz.js") as handle:
        assert b"stolen" not in handle.read()
    assert any("installed" in note for note in second.import_notes)


def test_a21_administrator_may_upgrade_a_library_patch(administrator, quiz_content):
    upgraded = package_builder.quiz_package(patch=3)
    content_import(file=io.BytesIO(upgraded), user=administrator, filename="new.h5p")
    library = quiz_content.main_library
    library.refresh_from_db()
    assert library.patch_version == 3
    # Every content keeps playing on the one shared copy.
    assert H5PContent.objects.filter(libraries=library).count() == 2


def test_a22_trainer_cannot_install_a_new_library(trainer, nothing_left):
    problems = reject(
        package_builder.quiz_package(), user=trainer, code="library-not-installed"
    )
    assert any("administrator" in str(p) for p in problems)
    nothing_left()


def test_a22_trainer_can_import_content_whose_libraries_are_installed(
    trainer, quiz_content
):
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package(title="Second")), user=trainer
    )
    assert content.main_library == quiz_content.main_library


def test_every_reason_is_reported_at_once(nothing_left):
    files = quiz_with(
        {"content/x.php": "x", "content/page.html": "x", "content/a.jsonX": "x"}
    )
    problems = reject(zip_bytes(files))
    assert len(problems) >= 3
    nothing_left()


def test_a25_metadata_title_is_cleaned_and_truncated():
    title = "<b>Bold</b>\u202e evil " + "x" * 10_000
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package(title=title)), filename="t.h5p"
    )
    assert len(content.title) == 255
    assert "\u202e" not in content.title


def test_reasons_are_given_in_russian_too(nothing_left):
    from django.utils import translation

    with translation.override("ru"):
        problems = reject(zip_bytes(quiz_with({"content/x.php": "x"})))
    assert "недопустим" in str(problems[0])
    nothing_left()
