"""`make catalogue`: which rows of the security catalogue a passing test
covers, read from the tests' names and docstrings and the JUnit reports."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalogue():
    spec = importlib.util.spec_from_file_location(
        "catalogue", ROOT / "security" / "catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogue"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("catalogue", None)


TESTS = '''
def test_a01_traversal_is_refused():
    pass


def test_quiz_timing():
    """The deadline is kept on the server (C05, K23)."""


class TestUploads:
    """Uploads (H01)."""

    def test_too_big(self):
        pass


def test_not_a_row_b99x():
    """Mentions AB12 and C100 only inside other words."""
'''

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_things" name="test_a01_traversal_is_refused"/>
  <testcase classname="tests.test_things" name="test_quiz_timing">
    <failure message="boom"/>
  </testcase>
  <testcase classname="tests.test_things.TestUploads" name="test_too_big[1]"/>
  <testcase classname="tests.test_things.TestUploads" name="test_too_big[2]">
    <skipped message="no browser"/>
  </testcase>
</testsuite></testsuites>
"""


def test_rows_count_when_a_test_naming_them_passed(catalogue, tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_things.py").write_text(TESTS)
    report = tmp_path / "embedded.xml"
    report.write_text(REPORT)

    named = catalogue.tests_naming_rows(tests)
    assert named == {
        ("tests.test_things", "test_a01_traversal_is_refused"): {"A01"},
        ("tests.test_things", "test_quiz_timing"): {"C05", "K23"},
        ("tests.test_things.TestUploads", "test_too_big"): {"H01"},
    }
    coverage = catalogue.measure(catalogue.Catalogue.load(), tests, [report])
    assert set(coverage.covered) == {"A01", "H01"}
    assert set(coverage.failing) == {"C05", "K23"}

    # Passing in the other run does not undo a failure in this one...
    other = tmp_path / "services.xml"
    other.write_text(
        REPORT.replace('<failure message="boom"/>', "").replace(
            'name="test_a01_traversal_is_refused"/>',
            'name="test_a01_traversal_is_refused"><skipped/></testcase>',
        )
    )
    coverage = catalogue.measure(catalogue.Catalogue.load(), tests, [report, other])
    assert set(coverage.covered) == {"A01", "H01"}
    # ...but a test skipped in one run and passing in the other counts.
    skipped = tmp_path / "embedded-skipped.xml"
    skipped.write_text(REPORT.replace('<failure message="boom"/>', "<skipped/>"))
    coverage = catalogue.measure(catalogue.Catalogue.load(), tests, [skipped, other])
    assert set(coverage.covered) == {"A01", "C05", "H01", "K23"}
    table = catalogue.table(coverage, markdown=True)
    assert "| A H5P package import | 26 | 0 | 1 |" in table
    assert "A02" in table and "| I Import from a URL (SSRF) | 1 | 1 | 0 | - |" in table


def test_check_fails_when_a_row_loses_its_test(catalogue, tmp_path, monkeypatch):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_things.py").write_text(TESTS)
    report = tmp_path / "embedded.xml"
    report.write_text(REPORT)
    covered = tmp_path / "covered.txt"
    monkeypatch.setattr(catalogue, "ROOT", tmp_path)
    monkeypatch.setattr(catalogue, "COVERED", covered)
    assert catalogue.main([str(report), "--update"]) == 0
    assert covered.read_text().split() == ["A01", "H01"]
    assert catalogue.main([str(report), "--check"]) == 0
    covered.write_text("A01\nH01\nC05\n")
    assert catalogue.main([str(report), "--check"]) == 1


def test_the_project_catalogue_matches_the_specification(catalogue):
    """Every row of the specification, when it is present, has its place."""
    spec = ROOT.parent / "shared" / "specs" / "SECURITY-RELIABILITY.md"
    if not spec.exists():
        pytest.skip("the catalogue's specification is not beside the checkout")
    import re

    in_spec = set(re.findall(r"^\| ([A-L]\d{2}) \|", spec.read_text(), re.M))
    assert in_spec == set(catalogue.Catalogue.load().all_rows())
