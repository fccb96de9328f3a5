"""seed_demo: a project with a donor funds the demo course, so the project
report shows real figures."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.timeout(1200)  # the whole demo, on a busy machine
def test_seed_demo_adds_a_project_whose_report_has_figures(capsys):
    from courses.models import Project
    from training_platform.accounts.models import User
    from training_platform.reports.project_report import period_of, project_report

    call_command("seed_demo")
    project = Project.objects.get(code="DEMO-WB-2026")
    assert project.donor == "European Union"
    assert project.courses.exists()
    admin = User.objects.get(email="admin@demo.test")
    start, end = period_of(project)
    report = project_report(
        admin, project=project, date_from=start, date_to=end, suppress=False
    )
    assert report.headline["learners"] > 0
    assert report.headline["certificates"] > 0
    assert "Project report DEMO-WB-2026" in capsys.readouterr().out
    # Seeding the project again keeps one project and its links.
    from training_platform.reports import demo

    class Context:
        objects = {"demo_course": project.courses.first()}

    links = project.courses.count()
    demo._project(Context())
    assert Project.objects.filter(code="DEMO-WB-2026").count() == 1
    assert project.courses.count() == links
