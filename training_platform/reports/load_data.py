"""A synthetic data set at production scale, for benchmarks of the reports.

``generate_load_data`` creates learners in the region's countries (and more
countries when asked), their organisations, courses with modules, lessons and
assessments (some also in Russian), and a plausible history: enrolments,
progress through the course items, finished attempts and assessment results,
course completions and certificates. The same ``seed`` gives the same data
(dates are relative to the time of the run).

Everything generated is recognisable, so that ``clear_load_data`` can remove it:
learners' e-mails end in ``@load.example``, course slugs start with ``load-``,
organisation names end with `` [load]``, and the question bank and certificate
template are named "Load data ...". Countries from ``EXTRA_COUNTRIES`` are
created when missing and removed when nothing refers to them any more.

Pages are created live in the Wagtail tree (without revisions). The records
are written in chunks of learners without ``save()`` or signals (COPY on
PostgreSQL, batched INSERTs elsewhere), so nothing is rendered, e-mailed or
queued:
certificates are written as issued with their documents marked ready and their
e-mails sent (no PDF file exists), attempts carry their grades but no
per-question slots. Refused in production: every learner shares one known
password, for load tests that log in."""

import json
import math
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, signals
from django.db.models.deletion import ProtectedError, get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from assessments.factories import make_question
from assessments.models import (
    AssessmentKind,
    AssessmentPage,
    AssessmentResult,
    Attempt,
    AttemptState,
    GradingMethod,
    Question,
    QuestionBank,
    RandomQuestionRule,
)
from certificates.codes import ALPHABET, LENGTH
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificateTemplate,
    CourseCertificateRule,
    EventKind,
    PdfStatus,
)
from certificates.services import add_months
from courses.models import (
    CompletionMode,
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    ItemProgress,
    LessonPage,
    Level,
    ModulePage,
    ProgressSource,
    ProgressStatus,
)
from training_platform.accounts import roles
from training_platform.accounts.models import (
    Country,
    Organisation,
    OrganisationType,
    Sex,
    User,
)
from training_platform.accounts.reference_data import COUNTRIES as REGION_COUNTRIES

EMAIL_DOMAIN = "load.example"
SLUG_PREFIX = "load-"
ORGANISATION_SUFFIX = " [load]"
BANK_NAME = "Load data questions"
TEMPLATE_NAME = "Load data certificate"
# Printed by the command; the generator refuses to run in production.
PASSWORD = "load-data-password"  # noqa: S105
CHUNK = 5_000
HISTORY_DAYS = 730

# Beyond the region: code, English, Russian, capital, sub-region "other".
EXTRA_COUNTRIES = [
    ("RO", "Romania", "Румыния", "Bucharest"),
    ("BG", "Bulgaria", "Болгария", "Sofia"),
    ("HR", "Croatia", "Хорватия", "Zagreb"),
    ("SI", "Slovenia", "Словения", "Ljubljana"),
    ("GR", "Greece", "Греция", "Athens"),
    ("HU", "Hungary", "Венгрия", "Budapest"),
    ("SK", "Slovakia", "Словакия", "Bratislava"),
    ("CZ", "Czechia", "Чехия", "Prague"),
    ("PL", "Poland", "Польша", "Warsaw"),
    ("LT", "Lithuania", "Литва", "Vilnius"),
    ("LV", "Latvia", "Латвия", "Riga"),
    ("EE", "Estonia", "Эстония", "Tallinn"),
    ("AT", "Austria", "Австрия", "Vienna"),
    ("DE", "Germany", "Германия", "Berlin"),
    ("IT", "Italy", "Италия", "Rome"),
    ("CY", "Cyprus", "Кипр", "Nicosia"),
    ("MT", "Malta", "Мальта", "Valletta"),
    ("FR", "France", "Франция", "Paris"),
    ("ES", "Spain", "Испания", "Madrid"),
    ("PT", "Portugal", "Португалия", "Lisbon"),
    ("NL", "Netherlands", "Нидерланды", "Amsterdam"),
    ("BE", "Belgium", "Бельгия", "Brussels"),
    ("SE", "Sweden", "Швеция", "Stockholm"),
    ("FI", "Finland", "Финляндия", "Helsinki"),
    ("MN", "Mongolia", "Монголия", "Ulaanbaatar"),
]

CITIES = {
    "AL": ["Tirana", "Durrës", "Shkodër"],
    "AM": ["Yerevan", "Gyumri", "Vanadzor"],
    "AZ": ["Baku", "Ganja", "Sumgait"],
    "BY": ["Minsk", "Gomel", "Brest"],
    "BA": ["Sarajevo", "Banja Luka", "Tuzla"],
    "GE": ["Tbilisi", "Batumi", "Kutaisi"],
    "KZ": ["Astana", "Almaty", "Shymkent"],
    "XK": ["Pristina", "Prizren", "Peja"],
    "KG": ["Bishkek", "Osh", "Karakol"],
    "MD": ["Chișinău", "Bălți", "Cahul"],
    "ME": ["Podgorica", "Nikšić", "Bar"],
    "MK": ["Skopje", "Bitola", "Ohrid"],
    "RS": ["Belgrade", "Novi Sad", "Niš"],
    "TJ": ["Dushanbe", "Khujand", "Bokhtar"],
    "TM": ["Ashgabat", "Türkmenabat", "Mary"],
    "TR": ["Ankara", "Istanbul", "Gaziantep"],
    "UA": ["Kyiv", "Lviv", "Odesa"],
    "UZ": ["Tashkent", "Samarkand", "Fergana"],
}

# Relative numbers of learners: some countries are much bigger than others.
COUNTRY_SIZE = {
    "UA": 10,
    "UZ": 8,
    "KZ": 7,
    "RS": 6,
    "TR": 6,
    "AZ": 5,
    "AL": 4,
    "GE": 4,
    "MD": 4,
    "BY": 3,
    "AM": 3,
    "KG": 3,
    "TJ": 3,
    "BA": 3,
    "MK": 2,
    "XK": 2,
    "ME": 1,
    "TM": 1,
}

SEX_SHARE = {Sex.FEMALE: 55, Sex.MALE: 40, Sex.OTHER: 1, Sex.UNDISCLOSED: 4}
STATUS_SHARE = {
    EnrolmentStatus.COMPLETED: 40,
    EnrolmentStatus.ACTIVE: 45,
    EnrolmentStatus.WITHDRAWN: 10,
    EnrolmentStatus.PENDING: 5,
}
ENROLMENTS_PER_LEARNER = {1: 40, 2: 30, 3: 20, 4: 10}
ORGANISATION_KIND_SHARE = {
    OrganisationType.GOVERNMENT: 55,
    OrganisationType.NGO: 20,
    OrganisationType.INTERNATIONAL: 10,
    OrganisationType.ACADEMIA: 8,
    OrganisationType.OTHER: 7,
}
# Share of learners who prefer Russian, by sub-region.
RUSSIAN_SHARE = {
    "eastern_europe": 0.6,
    "central_asia": 0.75,
    "south_caucasus": 0.35,
    "western_balkans": 0.05,
    "other": 0.05,
}

ORGANISATION_NAMES = {
    OrganisationType.GOVERNMENT: [
        "Ministry of Interior",
        "Border Police Directorate",
        "State Labour Inspectorate",
        "Ministry of Labour and Social Protection",
        "Public Prosecutor's Office",
        "Centre for Social Work, {city}",
        "Consular Department, Ministry of Foreign Affairs",
        "National Referral Mechanism Office",
        "Migration Service",
        "Police Directorate, {city}",
        "Court of Appeal, {city}",
        "Office of the National Anti-Trafficking Coordinator",
        "Ministry of Justice",
        "Child Protection Agency",
        "Ombudsperson's Office",
        "State Employment Agency",
        "Shelter for Victims of Trafficking, {city}",
    ],
    OrganisationType.NGO: [
        "Anti-Trafficking Action",
        "Legal Aid Network",
        "Women's Rights Centre, {city}",
        "Migrant Support Centre",
        "Children's Rights Association",
        "Hotline for Victims of Trafficking",
        "Centre for Human Rights, {city}",
        "Refugee Support Network",
        "Labour Rights Foundation",
    ],
    OrganisationType.INTERNATIONAL: [
        "IOM Mission in {country}",
        "UNHCR Office in {country}",
        "UNICEF Country Office, {country}",
        "OSCE Mission to {country}",
        "UN Women Office, {country}",
        "ILO Project Office, {country}",
    ],
    OrganisationType.ACADEMIA: [
        "Police Academy",
        "University of {city}, Faculty of Law",
        "Judicial Training Centre",
        "Institute of Social Work, {city}",
        "School of Public Administration",
    ],
    OrganisationType.OTHER: [
        "Bar Association",
        "Chamber of Commerce",
        "Trade Union Confederation",
        "Journalists' Association",
        "Association of Social Workers",
    ],
}

POSITIONS = {
    OrganisationType.GOVERNMENT: [
        "Border police officer",
        "Labour inspector",
        "Social worker",
        "Prosecutor",
        "Judge",
        "Consular officer",
        "Police investigator",
        "Migration officer",
        "Head of unit",
        "Legal adviser",
    ],
    OrganisationType.NGO: [
        "Case worker",
        "Project coordinator",
        "Lawyer",
        "Psychologist",
        "Hotline counsellor",
        "Outreach worker",
    ],
    OrganisationType.INTERNATIONAL: [
        "Programme officer",
        "Protection officer",
        "Project assistant",
    ],
    OrganisationType.ACADEMIA: ["Lecturer", "Researcher", "Professor"],
    OrganisationType.OTHER: ["Lawyer", "Trade union representative", "Consultant"],
}

# Name pools: "Latin:native" where the native script differs. Surnames of the
# groups in GENDERED_SURNAMES take a feminine ending (Ivanov, Ivanova).
NAMES = {
    "ua": (
        "Olena:Олена Iryna:Ірина Oksana:Оксана Nataliia:Наталія Tetiana:Тетяна "
        "Yuliia:Юлія Svitlana:Світлана Kateryna:Катерина Halyna:Галина Mariia:Марія",
        "Oleksandr:Олександр Andrii:Андрій Serhii:Сергій Dmytro:Дмитро "
        "Mykola:Микола Volodymyr:Володимир Yurii:Юрій Taras:Тарас Ivan:Іван "
        "Petro:Петро",
        "Kovalenko:Коваленко Shevchenko:Шевченко Bondarenko:Бондаренко "
        "Tkachenko:Ткаченко Melnyk:Мельник Kravchenko:Кравченко Boiko:Бойко "
        "Savchuk:Савчук Moroz:Мороз Lysenko:Лисенко Marchenko:Марченко "
        "Rudenko:Руденко",
    ),
    "ru": (
        "Anna:Анна Olga:Ольга Tatiana:Татьяна Elena:Елена Natalia:Наталья "
        "Irina:Ирина Svetlana:Светлана Yulia:Юлия Maria:Мария Ekaterina:Екатерина",
        "Aleksandr:Александр Sergei:Сергей Dmitry:Дмитрий Andrei:Андрей "
        "Aleksei:Алексей Vladimir:Владимир Ivan:Иван Mikhail:Михаил Pavel:Павел "
        "Nikolai:Николай",
        "Ivanov:Иванов Kuznetsov:Кузнецов Novikov:Новиков Morozov:Морозов "
        "Volkov:Волков Sokolov:Соколов Lebedev:Лебедев Kozlov:Козлов "
        "Pavlov:Павлов Karpovich:Карпович Kovalev:Ковалев Zhukov:Жуков",
    ),
    "ca": (
        "Aigerim:Айгерим Dinara:Динара Madina:Мадина Gulnara:Гульнара "
        "Zarina:Зарина Nigora:Нигора Aizhan:Айжан Dilnoza:Дилноза Asel:Асель "
        "Malika:Малика",
        "Nurlan:Нурлан Azamat:Азамат Timur:Тимур Rustam:Рустам "
        "Bakhtiyor:Бахтиёр Farrukh:Фаррух Daniyar:Данияр Bekzod:Бекзод "
        "Ermek:Эрмек Sherzod:Шерзод",
        "Nurmagambetov:Нурмагамбетов Abdullaev:Абдуллаев Karimov:Каримов "
        "Rakhimov:Рахимов Saidov:Саидов Tursunov:Турсунов Akhmetov:Ахметов "
        "Ismoilov:Исмоилов Sadykov:Садыков Yusupov:Юсупов Omarov:Омаров "
        "Zhakupov:Жакупов",
    ),
    "sr": (
        "Ana:Ана Milica:Милица Jelena:Јелена Marija:Марија Ivana:Ивана "
        "Dragana:Драгана Snežana:Снежана Tijana:Тијана Maja:Маја Vesna:Весна",
        "Marko:Марко Nikola:Никола Stefan:Стефан Milan:Милан Dragan:Драган "
        "Nemanja:Немања Aleksandar:Александар Luka:Лука Zoran:Зоран Dejan:Дејан",
        "Petrović:Петровић Jovanović:Јовановић Nikolić:Николић "
        "Marković:Марковић Đorđević:Ђорђевић Stojanović:Стојановић Ilić:Илић "
        "Pavlović:Павловић Popović:Поповић Kovačević:Ковачевић "
        "Todorović:Тодоровић Savić:Савић",
    ),
    "sq": (
        "Elira Arta Besa Drita Ermira Fjolla Jonida Klea Mirela Valbona",
        "Arben Besnik Dritan Endrit Fatos Gentian Ilir Kujtim Luan Erion",
        "Hoxha Shehu Krasniqi Gashi Berisha Dervishi Leka Çela Kola Basha Morina "
        "Hasani",
    ),
    "ka": (
        "Nino:ნინო Tamar:თამარ Mariam:მარიამ Ana:ანა Salome:სალომე Eka:ეკა",
        "Giorgi:გიორგი Davit:დავით Levan:ლევან Irakli:ირაკლი "
        "Nikoloz:ნიკოლოზ Zurab:ზურაბ",
        "Beridze:ბერიძე Kapanadze:კაპანაძე Gelashvili:გელაშვილი "
        "Maisuradze:მაისურაძე Lomidze:ლომიძე Tsiklauri:წიკლაური",
    ),
    "hy": (
        "Anahit:Անահիտ Lilit:Լիլիթ Mariam:Մարիամ Armine:Արմինե Gayane:Գայանե",
        "Aram:Արամ Tigran:Տիգրան Hayk:Հայկ Davit:Դավիթ Armen:Արմեն",
        "Hakobyan:Հակոբյան Grigoryan:Գրիգորյան Sargsyan:Սարգսյան "
        "Petrosyan:Պետրոսյան Harutyunyan:Հարությունյան Khachatryan:Խաչատրյան",
    ),
    "az": (
        "Aynur Leyla Günel Nigar Sevinj Aysel",
        "Elvin Rashad Kamran Tural Orkhan Farid",
        "Mammadov Aliyev Huseynov Hasanov Guliyev Ismayilov",
    ),
    "ro": (
        "Ana Maria Elena Ioana Cristina Natalia Mihaela Diana",
        "Ion Andrei Vasile Mihai Alexandru Sergiu Victor Dumitru",
        "Rusu Ceban Popa Lungu Munteanu Cojocaru Ciobanu Popescu Ionescu Moraru",
    ),
    "tr": (
        "Ayşe Elif Zeynep Fatma Emine Merve",
        "Mehmet Mustafa Ahmet Ali Emre Murat",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk",
    ),
    "bg": (
        "Maria:Мария Ivana:Ивана Desislava:Десислава Elena:Елена Petya:Петя",
        "Georgi:Георги Ivan:Иван Dimitar:Димитър Nikolay:Николай Petar:Петър",
        "Ivanov:Иванов Georgiev:Георгиев Dimitrov:Димитров Petrov:Петров "
        "Nikolov:Николов",
    ),
    "eu": (
        "Anna Maria Eva Katarina Petra Laura Sofia Julia",
        "Peter Tomas Martin Jan Marco Andreas Luka Mateusz",
        "Novak Horvat Kovács Nagy Papadopoulos Kowalski Müller Rossi Bauer Novotný",
    ),
}
GENDERED_SURNAMES = {"ru", "ca", "az", "bg"}
NAME_GROUP = {
    "UA": "ua",
    "BY": "ru",
    "MD": "ro",
    "RO": "ro",
    "KZ": "ca",
    "KG": "ca",
    "TJ": "ca",
    "TM": "ca",
    "UZ": "ca",
    "MN": "ca",
    "RS": "sr",
    "ME": "sr",
    "BA": "sr",
    "MK": "sr",
    "HR": "sr",
    "AL": "sq",
    "XK": "sq",
    "GE": "ka",
    "AM": "hy",
    "AZ": "az",
    "TR": "tr",
    "BG": "bg",
}
# Share of learners who write their full name in the native script.
NATIVE_SCRIPT_SHARE = {
    "UA": 0.5,
    "BY": 0.5,
    "KZ": 0.5,
    "KG": 0.5,
    "TJ": 0.5,
    "UZ": 0.2,
    "TM": 0.2,
    "MN": 0.2,
    "RS": 0.3,
    "ME": 0.2,
    "BA": 0.2,
    "MK": 0.5,
    "BG": 0.6,
    "GE": 0.2,
    "AM": 0.2,
}

COURSE_TOPICS = [
    (
        "Identifying and referring victims of trafficking",
        "Выявление и перенаправление жертв торговли людьми",
        "trafficking",
    ),
    (
        "Protection of unaccompanied and separated children",
        "Защита несопровождаемых и разлучённых детей",
        "children",
    ),
    (
        "Labour exploitation and fair recruitment",
        "Трудовая эксплуатация и добросовестный наём",
        "labour migration",
    ),
    (
        "National referral mechanisms in practice",
        "Национальные механизмы перенаправления на практике",
        "referral",
    ),
    (
        "Interviewing victims: a trauma-informed approach",
        "Опрос пострадавших: подход с учётом травмы",
        "trafficking",
    ),
    ("Legal assistance for migrants", "Правовая помощь мигрантам", "legal aid"),
    (
        "Domestic violence and migration",
        "Домашнее насилие и миграция",
        "domestic violence",
    ),
    (
        "Investigating trafficking cases",
        "Расследование дел о торговле людьми",
        "trafficking",
    ),
    (
        "Prosecuting trafficking and protecting witnesses",
        "Уголовное преследование и защита свидетелей",
        "legal aid",
    ),
    (
        "Consular assistance to nationals abroad",
        "Консульская помощь гражданам за рубежом",
        "labour migration",
    ),
    (
        "Border management and human rights",
        "Управление границами и права человека",
        "referral",
    ),
    (
        "Labour inspection in high-risk sectors",
        "Трудовые инспекции в секторах высокого риска",
        "labour migration",
    ),
    (
        "Gender-based violence in crisis settings",
        "Гендерное насилие в кризисных ситуациях",
        "domestic violence",
    ),
    (
        "Online recruitment and technology-facilitated trafficking",
        "Онлайн-вербовка и торговля людьми с использованием технологий",
        "trafficking",
    ),
    (
        "Safe and regular labour migration",
        "Безопасная и законная трудовая миграция",
        "labour migration",
    ),
    (
        "Return and reintegration of victims",
        "Возвращение и реинтеграция пострадавших",
        "referral",
    ),
    (
        "Working with interpreters and cultural mediators",
        "Работа с переводчиками и культурными медиаторами",
        "referral",
    ),
    (
        "Data protection in case management",
        "Защита данных при ведении дел",
        "legal aid",
    ),
    (
        "Victim-centred justice for judges",
        "Правосудие, ориентированное на пострадавших, для судей",
        "legal aid",
    ),
    (
        "Psychosocial support and self-care for practitioners",
        "Психосоциальная поддержка и забота о себе для специалистов",
        "referral",
    ),
    (
        "Smuggling of migrants: law and protection",
        "Незаконный ввоз мигрантов: право и защита",
        "legal aid",
    ),
    (
        "Statelessness and access to documents",
        "Безгражданство и доступ к документам",
        "legal aid",
    ),
]
MODULE_TITLES = [
    ("Understanding the problem", "Понимание проблемы"),
    ("Identification and first contact", "Выявление и первый контакт"),
    ("Protection and referral", "Защита и перенаправление"),
    ("Cooperation and follow-up", "Сотрудничество и сопровождение"),
]
LESSON_TITLES = [
    ("Key terms", "Основные понятия"),
    ("The legal framework", "Правовая база"),
    ("Indicators in practice", "Индикаторы на практике"),
    ("A case study", "Разбор случая"),
    ("Rights of the person concerned", "Права пострадавшего"),
    ("The first interview", "Первое интервью"),
    ("Safety planning", "Планирование безопасности"),
    ("Referral pathways", "Пути перенаправления"),
    ("Working with other agencies", "Работа с другими ведомствами"),
    ("Documenting the case", "Документирование случая"),
    ("Common mistakes", "Типичные ошибки"),
    ("Summary and resources", "Итоги и ресурсы"),
    ("Communicating with children", "Общение с детьми"),
    ("Informed consent", "Информированное согласие"),
    ("Confidentiality", "Конфиденциальность"),
]
OPTIONAL_LESSON = ("Further reading", "Дополнительные материалы")
ASSESSMENTS = {
    # kind: titles, marks (one point a question), pass mark, attempts, minutes
    AssessmentKind.PRETEST: (("Pre-test", "Входной тест"), 15, 70, 1, None),
    AssessmentKind.POSTTEST: (("Post-test", "Заключительный тест"), 15, 70, 2, None),
    AssessmentKind.FINAL: (("Final exam", "Итоговый экзамен"), 20, 70, 3, 60),
}
REVOCATION_REASONS = [
    "Issued in error: the course was completed on another person's account.",
    "The learner's identity could not be confirmed.",
    "Duplicate of a certificate issued for the classroom course.",
    "Misconduct in the final exam, confirmed by the course coordinator.",
    "Requested by the learner's organisation after an audit of the training.",
]
SESSION_BREAK = 0.3  # chance of a new study session before the next item
MEAN_BREAK_DAYS = 2.5


class LoadDataError(Exception):
    """The data set cannot be generated (present already, bad sizes, ...)."""


# ---------------------------------------------------------------- writing


class _Ids:
    """Primary keys handed out before the rows are written, taken from the
    table's sequence on PostgreSQL (safe beside other writers) and after the
    largest id elsewhere (the transaction holds the only writer)."""

    BLOCK = 20_000

    def __init__(self, model):
        self.model = model
        self.free = []
        self.sequence = None
        self.last = None
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                self.sequence = cursor.fetchone()[0]
            else:
                self.last = model.objects.aggregate(m=models.Max("pk"))["m"] or 0

    def take(self):
        if self.sequence is None:
            self.last += 1
            return self.last
        if not self.free:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    [self.sequence, self.BLOCK],
                )
                self.free = [row[0] for row in cursor.fetchall()]
            self.free.reverse()
        return self.free.pop()


class _Table:
    """Rows of one model, given as tuples in ``columns`` order (attribute
    names). The other columns take their field's default, evaluated once, so
    a field whose value must differ per row (unique, ``auto_now``) or that has
    no default must be among ``columns``."""

    def __init__(self, model, columns):
        meta = model._meta
        self.model = model
        self.columns = list(columns)
        given = [meta.get_field(name) for name in self.columns]
        given_names = {f.attname for f in given}
        rest = []
        for f in meta.concrete_fields:
            if f.attname in given_names or f.primary_key or f.has_db_default():
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                raise LoadDataError(f"{meta.label}.{f.name} must be given")
            value = f.get_default()
            if value is None and not f.null or f.unique and value is not None:
                raise LoadDataError(f"{meta.label}.{f.name} must be given")
            rest.append((f, value))
        fields = given + [f for f, _value in rest]
        self.rest_values = tuple(value for _f, value in rest)
        quote = connection.ops.quote_name
        self.sql_columns = ", ".join(quote(f.column) for f in fields)
        self.fields = fields
        self.table = quote(meta.db_table)
        self.rows = []
        self.count = 0
        if connection.vendor == "postgresql":
            # psycopg adapts the Python values itself; JSON needs a wrapper.
            self.converters = [
                (i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)
            ]
        else:
            self.converters = list(enumerate(fields))

    def add(self, row):
        self.rows.append(row)

    def _prepared(self):
        rest = self.rest_values
        converters = self.converters
        for row in self.rows:
            values = row + rest
            if converters:
                values = list(values)
                for i, f in converters:
                    values[i] = f.get_db_prep_save(values[i], connection)
            yield values

    def flush(self):
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({self.sql_columns}) FROM STDIN"
                with cursor.copy(sql) as copy:
                    for values in self._prepared():
                        copy.write_row(values)
            else:
                # Table and column names come from the model's metadata.
                marks = ", ".join(["%s"] * len(self.fields))
                sql = f"INSERT INTO {self.table} ({self.sql_columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, list(self._prepared()))
        self.count += len(self.rows)
        self.rows = []


# ---------------------------------------------------------------- helpers


def _out(stdout, message):
    if stdout is not None:
        stdout.write(message + "\n")


def _quota(rng, n, shares):
    """``n`` labels in the proportions of ``shares`` (largest remainder; every
    label at least once when ``n`` allows), in random order."""
    total = sum(shares.values())
    exact = {label: n * share / total for label, share in shares.items()}
    counts = {label: int(value) for label, value in exact.items()}
    if n >= len(shares):
        for label in shares:
            counts[label] = max(counts[label], 1)
    while sum(counts.values()) > n:
        label = max(counts, key=lambda k: (counts[k] - exact[k], counts[k]))
        counts[label] -= 1
    for label in sorted(exact, key=lambda k: counts[k] - exact[k]):
        if sum(counts.values()) >= n:
            break
        counts[label] += 1
    labels = [label for label, count in counts.items() for _i in range(count)]
    rng.shuffle(labels)
    return labels


def _weighted(rng, shares):
    labels = list(shares)
    return rng.choices(labels, weights=[shares[k] for k in labels])[0]


def _feminine(surname):
    for latin, native in (("ov", "ов"), ("ev", "ев"), ("in", "ин")):
        if surname.endswith(latin) or surname.endswith(native):
            return surname + ("a" if surname.isascii() else "а")
    return surname


def _pool(text):
    """ "Latin:native Latin ..." -> [(latin, native or None), ...]."""
    pairs = []
    for token in text.split():
        latin, _sep, native = token.partition(":")
        pairs.append((latin, native or None))
    return pairs


NAME_POOLS = {
    group: tuple(_pool(text) for text in texts) for group, texts in NAMES.items()
}


_CODE_SYMBOLS = ALPHABET


def _code(rng):
    bits = rng.getrandbits(LENGTH * 5)
    symbols = []
    for _i in range(LENGTH):
        symbols.append(_CODE_SYMBOLS[bits & 31])
        bits >>= 5
    return "".join(symbols)


def _percent(marks, max_marks):
    return (Decimal(marks) * 100 / Decimal(max_marks)).quantize(Decimal("0.001"))


# ---------------------------------------------------------------- structure


@dataclass
class _Item:
    key: uuid.UUID
    kind: str  # lesson, optional, or an AssessmentKind
    pages: dict
    required: bool
    max_marks: int = 0
    pass_mark: int = 0
    max_attempts: int = 1
    time_limit: int | None = None


@dataclass
class _Course:
    key: uuid.UUID
    title: str
    pages: dict
    items: list
    weight: float
    approval: bool
    difficulty: float
    hours: Decimal
    issue_certificates: bool
    validity_months: int | None
    minimum_score: Decimal | None
    required_count: int = 0


@dataclass
class _Country:
    pk: int
    code: str
    name: str
    sub_region: str
    weight: float
    organisations: list = field(default_factory=list)  # (pk, kind, weight)


def _countries(rng, wanted):
    region = [code for code, *_rest in REGION_COUNTRIES]
    limit = len(region) + len(EXTRA_COUNTRIES)
    if wanted > limit:
        raise LoadDataError(f"At most {limit} countries are available.")
    existing = {c.code: c for c in Country.objects.filter(code__in=region)}
    chosen = [existing[code] for code in region if code in existing][:wanted]
    created = 0
    for code, name, name_ru, _capital in EXTRA_COUNTRIES:
        if len(chosen) >= wanted:
            break
        country, was_created = Country.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_ru": name_ru, "sub_region": "other"},
        )
        created += was_created
        chosen.append(country)
    result = []
    for country in chosen:
        base = COUNTRY_SIZE.get(country.code) or rng.uniform(0.5, 2.5)
        weight = base * rng.lognormvariate(0, 0.25)
        result.append(
            _Country(country.pk, country.code, country.name, country.sub_region, weight)
        )
    return result, created


def _organisations(rng, countries, now):
    table = _Table(
        Organisation, ["id", "name", "kind", "country_id", "verified", "created_at"]
    )
    ids = _Ids(Organisation)
    capitals = {code: capital for code, _n, _r, capital in EXTRA_COUNTRIES}
    created_at = now - timedelta(days=HISTORY_DAYS + 30)
    for country in countries:
        cities = CITIES.get(country.code) or [capitals.get(country.code, "the capital")]
        used = set()
        for _i in range(rng.randint(5, 15)):
            kind = _weighted(rng, ORGANISATION_KIND_SHARE)
            name = None
            for candidate_kind in (kind, OrganisationType.GOVERNMENT):
                options = [
                    template.format(city=city, country=country.name)
                    for template in ORGANISATION_NAMES[candidate_kind]
                    for city in cities
                ]
                options = [o for o in dict.fromkeys(options) if o not in used]
                if options:
                    name, kind = rng.choice(options), candidate_kind
                    break
            if name is None:
                continue
            used.add(name)
            pk = ids.take()
            table.add(
                (pk, name + ORGANISATION_SUFFIX, kind, country.pk, True, created_at)
            )
            # Government bodies are the biggest employers of the audience.
            size = rng.paretovariate(1.2) * (
                2.0 if kind == OrganisationType.GOVERNMENT else 1.0
            )
            country.organisations.append((pk, kind, size))
    table.flush()
    return table.count


def _page(parent, cls, fields, *, published, translation_key=None):
    """A live page under ``parent`` (in its locale), saved once: no revision
    or publishing signals are needed for pages nobody has edited."""
    fields = dict(fields)
    rules = fields.pop("random_rules", ())
    topics = fields.pop("topics", ())
    page = cls(
        **fields,
        locale_id=parent.locale_id,
        live=True,
        first_published_at=published,
        last_published_at=published,
    )
    if translation_key is not None:
        page.translation_key = translation_key
    for rule in rules:
        page.random_rules.add(RandomQuestionRule(**rule))
    for topic in topics:
        page.topics.add(topic)
    parent.add_child(instance=page)
    return page


def _question_bank():
    bank = QuestionBank.objects.create(
        name=BANK_NAME, description="Questions of the load-test courses."
    )
    for n in range(1, 25):
        make_question(
            "single",
            bank=bank,
            title=f"Load question {n}",
            text=f"<p>Which step comes first in situation {n}?</p>",
            choices=[
                ("Ensure the person's safety", True, ""),
                ("Ask for identity documents", False, ""),
                ("Contact the employer", False, ""),
                ("Close the case", False, ""),
            ],
        )
    return bank


def _course_tree(rng, i, bank):
    """The pages of course ``i``: (class, fields, Russian title, kind,
    children), and what the course's records need to know."""
    title, title_ru, topic = COURSE_TOPICS[i % len(COURSE_TOPICS)]
    if i >= len(COURSE_TOPICS):
        edition = i // len(COURSE_TOPICS) + 1
        title, title_ru = f"{title} ({edition})", f"{title_ru} ({edition})"
    module_count = rng.choice([2, 3, 3, 3, 4])
    lesson_counts = [rng.choice([3, 4, 4, 5]) for _m in range(module_count)]
    minutes = sum(lesson_counts) * 15 + 90
    hours = Decimal(round(minutes / 30) / 2).quantize(Decimal("0.1"))
    approval = i % 4 == 2
    modules = []
    lesson_number = 0
    for m, lessons in enumerate(lesson_counts):
        children = []
        kinds = ["lesson"] * lessons
        if m == 0:
            kinds.insert(0, AssessmentKind.PRETEST)
        if m == module_count - 1:
            kinds += ["optional", AssessmentKind.POSTTEST, AssessmentKind.FINAL]
        for n, kind in enumerate(kinds):
            if kind in ("lesson", "optional"):
                if kind == "optional":
                    lesson_title, lesson_ru = OPTIONAL_LESSON
                else:
                    lesson_title, lesson_ru = LESSON_TITLES[
                        lesson_number % len(LESSON_TITLES)
                    ]
                    lesson_number += 1
                fields = {
                    "title": lesson_title,
                    "slug": f"{slugify(lesson_title)}-{m + 1}-{n + 1}",
                    "estimated_minutes": rng.choice([10, 15, 15, 20, 30]),
                    "completion_mode": CompletionMode.MANUAL,
                    "required_for_completion": kind == "lesson",
                    "body": [
                        (
                            "rich_text",
                            f"<p>{lesson_title}: what a practitioner needs to "
                            "know, with an example from the region.</p>",
                        )
                    ],
                }
                children.append((LessonPage, fields, lesson_ru, kind, []))
            else:
                titles, marks, pass_mark, attempts, limit = ASSESSMENTS[kind]
                fields = {
                    "title": titles[0],
                    "slug": slugify(titles[0]),
                    "kind": kind,
                    "pass_mark": Decimal(pass_mark),
                    "max_attempts": attempts,
                    "time_limit_minutes": limit,
                    "grading_method": GradingMethod.HIGHEST,
                    "required_for_completion": kind == AssessmentKind.FINAL,
                    "gate_course_content": kind == AssessmentKind.PRETEST,
                    "random_rules": [{"bank": bank, "count": marks}],
                }
                children.append((AssessmentPage, fields, titles[1], kind, []))
        module_title, module_ru = MODULE_TITLES[m % len(MODULE_TITLES)]
        fields = {
            "title": f"Module {m + 1}: {module_title}",
            "slug": f"module-{m + 1}",
            "summary": f"{module_title}.",
        }
        modules.append(
            (ModulePage, fields, f"Модуль {m + 1}: {module_ru}", "module", children)
        )
    fields = {
        "title": title,
        "slug": f"{SLUG_PREFIX}{i + 1:02d}-{slugify(title)[:40]}",
        "summary": f"A self-paced course for officials and NGO staff: {title.lower()}.",
        "objectives": "<ul><li>Identify the indicators</li>"
        "<li>Refer the person to the right service</li></ul>",
        "estimated_hours": hours,
        "level": rng.choice(list(Level.values)),
        "enrolment_mode": EnrolmentMode.APPROVAL if approval else EnrolmentMode.OPEN,
        "topics": [topic],
    }
    return (CoursePage, fields, title_ru, "course", modules), approval, hours


def _build(parent, node, published, pages, language, keys=None):
    """Create the pages of ``node`` under ``parent``; ``pages`` collects
    (kind, fields, page) in tree order. A translation passes the ``keys`` of
    the original pages, in the same order."""
    cls, fields, title_ru, kind, children = node
    if language != "en":
        fields = {**fields, "title": title_ru}
    key = keys.pop(0) if keys is not None else None
    page = _page(parent, cls, fields, published=published, translation_key=key)
    pages.append((kind, fields, page))
    for child in children:
        _build(page, child, published, pages, language, keys)
    return page


def _courses(rng, wanted, now, stdout):
    english = Locale.objects.get(language_code="en")
    russian = Locale.objects.filter(language_code="ru").first()
    index = CourseIndexPage.objects.filter(locale=english).first()
    if index is None:
        from courses.reference_data import ensure_course_catalogue

        ensure_course_catalogue()
        index = CourseIndexPage.objects.filter(locale=english).first()
    if index is None:
        raise LoadDataError("There is no home page to put the course catalogue under.")
    index_ru = index.get_translation_or_none(russian) if russian else None
    bank = _question_bank()
    template = CertificateTemplate.objects.create(name=TEMPLATE_NAME, language="en")
    published = now - timedelta(days=HISTORY_DAYS + 30)
    courses = []
    for i in range(wanted):
        tree, approval, hours = _course_tree(rng, i, bank)
        if wanted < 3 and i == wanted - 1:
            approval = True
            tree[1]["enrolment_mode"] = EnrolmentMode.APPROVAL
        rule = {
            "template": template,
            "issue_certificates": i % 7 != 6,
            "validity_months": 12 if i % 5 == 1 else (36 if i % 5 == 4 else None),
            "minimum_score": Decimal("80") if i % 5 == 3 else None,
        }
        built = {}
        pages = []
        course = _build(index, tree, published, pages, "en")
        built["en"] = pages
        CourseCertificateRule.objects.create(course=course, **rule)
        if index_ru is not None and i % 3 != 2:
            keys = [page.translation_key for _kind, _fields, page in pages]
            pages_ru = []
            course_ru = _build(index_ru, tree, published, pages_ru, "ru", keys)
            built["ru"] = pages_ru
            CourseCertificateRule.objects.create(course=course_ru, **rule)
        items = []
        for position, (kind, fields, page) in enumerate(built["en"]):
            if kind in ("course", "module"):
                continue
            item = _Item(
                key=page.translation_key,
                kind=kind,
                pages={
                    language: pages[position][2].pk for language, pages in built.items()
                },
                required=bool(fields["required_for_completion"]),
            )
            if kind not in ("lesson", "optional"):
                _titles, marks, pass_mark, attempts, limit = ASSESSMENTS[kind]
                item.max_marks, item.pass_mark = marks, pass_mark
                item.max_attempts, item.time_limit = attempts, limit
            items.append(item)
        courses.append(
            _Course(
                key=course.translation_key,
                title=course.title,
                pages={language: pages[0][2].pk for language, pages in built.items()},
                items=items,
                weight=1 / (i + 1) ** 0.8,
                approval=approval,
                difficulty=rng.gauss(0, 0.4),
                hours=hours,
                issue_certificates=rule["issue_certificates"],
                validity_months=rule["validity_months"],
                minimum_score=rule["minimum_score"],
                required_count=sum(1 for item in items if item.required),
            )
        )
        _out(stdout, f"  course {i + 1}/{wanted}: {course.title} ({', '.join(built)})")
    # Popularity does not follow the order of creation.
    weights = [c.weight for c in courses]
    rng.shuffle(weights)
    for course, weight in zip(courses, weights, strict=True):
        course.weight = weight
    return courses, template


# ---------------------------------------------------------------- learners


class _Learners:
    """Generates learners chunk by chunk and writes their rows."""

    def __init__(self, rng, *, countries, courses, template, now):
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=HISTORY_DAYS)
        self.countries = countries
        self.country_weights = [c.weight for c in countries]
        self.courses = courses
        self.template_id = template.pk
        self.template_version = template.version
        self.template_language = template.language
        self.snapshot = json.loads(json.dumps(template.snapshot()))
        self.password = make_password(PASSWORD)
        self.learners_group = Group.objects.get(name=roles.LEARNERS).pk
        self.ids = {
            model: _Ids(model)
            for model in (User, Enrolment, CourseCompletion, Attempt, Certificate)
        }
        self.users = _Table(
            User,
            [
                "id",
                "password",
                "email",
                "full_name",
                "certificate_name",
                "country_id",
                "organisation_id",
                "position",
                "sex",
                "preferred_language",
                "consent_at",
                "consent_version",
                "is_active",
                "date_joined",
            ],
        )
        self.memberships = _Table(User.groups.through, ["user_id", "group_id"])
        from allauth.account.models import EmailAddress

        self.addresses = _Table(
            EmailAddress, ["user_id", "email", "verified", "primary"]
        )
        self.enrolments = _Table(
            Enrolment,
            [
                "id",
                "user_id",
                "course_key",
                "course_id",
                "status",
                "source",
                "enrolled_at",
                "completed_at",
                "withdrawn_at",
                "progress_percent",
                "last_page_id",
                "last_accessed_at",
                "notified_at",
            ],
        )
        self.progress = _Table(
            ItemProgress,
            [
                "user_id",
                "enrolment_id",
                "item_key",
                "page_id",
                "status",
                "completed_at",
                "score",
                "passed",
                "source",
                "created_at",
                "updated_at",
            ],
        )
        self.attempts = _Table(
            Attempt,
            [
                "id",
                "user_id",
                "page_id",
                "assessment_key",
                "course_key",
                "kind",
                "number",
                "state",
                "sequence",
                "started_at",
                "deadline",
                "last_saved_at",
                "finished_at",
                "max_marks",
                "marks",
                "percent",
                "passed",
            ],
        )
        self.results = _Table(
            AssessmentResult,
            [
                "user_id",
                "assessment_key",
                "course_key",
                "page_id",
                "kind",
                "percent",
                "passed",
                "attempts_finished",
                "counted_attempt_id",
                "updated_at",
            ],
        )
        self.completions = _Table(
            CourseCompletion, ["id", "enrolment_id", "completed_at", "final_score"]
        )
        self.certificates = _Table(
            Certificate,
            [
                "id",
                "code",
                "user_id",
                "course_key",
                "enrolment_id",
                "completion_ref",
                "course_id",
                "template_id",
                "status",
                "learner_name",
                "course_title",
                "language",
                "score",
                "hours",
                "completed_at",
                "issued_at",
                "expires_at",
                "template_version",
                "template_snapshot",
                "revoked_at",
                "revocation_reason",
                "pdf_status",
                "render_attempts",
                "rendered_at",
                "email_claimed_at",
                "email_sent_at",
                "reminder_claimed_at",
                "reminder_sent_at",
                "created_at",
                "updated_at",
            ],
        )
        self.events = _Table(
            CertificateEvent, ["certificate_id", "kind", "at", "reason", "data"]
        )
        # Written in this order, so that every row's references exist first.
        self.tables = [
            self.users,
            self.memberships,
            self.addresses,
            self.enrolments,
            self.completions,
            self.attempts,
            self.results,
            self.progress,
            self.certificates,
            self.events,
        ]

    # ------------------------------------------------------------ people

    def _moment(self, earliest, latest):
        """A time between the two, mostly in office hours on a weekday. Takes
        the same random numbers whatever the dates, so that a seed gives the
        same data on any day."""
        where, office, weekday, hour = (self.rng.random() for _i in range(4))
        span = max((latest - earliest).total_seconds(), 0)
        moment = earliest + timedelta(seconds=where * span)
        if office < 0.8:
            day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
            if day.weekday() >= 5 and weekday < 0.8:
                day -= timedelta(days=day.weekday() - 4)
            snapped = day + timedelta(hours=7.5 + 10.5 * hour)
            if earliest <= snapped <= latest:
                moment = snapped
        return moment

    def _name(self, country, sex):
        rng = self.rng
        group = NAME_GROUP.get(country.code, "eu")
        female, male, surnames = NAME_POOLS[group]
        if sex == Sex.FEMALE or (sex != Sex.MALE and rng.random() < 0.5):
            first, feminine = rng.choice(female), True
        else:
            first, feminine = rng.choice(male), False
        last = rng.choice(surnames)
        if feminine and group in GENDERED_SURNAMES:
            last = (_feminine(last[0]), _feminine(last[1]) if last[1] else None)
        latin = f"{first[0]} {last[0]}"
        native = f"{first[1] or first[0]} {last[1] or last[0]}"
        if native == latin:
            return latin, ""
        if rng.random() < NATIVE_SCRIPT_SHARE.get(country.code, 0.1):
            full, other = native, latin
        else:
            full, other = latin, native
        # Some want the other script on their certificates.
        return full, other if rng.random() < 0.25 else ""

    # ------------------------------------------------------------ history

    def _steps(self, course, status, learner):
        """The items reached, in order, and for each the attempts (as grades)
        or None for a lesson: [(item, attempts or None, completed)]."""
        rng = self.rng
        items = course.items
        if status == EnrolmentStatus.PENDING:
            return []
        if status == EnrolmentStatus.COMPLETED:
            reach = len(items)
        elif status == EnrolmentStatus.ACTIVE:
            if rng.random() < 0.15:
                return []
            reach = max(1, math.ceil(rng.random() ** 1.4 * len(items)))
        else:
            if rng.random() < 0.25:
                return []
            reach = max(1, math.ceil(rng.random() ** 2 * 0.8 * len(items)))
        steps = []
        ability = learner["ability"]
        pre_true = 50 + 9 * ability - 8 * course.difficulty
        for position, item in enumerate(items[:reach]):
            last = position == reach - 1
            kind = item.kind
            if kind == "optional" and rng.random() < 0.5:
                continue
            if kind == AssessmentKind.POSTTEST and rng.random() < 0.08:
                continue
            if kind in ("lesson", "optional"):
                done = not (last and status != EnrolmentStatus.COMPLETED)
                done = done or rng.random() < 0.5
                steps.append((item, None, done))
                continue
            if kind == AssessmentKind.PRETEST:
                means = [pre_true]
            elif kind == AssessmentKind.POSTTEST:
                gain = rng.gauss(22 + 3 * ability, 9)
                means = [pre_true + gain, pre_true + gain + 6]
            else:
                base = 74 + 8 * ability - 8 * course.difficulty
                means = [base, base + 7, base + 12]
            marks = []
            for number in range(item.max_attempts):
                value = rng.gauss(means[number], 11)
                score = min(item.max_marks, max(0, round(value * item.max_marks / 100)))
                marks.append(score)
                passed = score * 100 >= item.pass_mark * item.max_marks
                if kind == AssessmentKind.PRETEST or passed or rng.random() < 0.3:
                    break
            passing = math.ceil(item.pass_mark * item.max_marks / 100)
            if kind == AssessmentKind.FINAL:
                if status == EnrolmentStatus.COMPLETED:
                    if marks[-1] < passing:
                        marks[-1] = min(item.max_marks, passing + rng.randint(0, 3))
                else:
                    # Reaching the final without completing means failing it.
                    marks = [min(m, passing - 1) for m in marks]
            steps.append((item, marks, True))
        return steps

    def _enrolment(self, user_id, learner, course, status, enrolled_at, language):
        rng = self.rng
        now = self.now
        enrolment_id = self.ids[Enrolment].take()
        course_page = course.pages.get(language, course.pages["en"])
        if course.approval:
            source = (
                EnrolmentSource.BULK
                if rng.random() < 0.15
                else EnrolmentSource.APPROVAL
            )
            if status == EnrolmentStatus.PENDING:
                source = EnrolmentSource.APPROVAL
        else:
            source = _weighted(
                rng,
                {
                    EnrolmentSource.SELF: 80,
                    EnrolmentSource.BULK: 15,
                    EnrolmentSource.INVITE: 5,
                },
            )
        steps = self._steps(course, status, learner)
        # The timeline: sessions of a few items, days apart.
        offsets = []
        clock = 0.0
        if rng.random() < 0.5:
            clock += rng.expovariate(1 / (1.5 * 86400))
        for item, marks, _done in steps:
            if offsets and rng.random() < SESSION_BREAK:
                clock += rng.expovariate(1 / (MEAN_BREAK_DAYS * 86400))
            else:
                clock += rng.uniform(10, 240)
            if marks is None:
                begin = clock
                clock += rng.uniform(5, 35) * 60
                offsets.append(((begin, clock),))
                continue
            spans = []
            for number in range(len(marks)):
                if number:
                    clock += rng.uniform(600, 3 * 86400)
                begin = clock
                minutes = 12 if item.time_limit is None else item.time_limit * 0.6
                clock += rng.uniform(0.4, 1.0) * minutes * 60
                spans.append((begin, clock))
            offsets.append(tuple(spans))
        end_limit = (now - enrolled_at).total_seconds() - rng.uniform(60, 6 * 3600)
        scale = 1.0
        if clock > 0 and clock > end_limit:
            scale = max(end_limit, 0) / clock

        def at(seconds):
            return enrolled_at + timedelta(seconds=seconds * scale)

        pages_key = language if language in course.pages else "en"
        last_time = None
        last_page = None
        required_done = 0
        final_score = None
        completed_at = None
        for (item, marks, done), spans in zip(steps, offsets, strict=True):
            page_id = item.pages.get(pages_key, item.pages["en"])
            first_begin = at(spans[0][0])
            last_end = at(spans[-1][1])
            last_time, last_page = last_end, page_id
            if marks is None:
                self.progress.add(
                    (
                        user_id,
                        enrolment_id,
                        item.key,
                        page_id,
                        ProgressStatus.COMPLETED
                        if done
                        else ProgressStatus.IN_PROGRESS,
                        last_end if done else None,
                        None,
                        None,
                        ProgressSource.SERVER,
                        first_begin,
                        last_end if done else first_begin,
                    )
                )
                if done and item.required:
                    required_done += 1
                continue
            is_pretest = item.kind == AssessmentKind.PRETEST
            best = None
            first_finish = None
            for number, (mark, (begin, finish)) in enumerate(
                zip(marks, spans, strict=True), start=1
            ):
                started, finished = at(begin), at(finish)
                first_finish = first_finish or finished
                percent = _percent(mark, item.max_marks)
                passed = None if is_pretest else percent >= item.pass_mark
                attempt_id = self.ids[Attempt].take()
                self.attempts.add(
                    (
                        attempt_id,
                        user_id,
                        page_id,
                        item.key,
                        course.key,
                        item.kind,
                        number,
                        AttemptState.FINISHED,
                        rng.randint(1, item.max_marks + 3),
                        started,
                        started + timedelta(minutes=item.time_limit)
                        if item.time_limit
                        else None,
                        finished,
                        finished,
                        Decimal(item.max_marks),
                        Decimal(mark),
                        percent,
                        passed,
                    )
                )
                if best is None or percent > best[0]:
                    best = (percent, passed, attempt_id)
            percent, passed, counted = best
            self.results.add(
                (
                    user_id,
                    item.key,
                    course.key,
                    page_id,
                    item.kind,
                    percent,
                    passed,
                    len(marks),
                    counted,
                    last_end,
                )
            )
            self.progress.add(
                (
                    user_id,
                    enrolment_id,
                    item.key,
                    page_id,
                    ProgressStatus.COMPLETED,
                    first_finish,
                    percent.quantize(Decimal("0.01")),
                    passed,
                    ProgressSource.SERVER,
                    at(spans[0][0]),
                    last_end,
                )
            )
            if item.required:
                required_done += 1
            if item.kind == AssessmentKind.FINAL and passed:
                final_score = percent.quantize(Decimal("0.01"))
                completed_at = last_end
        withdrawn_at = None
        if status == EnrolmentStatus.WITHDRAWN:
            base = last_time or enrolled_at
            withdrawn_at = min(
                base + timedelta(days=rng.expovariate(1 / 10)),
                now - timedelta(minutes=1),
            )
            withdrawn_at = max(withdrawn_at, base)
        self.enrolments.add(
            (
                enrolment_id,
                user_id,
                course.key,
                course_page,
                status,
                source,
                enrolled_at,
                completed_at,
                withdrawn_at,
                required_done * 100 // course.required_count,
                last_page,
                last_time,
                None
                if status == EnrolmentStatus.PENDING
                else enrolled_at + timedelta(seconds=rng.uniform(5, 90)),
            )
        )
        if status == EnrolmentStatus.COMPLETED:
            self._completion(
                user_id,
                learner,
                course,
                enrolment_id,
                course_page,
                completed_at,
                final_score,
            )

    def _completion(
        self, user_id, learner, course, enrolment_id, page_id, completed_at, score
    ):
        rng = self.rng
        now = self.now
        completion_id = self.ids[CourseCompletion].take()
        self.completions.add((completion_id, enrolment_id, completed_at, score))
        if not course.issue_certificates:
            return
        created = completed_at + timedelta(seconds=rng.uniform(0.2, 3))
        certificate_id = self.ids[Certificate].take()
        if course.minimum_score is not None and score < course.minimum_score:
            self.certificates.add(
                (
                    certificate_id,
                    _code(rng),
                    user_id,
                    course.key,
                    enrolment_id,
                    completion_id,
                    page_id,
                    None,
                    CertificateStatus.NOT_ELIGIBLE,
                    "",
                    "",
                    "",
                    score,
                    None,
                    completed_at,
                    None,
                    None,
                    None,
                    {},
                    None,
                    "",
                    PdfStatus.PENDING,
                    0,
                    None,
                    None,
                    None,
                    None,
                    None,
                    created,
                    created + timedelta(seconds=1),
                )
            )
            return
        issued = min(created + timedelta(seconds=rng.uniform(1, 20)), now)
        rendered = min(issued + timedelta(seconds=rng.uniform(2, 15)), now)
        emailed = min(rendered + timedelta(seconds=rng.uniform(1, 30)), now)
        expires = add_months(issued, course.validity_months)
        reminded = None
        if expires is not None:
            due = max(expires - timedelta(days=30), issued)
            reminded = due if due <= now else None
        status = CertificateStatus.ISSUED
        revoked_at = None
        reason = ""
        updated = reminded or emailed
        if rng.random() < 0.015:
            status = CertificateStatus.REVOKED
            revoked_at = min(
                issued + timedelta(days=rng.expovariate(1 / 60)),
                now - timedelta(minutes=1),
            )
            revoked_at = max(revoked_at, emailed)
            reason = rng.choice(REVOCATION_REASONS)
            updated = revoked_at
            self.events.add((certificate_id, EventKind.REVOKED, revoked_at, reason, {}))
        self.certificates.add(
            (
                certificate_id,
                _code(rng),
                user_id,
                course.key,
                enrolment_id,
                completion_id,
                page_id,
                self.template_id,
                status,
                learner["certificate_name"][:200],
                course.title,
                self.template_language,
                score,
                course.hours,
                completed_at,
                issued,
                expires,
                self.template_version,
                self.snapshot,
                revoked_at,
                reason,
                PdfStatus.READY,
                1,
                rendered,
                emailed,
                emailed,
                reminded,
                reminded,
                created,
                updated,
            )
        )

    def chunk(self, first_number, size):
        rng = self.rng
        now = self.now
        sexes = _quota(rng, size, SEX_SHARE)
        plans = []
        total = 0
        max_enrolments = len(self.courses)
        for _n in range(size):
            count = min(_weighted(rng, ENROLMENTS_PER_LEARNER), max_enrolments)
            plans.append(count)
            total += count
        statuses = iter(_quota(rng, total, STATUS_SHARE))
        approval = [c for c in self.courses if c.approval]
        for offset in range(size):
            number = first_number + offset
            user_id = self.ids[User].take()
            country = rng.choices(self.countries, weights=self.country_weights)[0]
            sex = sexes[offset]
            full_name, certificate_name = self._name(country, sex)
            organisation = None
            kind = None
            if country.organisations and rng.random() < 0.85:
                organisation, kind, _size = rng.choices(
                    country.organisations,
                    weights=[o[2] for o in country.organisations],
                )[0]
            if kind is not None:
                position = rng.choice(POSITIONS[kind])
            else:
                position = rng.choice(POSITIONS[OrganisationType.OTHER])
                position = position if rng.random() < 0.5 else ""
            russian = rng.random() < RUSSIAN_SHARE.get(country.sub_region, 0.05)
            language = "ru" if russian else "en"
            # More people joined recently than two years ago.
            latest = self.start + timedelta(days=HISTORY_DAYS * rng.random() ** 0.7)
            joined = self._moment(latest - timedelta(days=2), latest)
            joined = min(joined, now - timedelta(hours=2))
            learner = {
                "ability": rng.gauss(0, 1),
                "certificate_name": certificate_name or full_name,
            }
            email = f"load-{number:06d}@{EMAIL_DOMAIN}"
            self.users.add(
                (
                    user_id,
                    self.password,
                    email,
                    full_name,
                    certificate_name,
                    country.pk,
                    organisation,
                    position,
                    sex,
                    language,
                    joined + timedelta(seconds=rng.uniform(20, 300)),
                    settings.PRIVACY_POLICY_VERSION,
                    True,
                    joined,
                )
            )
            self.memberships.add((user_id, self.learners_group))
            self.addresses.add((user_id, email, True, True))
            taken = set()
            for n in range(plans[offset]):
                status = next(statuses)
                pool = self.courses
                if status == EnrolmentStatus.PENDING:
                    pool = [c for c in approval if c.key not in taken]
                    if not pool:
                        status = EnrolmentStatus.ACTIVE
                        pool = self.courses
                pool = [c for c in pool if c.key not in taken]
                course = rng.choices(pool, weights=[c.weight for c in pool])[0]
                taken.add(course.key)
                if status == EnrolmentStatus.PENDING:
                    # Requests wait days or weeks for a coordinator.
                    earliest = max(joined, now - timedelta(days=45))
                    enrolled_at = self._moment(earliest, now - timedelta(minutes=30))
                elif n == 0:
                    # Most people sign up to take a course.
                    enrolled_at = joined + timedelta(
                        seconds=min(
                            rng.expovariate(1 / 7200),
                            (now - joined).total_seconds() / 2,
                        )
                    )
                else:
                    enrolled_at = self._moment(joined, now - timedelta(hours=1))
                if language in course.pages:
                    page_language = language if rng.random() < 0.9 else "en"
                else:
                    page_language = "en"
                self._enrolment(
                    user_id, learner, course, status, enrolled_at, page_language
                )
        for table in self.tables:
            table.flush()

    def counts(self):
        return {
            "learners": self.users.count,
            "enrolments": self.enrolments.count,
            "item_progress": self.progress.count,
            "attempts": self.attempts.count,
            "assessment_results": self.results.count,
            "completions": self.completions.count,
            "certificates": self.certificates.count,
            "certificate_events": self.events.count,
        }


# ---------------------------------------------------------------- entry points


def _load_users():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def _load_course_pages():
    return CoursePage.objects.filter(slug__startswith=SLUG_PREFIX)


def load_data_present() -> dict:
    return {
        "learners": _load_users().count(),
        "courses": CoursePage.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "organisations": Organisation.objects.filter(
            name__endswith=ORGANISATION_SUFFIX
        ).count(),
    }


def generate_load_data(
    *, learners, courses, countries, seed=20260101, stdout=None, now=None
) -> dict:
    """Generate the data set; returns the counts of what was written and the
    seconds each stage took. Fails when load data is present already. The
    history ends at ``now`` (the time of the run by default)."""
    if settings.PRODUCTION:
        raise LoadDataError("Load data has a shared password: refused in production.")
    if learners < 1 or courses < 1 or countries < 1:
        raise LoadDataError("Learners, courses and countries must be at least 1.")
    present = load_data_present()
    if any(present.values()):
        raise LoadDataError(
            "Load data is present already ({learners} learners, {courses} course "
            "pages, {organisations} organisations): run with --clear to replace "
            "it.".format(**present)
        )
    rng = random.Random(seed)
    now = (now or timezone.now()).astimezone(UTC)
    seconds = {}
    started = time.monotonic()
    with transaction.atomic():
        chosen, countries_created = _countries(rng, countries)
        organisations = _organisations(rng, chosen, now)
        seconds["countries_and_organisations"] = time.monotonic() - started
        _out(stdout, f"{len(chosen)} countries, {organisations} organisations")
        mark = time.monotonic()
        built, template = _courses(rng, courses, now, stdout)
        seconds["courses"] = time.monotonic() - mark
        mark = time.monotonic()
        generator = _Learners(
            rng, countries=chosen, courses=built, template=template, now=now
        )
        done = 0
        while done < learners:
            size = min(CHUNK, learners - done)
            generator.chunk(done + 1, size)
            done += size
            _out(
                stdout,
                f"  {done:,} / {learners:,} learners ({time.monotonic() - mark:.0f} s)",
            )
        seconds["learners"] = time.monotonic() - mark
        mark = time.monotonic()
    # Foreign keys are checked at commit (deferred constraints).
    seconds["commit"] = time.monotonic() - mark
    if connection.vendor == "postgresql":
        mark = time.monotonic()
        with connection.cursor() as cursor:
            for model in (
                User,
                Enrolment,
                ItemProgress,
                Attempt,
                AssessmentResult,
                CourseCompletion,
                Certificate,
            ):
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                )
        seconds["analyze"] = time.monotonic() - mark
    seconds["total"] = time.monotonic() - started
    counts = {
        "countries": len(chosen),
        "countries_created": countries_created,
        "organisations": organisations,
        "courses": len(built),
        "course_translations": sum(1 for c in built if "ru" in c.pages),
        **generator.counts(),
    }
    return {**counts, "seconds": {k: round(v, 1) for k, v in seconds.items()}}


def _orm_delete(queryset, chunk=5_000):
    ids = list(queryset.values_list("pk", flat=True))
    for i in range(0, len(ids), chunk):
        queryset.model._base_manager.filter(pk__in=ids[i : i + chunk]).delete()
    return len(ids)


def _delete(queryset, path=()):
    """Delete the rows of ``queryset`` after whatever refers to them, as the
    ORM would (cascade, set null, protect), but with one statement per table
    and the rows given as a subquery, so that millions of rows take seconds
    instead of loading them. Models whose deletion somebody listens to, and
    relations other than these, go through the ORM in chunks."""
    model = queryset.model
    meta = model._meta
    if (
        model in path
        or meta.parents
        or signals.pre_delete.has_listeners(model)
        or signals.post_delete.has_listeners(model)
        or any(hasattr(f, "bulk_related_objects") for f in meta.private_fields)
    ):
        return _orm_delete(queryset)
    relations = []
    for relation in get_candidate_relations_to_delete(meta):
        name = relation.field.name
        on_delete = relation.field.remote_field.on_delete
        related = relation.related_model._base_manager.filter(
            **{f"{name}__in": queryset}
        )
        if on_delete in (models.PROTECT, models.RESTRICT):
            if related.exists():
                return _orm_delete(queryset)  # raises as the ORM does
        elif on_delete in (models.CASCADE, models.SET_NULL, models.DO_NOTHING):
            relations.append((on_delete, name, related))
        else:
            return _orm_delete(queryset)
    for on_delete, name, related in relations:
        if on_delete is models.CASCADE:
            _delete(related, (*path, model))
        elif on_delete is models.SET_NULL:
            related.update(**{name: None})
    quote = connection.ops.quote_name
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} "  # noqa: S608 - names from the model
            f"WHERE {quote(meta.pk.column)} IN ({sql})",
            params,
        )
        return cursor.rowcount


def clear_load_data(*, stdout=None) -> dict:
    """Remove the generated learners with everything that belongs to them, the
    generated courses, question bank, certificate template and organisations,
    and the extra countries nothing refers to any more."""
    removed = {}
    started = time.monotonic()
    users = _load_users()
    with transaction.atomic():
        removed["learners"] = users.count()
        # Certificates outlive their learner (SET_NULL): removed explicitly.
        for model, queryset in (
            (Certificate, Certificate.objects.filter(user__in=users)),
            (User, users),
        ):
            count = _delete(queryset)
            _out(
                stdout,
                f"  removed {count:,} {model._meta.verbose_name_plural} and their "
                f"records ({time.monotonic() - started:.0f} s)",
            )
        pages = list(_load_course_pages())
        keys = {page.translation_key for page in pages}
        under = Q(pk__in=[])
        for page in pages:
            under |= Q(path__startswith=page.path, depth__gt=page.depth)
        assessments = AssessmentPage.objects.filter(under)
        # Records of other people in the generated courses go with them.
        for queryset in (
            Certificate.objects.filter(course_key__in=keys),
            AssessmentResult.objects.filter(
                Q(course_key__in=keys) | Q(page__in=assessments)
            ),
            Attempt.objects.filter(Q(course_key__in=keys) | Q(page__in=assessments)),
            Enrolment.objects.filter(course_key__in=keys),
        ):
            _delete(queryset)
        for page in pages:
            page.delete()
        removed["course_pages"] = len(pages)
        _out(stdout, f"  removed {len(pages)} course pages and the pages under them")
        for bank in QuestionBank.objects.filter(name=BANK_NAME):
            Question.objects.filter(bank=bank).delete()
            bank.delete()
        CertificateTemplate.objects.filter(name=TEMPLATE_NAME).delete()
        organisations = Organisation.objects.filter(name__endswith=ORGANISATION_SUFFIX)
        removed["organisations"] = organisations.count()
        organisations.delete()
        unused = Country.objects.filter(
            code__in=[code for code, *_rest in EXTRA_COUNTRIES]
        ).exclude(
            Exists(User.objects.filter(country=OuterRef("pk")))
            | Exists(Organisation.objects.filter(country=OuterRef("pk")))
        )
        removed["countries"] = 0
        for country in unused:
            try:
                with transaction.atomic():
                    country.delete()
                removed["countries"] += 1
            except ProtectedError:
                continue
    removed["seconds"] = round(time.monotonic() - started, 1)
    return removed
