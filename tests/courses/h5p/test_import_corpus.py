"""Every package of the shared H5P corpus gives its expected outcome (skipped
when the corpus folder is absent, as on a fresh clone)."""

import json

import pytest

from courses.h5p.models import H5PContent, H5PLibrary
from courses.h5p.services import content_import
from courses.h5p.storage import h5p_storage
from courses.h5p.validation import PackageRejected

from .conftest import corpus_available, corpus_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present"),
]

# path -> (accepted?, code of the reason or main library)
EXPECTED = {
    "playable/h5p-test.h5p": (True, "H5P.TrueFalse"),
    "playable/multiple-choice-713.h5p": (True, "H5P.MultiChoice"),
    "playable/question-set-616.h5p": (True, "H5P.QuestionSet"),
    "playable/essay-4-166755.h5p": (True, "H5P.Essay"),
    "playable/accordion-6-7138.h5p": (True, "H5P.Accordion"),
    "validation/valid2.h5p": (True, "H5P.GreetingCard"),
    "validation/long_content_file_name.h5p": (True, "H5P.GreetingCard"),
    # The player offers core API 1.27, above the 1.19 this package needs.
    "validation/invalid-core-version.h5p": (True, "H5P.GreetingCard"),
    "security/xss-svg.h5p": (True, "H5P.Blanks"),
    "validation/corrupt_archive.h5p": (False, "not-zip"),
    "validation/broken-h5p-json.h5p": (False, "invalid-json"),
    "validation/broken-content-json.h5p": (False, "invalid-json"),
    "validation/invalid-h5p-json-schema.h5p": (False, "h5p-json-field"),
    "validation/invalid-library-json.h5p": (False, "library-json-field"),
    "validation/malformed-library-directory.h5p": (False, "library-folder"),
    "validation/invalid-language-file-json.h5p": (False, "invalid-json"),
}


def test_the_expectations_cover_the_whole_corpus():
    with open(corpus_path("corpus.json")) as handle:
        listed = {item["path"] for item in json.load(handle)["items"]}
    assert listed == set(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_corpus_package_outcome(path):
    accepted, expected = EXPECTED[path]
    with open(corpus_path(path), "rb") as handle:
        if accepted:
            content = content_import(file=handle, filename=path)
            assert content.main_library.machine_name == expected
            assert content.libraries.count() >= 1
            return
        with pytest.raises(PackageRejected) as caught:
            content_import(file=handle, filename=path)
    assert expected in {p.code for p in caught.value.problems}
    assert H5PContent.objects.count() == 0
    assert H5PLibrary.objects.count() == 0


def test_xss_svg_is_stored_without_its_scripts():
    with open(corpus_path("security/xss-svg.h5p"), "rb") as handle:
        content = content_import(file=handle, filename="xss-svg.h5p")
    with h5p_storage().open(content.storage_prefix + "images/xss.svg") as stored:
        text = stored.read().decode()
    assert "<script" not in text and "alert" not in text
    assert "circle" in text
    assert any("xss.svg" in note for note in content.import_notes)


def test_corpus_libraries_are_shared_between_packages():
    for path in ("playable/h5p-test.h5p", "playable/multiple-choice-713.h5p"):
        with open(corpus_path(path), "rb") as handle:
            content_import(file=handle, filename=path)
    joubel = H5PLibrary.objects.filter(machine_name="H5P.JoubelUI")
    assert joubel.count() == 1
    assert joubel.get().contents.count() == 2


def test_question_set_closure_matches_the_corpus_facts():
    with open(corpus_path("corpus.json")) as handle:
        facts = {item["path"]: item for item in json.load(handle)["items"]}
    for path in ("playable/question-set-616.h5p", "playable/essay-4-166755.h5p"):
        with open(corpus_path(path), "rb") as handle:
            content = content_import(file=handle, filename=path)
        assert content.libraries.count() == facts[path]["dependency_closure"]
