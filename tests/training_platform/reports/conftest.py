"""A small hand-made data set whose figures are worked out by hand in the
tests: two courses (one translated to Russian), learners in Serbia and
Albania (a coordinator's countries) and one in Georgia (outside them)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest


def at(year, month, day=10):
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


@dataclass
class Data:
    course_a: object
    course_a_ru: object
    course_b: object
    people: dict
    enrolments: dict


@pytest.fixture
def report_data(db):
    from assessments.factories import make_assessment
    from assessments.models import AssessmentResult
    from certificates.models import Certificate
    from courses.factories import build_course, translate_tree
    from courses.models import Enrolment, ModulePage
    from training_platform.accounts.factories import OrganisationFactory, UserFactory
    from training_platform.accounts.models import Country

    rs, al, ge = (Country.objects.get(code=c) for c in ("RS", "AL", "GE"))
    orgs = {
        "rs_gov": OrganisationFactory(
            name="Ministry RS", kind="government", country=rs
        ),
        "rs_ngo": OrganisationFactory(name="Shelter RS", kind="ngo", country=rs),
        "al_gov": OrganisationFactory(name="Police AL", kind="government", country=al),
        "ge_gov": OrganisationFactory(
            name="Ministry GE", kind="government", country=ge
        ),
    }
    course_a = build_course(title="Victim identification", slug="victim-id", modules=1)
    course_b = build_course(title="Labour migration", slug="labour", modules=1)
    module_a = ModulePage.objects.child_of(course_a).first()
    module_b = ModulePage.objects.child_of(course_b).first()
    pre = make_assessment(module_a, title="Pre-test", kind="pretest")
    post = make_assessment(module_a, title="Post-test", kind="posttest")
    final_a = make_assessment(module_a, title="Final A", kind="final")
    final_b = make_assessment(module_b, title="Final B", kind="final")
    course_a_ru = translate_tree(course_a, "ru")

    def person(key, country, org, sex):
        return UserFactory(
            email=f"{key}@example.org",
            full_name=key.replace("_", " ").title(),
            country=country,
            organisation=orgs.get(org),
            sex=sex,
        )

    people = {
        "rs_f1": person("rs_f1", rs, "rs_gov", "female"),
        "rs_m1": person("rs_m1", rs, "rs_ngo", "male"),
        "rs_f2": person("rs_f2", rs, "rs_ngo", "female"),
        "al_f1": person("al_f1", al, "al_gov", "female"),
        "al_u1": person("al_u1", al, None, "undisclosed"),
        "ge_m1": person("ge_m1", ge, "ge_gov", "male"),
    }
    enrolments = {}

    def enrol(key, course, status, enrolled, completed=None, page=None):
        enrolments[(key, course.slug)] = Enrolment.objects.create(
            user=people[key],
            course_key=course.translation_key,
            course=page or course,
            status=status,
            enrolled_at=enrolled,
            completed_at=completed,
        )

    def result(key, page, course, percent, passed=None):
        AssessmentResult.objects.create(
            user=people[key],
            assessment_key=page.translation_key,
            course_key=course.translation_key,
            page=page,
            kind=page.kind,
            percent=Decimal(percent),
            passed=passed,
            attempts_finished=1,
        )

    def certificate(key, course, status, expires=None):
        enrolment = enrolments[(key, course.slug)]
        Certificate.objects.create(
            user=people[key],
            course_key=course.translation_key,
            enrolment=enrolment,
            status=status,
            learner_name=people[key].full_name,
            course_title=course.title,
            issued_at=enrolment.completed_at,
            completed_at=enrolment.completed_at,
            expires_at=expires,
        )

    enrol("rs_f1", course_a, "completed", at(2026, 1), at(2026, 2))
    enrol("rs_f1", course_b, "active", at(2026, 1))
    enrol("rs_m1", course_a, "completed", at(2026, 1), at(2026, 3), page=course_a_ru)
    enrol("rs_f2", course_a, "withdrawn", at(2026, 1))
    enrol("rs_f2", course_b, "pending", at(2026, 1))
    enrol("al_f1", course_a, "active", at(2026, 1))
    enrol("al_f1", course_b, "completed", at(2026, 2), at(2026, 3))
    enrol("al_u1", course_b, "active", at(2026, 2))
    enrol("ge_m1", course_a, "completed", at(2026, 1), at(2026, 2))

    result("rs_f1", final_a, course_a, 80, True)
    result("rs_f1", pre, course_a, 40)
    result("rs_f1", post, course_a, 80)
    result("rs_m1", final_a, course_a, 60, False)
    result("rs_m1", pre, course_a, 50)
    result("rs_m1", post, course_a, 75)
    result("al_f1", pre, course_a, 20)
    result("al_f1", final_b, course_b, 90, True)
    result("ge_m1", final_a, course_a, 100, True)
    result("ge_m1", pre, course_a, 10)
    result("ge_m1", post, course_a, 95)

    certificate("rs_f1", course_a, "issued")
    certificate("rs_m1", course_a, "revoked")
    certificate("al_f1", course_b, "issued", expires=at(2026, 4))
    certificate("ge_m1", course_a, "issued")

    from training_platform.reports.services import report_refresh

    report_refresh(now=at(2026, 6))
    return Data(course_a, course_a_ru, course_b, people, enrolments)


@pytest.fixture
def staff_client(client, mfa):
    """A client logged in as ``user`` with MFA set up."""

    def login(user):
        mfa(user)
        client.force_login(user)
        return client

    return login
