"""How much of the security and reliability catalogue a passing test covers.

Reads the tests' names and docstrings (a test covers the rows whose ids it
names: ``test_d09_...`` or a docstring saying "(K13)"; a test class's docstring
counts for its tests) and the JUnit reports of the last test runs (``make
test`` writes them to ``test-results/``); runs no test itself. Prints per
section how many rows there are, how many do not apply, how many a passing
test covers, and which applicable rows are not covered.

    python security/catalogue.py [REPORT.xml ...] [--check] [--update]
        [--markdown]

``--check`` fails when a row listed in ``security/covered.txt`` has no
passing test any more; ``--update`` rewrites that list from this run.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "security" / "catalogue.toml"
COVERED = ROOT / "security" / "covered.txt"
REPORTS = ROOT / "test-results"

ROW_ID = re.compile(r"(?<![A-Za-z0-9])([A-L]\d{2})(?![0-9])")


@dataclass
class Catalogue:
    sections: dict[str, dict]
    not_applicable: dict[str, str]

    @classmethod
    def load(cls, path: Path = CATALOGUE) -> Catalogue:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(data["sections"], data.get("not_applicable", {}))

    def rows(self, section: str) -> list[str]:
        count = self.sections[section]["rows"]
        return [f"{section}{n:02d}" for n in range(1, count + 1)]

    def all_rows(self) -> list[str]:
        return [row for section in self.sections for row in self.rows(section)]


def ids_in_name(name: str) -> set[str]:
    return {
        part.upper()
        for part in re.split(r"[_\W]+", name)
        if re.fullmatch(r"[a-lA-L]\d{2}", part)
    }


def ids_in_text(text: str | None) -> set[str]:
    return set(ROW_ID.findall(text or ""))


def tests_naming_rows(tests_dir: Path) -> dict[tuple[str, str], set[str]]:
    """``{(classname, test name): row ids}`` for every test function that
    names a row, with ``classname`` as pytest's JUnit report writes it."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        module = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

        def visit(body, classname, inherited):
            for node in body:
                if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    visit(
                        node.body,
                        f"{classname}.{node.name}",
                        inherited | ids_in_text(ast.get_docstring(node)),
                    )
                elif isinstance(
                    node, ast.FunctionDef | ast.AsyncFunctionDef
                ) and node.name.startswith("test"):
                    ids = (
                        inherited
                        | ids_in_name(node.name)
                        | ids_in_text(ast.get_docstring(node))
                    )
                    if ids:
                        found[(classname, node.name)] = ids

        visit(tree.body, module, set())
    return found


def outcomes(reports: list[Path]) -> dict[tuple[str, str], bool]:
    """``{(classname, test name): passed}`` from JUnit reports; a test with
    parameters passes when every case that ran passed; across reports it
    passes when it passed in one and failed in none (skipped in one run,
    run in the other)."""
    result: dict[tuple[str, str], bool] = {}
    for report in reports:
        per_run: dict[tuple[str, str], bool] = {}
        # Our own test runs' reports, not input from outside.
        root = ET.parse(report).getroot()  # noqa: S314
        for case in root.iter("testcase"):
            key = (case.get("classname", ""), case.get("name", "").split("[")[0])
            children = {child.tag for child in case}
            if "skipped" in children:
                continue
            passed = not children & {"failure", "error"}
            per_run[key] = per_run.get(key, True) and passed
        for key, passed in per_run.items():
            result[key] = result.get(key, True) and passed
    return result


@dataclass
class Coverage:
    catalogue: Catalogue
    covered: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    failing: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    named: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def section_rows(self):
        for section, info in self.catalogue.sections.items():
            rows = self.catalogue.rows(section)
            not_applicable = [r for r in rows if r in self.catalogue.not_applicable]
            applicable = [r for r in rows if r not in self.catalogue.not_applicable]
            covered = [r for r in applicable if r in self.covered]
            missing = [r for r in applicable if r not in self.covered]
            yield section, info["title"], rows, not_applicable, covered, missing


def measure(catalogue: Catalogue, tests_dir: Path, reports: list[Path]) -> Coverage:
    coverage = Coverage(catalogue)
    results = outcomes(reports)
    by_row = defaultdict(list)
    for key, ids in tests_naming_rows(tests_dir).items():
        for row in ids:
            by_row[row].append(key)
    for row, keys in by_row.items():
        coverage.named[row] = keys
        passing = [key for key in keys if results.get(key)]
        if passing:
            coverage.covered[row] = passing
        elif any(key in results for key in keys):
            coverage.failing[row] = keys
    return coverage


def table(coverage: Coverage, *, markdown: bool) -> str:
    lines = []
    if markdown:
        lines += [
            "| section | rows | not applicable | covered by a passing test "
            "| not covered |",
            "|---|---:|---:|---:|---|",
        ]
    total = [0, 0, 0]
    for (
        section,
        title,
        rows,
        not_applicable,
        covered,
        missing,
    ) in coverage.section_rows():
        total[0] += len(rows)
        total[1] += len(not_applicable)
        total[2] += len(covered)
        gaps = " ".join(missing) or "-"
        if markdown:
            lines.append(
                f"| {section} {title} | {len(rows)} | {len(not_applicable)} | "
                f"{len(covered)} | {gaps} |"
            )
        else:
            lines.append(
                f"{section} {title:<38} {len(covered):>3}/"
                f"{len(rows) - len(not_applicable):<3} not covered: {gaps}"
            )
    applicable = total[0] - total[1]
    if markdown:
        lines.append(f"| all | {total[0]} | {total[1]} | {total[2]} | |")
    else:
        lines.append(f"all {'':<38} {total[2]:>3}/{applicable:<3}")
    if coverage.catalogue.not_applicable:
        lines.append("")
        lines.append("Not applicable:")
        for row, reason in sorted(coverage.catalogue.not_applicable.items()):
            lines.append(f"- {row}: {reason}")
    if coverage.failing:
        lines.append("")
        lines.append("Named by tests that did not pass: " + " ".join(coverage.failing))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    reports = args.reports or sorted(REPORTS.glob("*.xml"))
    if not reports:
        print(
            "No test reports: run `make test` first (it writes test-results/).",
            file=sys.stderr,
        )
        return 2
    catalogue = Catalogue.load()
    coverage = measure(catalogue, ROOT / "tests", reports)
    print(table(coverage, markdown=args.markdown))
    if args.update:
        COVERED.write_text("\n".join(sorted(coverage.covered)) + "\n")
    if args.check:
        expected = set(COVERED.read_text().split()) if COVERED.exists() else set()
        lost = sorted(expected - set(coverage.covered))
        if lost:
            print(
                "\nRows that lost their passing test: " + " ".join(lost),
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
