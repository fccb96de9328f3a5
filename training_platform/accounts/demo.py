"""Demo accounts and organisations for ``seed_demo``."""

from . import roles
from .factories import OrganisationFactory, UserFactory
from .models import Country, OrganisationType, Sex

# Printed by seed_demo, which refuses to run in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105

ORGANISATIONS = [
    (
        "RS",
        "Ministry of Interior – Border Police Directorate",
        OrganisationType.GOVERNMENT,
    ),
    (
        "RS",
        "Centre for Protection of Victims of Trafficking",
        OrganisationType.GOVERNMENT,
    ),
    ("RS", "ASTRA – Anti-Trafficking Action", OrganisationType.NGO),
    (
        "AL",
        "State Police – Border and Migration Department",
        OrganisationType.GOVERNMENT,
    ),
    ("AL", "Different & Equal", OrganisationType.NGO),
    ("MD", "Labour Inspectorate", OrganisationType.GOVERNMENT),
    ("GE", "Public Service Development Agency", OrganisationType.GOVERNMENT),
    ("KZ", "Ministry of Labour and Social Protection", OrganisationType.GOVERNMENT),
    ("UA", "La Strada-Ukraine", OrganisationType.NGO),
    ("UZ", "Istiqbolli Avlod", OrganisationType.NGO),
]

ACCOUNTS = [
    # role, e-mail, full name, name on certificate, country, organisation index
    (roles.LEARNERS, "learner@demo.test", "Ana Petrović", "Ана Петровић", "RS", 0),
    (roles.TRAINERS, "trainer@demo.test", "Nino Beridze", "ნინო ბერიძე", "GE", 6),
    (roles.COORDINATORS, "coordinator@demo.test", "Elira Hoxha", "", "AL", 3),
    (roles.ADMINISTRATORS, "admin@demo.test", "Platform Administrator", "", "MD", 5),
]


def seed(context):
    organisations = []
    for code, name, kind in ORGANISATIONS:
        organisations.append(
            OrganisationFactory(
                name=name, country=Country.objects.get(code=code), kind=kind
            )
        )
    for role, email, full_name, cert_name, code, org_index in ACCOUNTS:
        user = UserFactory(
            email=email,
            full_name=full_name,
            certificate_name=cert_name,
            country=Country.objects.get(code=code),
            organisation=organisations[org_index],
            position={
                roles.LEARNERS: "Border police inspector",
                roles.TRAINERS: "Training officer",
                roles.COORDINATORS: "National programme coordinator",
                roles.ADMINISTRATORS: "Platform administrator",
            }[role],
            sex=Sex.FEMALE,
            password=DEMO_PASSWORD,
            role=None if role == roles.LEARNERS else role,
        )
        if role == roles.COORDINATORS:
            user.coordinated_countries.set(
                Country.objects.filter(code__in=["AL", "RS"])
            )
        context.users[role] = user
        context.login(role, email, DEMO_PASSWORD)
