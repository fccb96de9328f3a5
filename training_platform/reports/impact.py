"""The impact section: did the training change practice? For the viewer's
countries (``scope_by_country`` on the country recorded with each answer)
and the chosen course, country and period of answering:

- response rates: feedback answers per completion, follow-up answers per
  follow-up sent;
- the distribution of every rating, choice and yes/no question by country,
  course, type of organisation or sex;
- answers by month;
- side by side per course: level 1 (the satisfaction question's mean rating),
  level 2 (knowledge gain from the pre- and post-test, as on the dashboard)
  and level 3 (the share answering yes to, or the mean rating of, the
  follow-up's "use on the job" question);
- free-text answers, without names unless the survey says answers are named.

Counts below the threshold are suppressed and the cells that would give them
away withheld, with the dashboard's rules (``suppression.suppress_tables``);
a free-text answer is shown only in a group (country and course) of at least
the threshold's size."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from surveys import selectors as survey_selectors
from surveys.models import (
    RATING_POINTS,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveyResponse,
)
from training_platform.accounts.models import Country, OrganisationType, Sex
from training_platform.accounts.selectors import scope_by_country

from . import suppression
from .selectors import course_titles

DIMENSIONS = (
    ("country", _("Country")),
    ("course", _("Course")),
    ("organisation_type", _("Type of organisation")),
    ("sex", _("Sex")),
)
DISTRIBUTED = (
    QuestionKind.RATING,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.YES_NO,
)


@dataclass
class ImpactFilters:
    course_key: object = None
    country: Country | None = None
    date_from: date | None = None
    date_to: date | None = None
    by: str = "country"


@dataclass
class QuestionTable:
    survey: str
    kind: str
    text: str
    options: list
    headline: dict
    rows: list

    @property
    def option_columns(self) -> list[tuple[str, str]]:
        return [(f"option_{i}", label) for i, label in enumerate(self.options)]


@dataclass
class ImpactReport:
    filters: ImpactFilters
    responses: int
    rates: dict
    levels: dict
    months: list
    questions: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    suppressed: bool = False


def exact_numbers_allowed(viewer, asked: bool) -> bool:
    """Survey answers were given under a promise of anonymity: only an
    administrator may see them unsuppressed, and only when asking to."""
    from training_platform.accounts import roles

    return asked and roles.is_administrator(viewer)


def _bounds(filters):
    def moment(day, days=0):
        return timezone.make_aware(datetime.combine(day + timedelta(days), time()))

    return (
        moment(filters.date_from) if filters.date_from else None,
        moment(filters.date_to, 1) if filters.date_to else None,
    )


def scoped_responses(viewer, filters: ImpactFilters):
    responses = scope_by_country(
        viewer, SurveyResponse.objects.all(), course_path="course_key"
    )
    if filters.course_key:
        responses = responses.filter(course_key=filters.course_key)
    if filters.country:
        responses = responses.filter(country=filters.country)
    start, end = _bounds(filters)
    if start:
        responses = responses.filter(submitted_at__gte=start)
    if end:
        responses = responses.filter(submitted_at__lt=end)
    return responses


def _labels(by: str, values, titles) -> dict:
    if by == "course":
        return {v: titles.get(v, "") for v in values}
    if by == "country":
        names = {c.pk: c.localized_name for c in Country.objects.filter(pk__in=values)}
        return {v: names.get(v, str(_("Unknown"))) for v in values}
    choices = dict(
        OrganisationType.choices if by == "organisation_type" else Sex.choices
    )
    return {v: str(choices.get(v, _("Unknown"))) for v in values}


def _group_of(response: dict, by: str):
    return (
        response["country_id" if by == "country" else by]
        if by != "course"
        else (response["course_key"])
    )


def _options(question) -> list[str]:
    if question.kind == QuestionKind.RATING:
        labels = question.choice_list
        return [
            f"{n} – {labels[n - 1]}" if len(labels) == RATING_POINTS else str(n)
            for n in range(1, RATING_POINTS + 1)
        ]
    if question.kind == QuestionKind.YES_NO:
        return [str(_("No")), str(_("Yes"))]
    return question.choice_list


def _value_index(question, value) -> int:
    value = int(value)
    return value - 1 if question.kind == QuestionKind.RATING else value


def _table_row(label, answers, question, width) -> dict:
    """``answers``: {response_id: [values]} of one group."""
    row = {"label": label, "respondents": len(answers)}
    counts = Counter()
    for values in answers.values():
        for value in values:
            index = _value_index(question, value)
            if 0 <= index < width:
                counts[index] += 1
    for index in range(width):
        row[f"option_{index}"] = counts[index]
    if question.kind == QuestionKind.RATING and answers:
        total = sum(sum(values) for values in answers.values())
        row["mean"] = round(Decimal(total) / len(answers), 2)
    if question.kind == QuestionKind.YES_NO and answers:
        row["share"] = round(Decimal(100 * counts[1]) / len(answers), 1)
    return row


def _survey_scheme(questions) -> suppression.Scheme:
    """One scheme for all the questions of a survey, suppressed together:
    a group's answers to one question add up to its respondents (except a
    multiple choice), and two questions answered by the same people have the
    same respondents, so hiding a count in one table and showing it in
    another would undo the suppression."""
    counts, row_sums, derived = [], [], {}
    first = None
    for n, question in enumerate(questions):
        respondents = f"q{n}_respondents"
        options = tuple(f"q{n}_option_{i}" for i in range(len(_options(question))))
        counts += [respondents, *options]
        if question.kind != QuestionKind.MULTIPLE:
            row_sums.append((respondents, options))
        if first is None:
            first = respondents
        else:
            # Kept by the engine only in the rows where it holds.
            row_sums.append((respondents, (first,)))
        for name in ("mean", "share"):
            derived[f"q{n}_{name}"] = (respondents, *options)
    return suppression.Scheme(
        counts=tuple(counts),
        shown=tuple(counts),
        row_sums=tuple(row_sums),
        derived=derived,
        order_by=first or "q0_respondents",
    )


def _prefixed(row: dict, n: int) -> dict:
    return {f"q{n}_{key}": value for key, value in row.items() if key != "label"}


def _unprefixed(row: dict, n: int) -> dict:
    prefix = f"q{n}_"
    shown = {"label": row["label"]}
    for key, value in row.items():
        if key.startswith(prefix):
            shown[key[len(prefix) :]] = value
    return shown


def _question_tables(responses: list[dict], by, titles, suppress, limit):
    """For each survey answered, one table per rating, choice and yes/no
    question (its questions in every language, answers in all of them added
    up), the groups of ``by`` as rows; the survey's tables suppressed
    together."""
    by_key = {r["id"]: r for r in responses}
    surveys = {}
    survey_of = {}
    for survey in Survey.objects.filter(
        pk__in={r["survey_id"] for r in responses}
    ).order_by("pk"):
        surveys.setdefault(survey.translation_key, survey)
        survey_of[survey.pk] = survey.translation_key
    values = defaultdict(lambda: defaultdict(list))  # question -> response -> values
    for response_id, key, value in SurveyAnswer.objects.filter(
        response_id__in=list(by_key), value__isnull=False
    ).values_list("response_id", "question_key", "value"):
        values[key][response_id].append(value)
    tables = []
    for survey_key, survey in sorted(surveys.items(), key=lambda s: s[1].title):
        questions = [
            q
            for q in survey_selectors.questions_in_every_language(survey)
            if q.kind in DISTRIBUTED
        ]
        if not questions:
            continue
        group_of = {
            r["id"]: _group_of(r, by)
            for r in responses
            if survey_of.get(r["survey_id"]) == survey_key
        }
        labels = _labels(by, list(set(group_of.values())), titles)
        rows = {group: {"label": label} for group, label in labels.items()}
        headline = {"label": str(_("All"))}
        for n, question in enumerate(questions):
            width = len(_options(question))
            answers = {
                response_id: vals
                for response_id, vals in values.get(
                    question.translation_key, {}
                ).items()
                if response_id in group_of
            }
            groups = defaultdict(dict)
            for response_id, vals in answers.items():
                groups[group_of[response_id]][response_id] = vals
            for group, row in rows.items():
                table_row = _table_row("", groups.get(group, {}), question, width)
                row.update(_prefixed(table_row, n))
            headline.update(_prefixed(_table_row("", answers, question, width), n))
        combined = list(rows.values())
        if suppress:
            shown_tables = suppression.suppress_tables(
                {"headline": [headline], "rows": combined},
                _survey_scheme(questions),
                limit,
            )
            headline, combined = shown_tables["headline"][0], shown_tables["rows"]
        else:
            combined.sort(key=lambda r: (-r.get("q0_respondents", 0), r["label"]))
        title = survey_selectors.in_language(survey).title
        for n, question in enumerate(questions):
            tables.append(
                QuestionTable(
                    survey=title,
                    kind=question.kind,
                    text=question.text,
                    options=_options(question),
                    headline=_unprefixed(headline, n),
                    rows=[_unprefixed(row, n) for row in combined],
                )
            )
    return tables


RATE_SCHEME = suppression.Scheme(
    counts=("completed", "feedback", "follow_ups", "follow_up"),
    shown=("completed", "feedback", "follow_ups", "follow_up"),
    row_sums=(),
    derived={
        "feedback_rate": ("completed", "feedback"),
        "follow_up_rate": ("follow_ups", "follow_up"),
    },
    order_by="completed",
)


def _rate(part, whole):
    return round(Decimal(100 * part) / whole, 1) if whole else None


def _rates(viewer, filters, responses, titles):
    """Per course: completions and feedback answers, follow-ups sent and
    follow-up answers, within the scope and the filters."""
    from courses.models import CourseCompletion
    from surveys.models import CourseSurveys
    from surveys.notifications import FOLLOW_UP
    from training_platform.notifications.models import Notification

    # Completions of the courses that ask for feedback: the others have no
    # answers to count against.
    asking = CourseSurveys.objects.filter(feedback_survey__isnull=False).values(
        "course__translation_key"
    )
    completions = scope_by_country(
        viewer,
        CourseCompletion.objects.filter(
            enrolment__is_current=True, enrolment__course_key__in=asking
        ),
        path="enrolment__user__country",
        course_path="enrolment__course_key",
    )
    sent = scope_by_country(
        viewer,
        Notification.objects.filter(event=FOLLOW_UP),
        path="recipient__country",
        course_path="context__course_key",
        key_form=lambda key: key.hex,
    )
    start, end = _bounds(filters)
    if filters.course_key:
        completions = completions.filter(enrolment__course_key=filters.course_key)
        sent = sent.filter(context__course_key=filters.course_key.hex)
    if filters.country:
        completions = completions.filter(enrolment__user__country=filters.country)
        sent = sent.filter(recipient__country=filters.country)
    if start:
        completions = completions.filter(completed_at__gte=start)
        sent = sent.filter(created_at__gte=start)
    if end:
        completions = completions.filter(completed_at__lt=end)
        sent = sent.filter(created_at__lt=end)
    rows = defaultdict(Counter)
    for key in completions.values_list("enrolment__course_key", flat=True):
        rows[key]["completed"] += 1
    for context in sent.values_list("context", flat=True):
        try:
            rows[UUID(context.get("course_key", ""))]["follow_ups"] += 1
        except (ValueError, AttributeError):
            continue
    for response in responses:
        column = "feedback" if response["kind"] == SurveyKind.FEEDBACK else "follow_up"
        rows[response["course_key"]][column] += 1
    table = []
    for key, counts in rows.items():
        row = {"label": titles.get(key, ""), "course_key": key}
        row.update({name: counts[name] for name in RATE_SCHEME.counts})
        table.append(row)
    headline = {"label": str(_("All"))}
    headline.update({n: sum(r[n] for r in table) for n in RATE_SCHEME.counts})
    for row in [headline, *table]:
        row["feedback_rate"] = _rate(row["feedback"], row["completed"])
        row["follow_up_rate"] = _rate(row["follow_up"], row["follow_ups"])
    return headline, table


LEVEL_SCHEME = suppression.Scheme(
    counts=("l1_n", "l2_n", "l3_n"),
    shown=("l1_n", "l2_n", "l3_n"),
    row_sums=(),
    derived={
        "l1": ("l1_n",),
        "l2": ("l2_n",),
        "l2_normalised": ("l2_n",),
        "l3": ("l3_n",),
    },
    order_by="l1_n",
)


def _indicators(responses: list[dict], indicator: str) -> dict:
    """{course_key: [values]} of the answers to the questions marked with
    ``indicator`` (a rating: 1-5; yes/no: 0 or 1) and each question's kind."""
    from surveys.models import SurveyQuestion

    questions = dict(
        SurveyQuestion.objects.filter(indicator=indicator).values_list(
            "translation_key", "kind"
        )
    )
    course_of = {r["id"]: r["course_key"] for r in responses}
    found = defaultdict(list)
    kinds = {}
    for response_id, key, value in SurveyAnswer.objects.filter(
        response_id__in=list(course_of), question_key__in=list(questions)
    ).values_list("response_id", "question_key", "value"):
        if value is None:
            continue
        course_key = course_of[response_id]
        found[course_key].append(Decimal(value))
        kinds[course_key] = questions[key]
    return found, kinds


def _yes_no_counts(values, kind) -> dict:
    if kind != QuestionKind.YES_NO:
        return {"l3_yes": None, "l3_no": None}
    yes = sum(1 for value in values if value)
    return {"l3_yes": yes, "l3_no": len(values) - yes}


def _level_value(values, kind):
    if not values:
        return None
    if kind == QuestionKind.YES_NO:
        return round(100 * sum(values) / len(values), 1)
    return round(sum(values) / len(values), 2)


def _levels(viewer, filters, responses, titles):
    from assessments.selectors import gain_pairs, summarise_gain
    from training_platform.accounts.selectors import learners_visible_to

    satisfaction, _kinds = _indicators(responses, "satisfaction")
    use, use_kinds = _indicators(responses, "use")
    keys = set(satisfaction) | set(use)
    if filters.course_key:
        keys.add(filters.course_key)
    learners = learners_visible_to(viewer)
    if filters.country:
        learners = learners.filter(country=filters.country)
    pairs = defaultdict(list)
    for pair in gain_pairs(users=learners):
        if pair["course_key"] in keys:
            pairs[pair["course_key"]].append(pair)
    rows = []
    all_l1, all_pairs, all_l3 = [], [], []
    for key in keys:
        gain = summarise_gain(pairs[key])
        rows.append(
            {
                "label": titles.get(key, ""),
                "course_key": key,
                "l1": _level_value(satisfaction[key], QuestionKind.RATING),
                "l1_n": len(satisfaction[key]),
                "l2": gain["gain"],
                "l2_normalised": gain["normalised_gain"],
                "l2_n": gain["learners"],
                "l3": _level_value(use[key], use_kinds.get(key)),
                "l3_kind": use_kinds.get(key, ""),
                "l3_n": len(use[key]),
                **_yes_no_counts(use[key], use_kinds.get(key)),
            }
        )
        all_l1 += satisfaction[key]
        all_pairs += pairs[key]
        if use_kinds.get(key) == QuestionKind.YES_NO:
            all_l3 += use[key]
    gain = summarise_gain(all_pairs)
    headline = {
        "label": str(_("All")),
        "l1": _level_value(all_l1, QuestionKind.RATING),
        "l1_n": len(all_l1),
        "l2": gain["gain"],
        "l2_normalised": gain["normalised_gain"],
        "l2_n": gain["learners"],
        "l3": _level_value(all_l3, QuestionKind.YES_NO),
        "l3_kind": QuestionKind.YES_NO,
        "l3_n": len(all_l3),
        **_yes_no_counts(all_l3, QuestionKind.YES_NO),
    }
    return headline, rows


MONTH_SCHEME = suppression.Scheme(
    counts=("feedback", "follow_up"),
    shown=("feedback", "follow_up"),
    row_sums=(),
    derived={},
    order_by="feedback",
)


def _months(responses):
    counts = defaultdict(Counter)
    for response in responses:
        month = timezone.localtime(response["submitted_at"]).date().replace(day=1)
        column = "feedback" if response["kind"] == SurveyKind.FEEDBACK else "follow_up"
        counts[month][column] += 1
    rows = [
        {
            "label": month.strftime("%Y-%m"),
            "month": month,
            **{name: counts[month][name] for name in MONTH_SCHEME.counts},
        }
        for month in sorted(counts)
    ]
    headline = {"label": str(_("All"))}
    headline.update({n: sum(r[n] for r in rows) for n in MONTH_SCHEME.counts})
    return headline, rows


def _texts(responses: list[dict], titles, limit, suppress) -> list[dict]:
    """Free-text answers, newest first, with the course and the country;
    the learner's name only when the survey says answers are named; only from
    groups (course and country) of at least ``limit`` responses when
    suppressing."""
    from surveys.models import SurveyQuestion

    by_id = {r["id"]: r for r in responses}
    group_sizes = Counter((r["course_key"], r["country_id"]) for r in responses)
    questions = {
        q.translation_key: q.text
        for q in SurveyQuestion.objects.filter(kind=QuestionKind.TEXT).filter(
            locale__language_code=translation.get_language()
        )
    }
    questions_any = dict(
        SurveyQuestion.objects.filter(kind=QuestionKind.TEXT).values_list(
            "translation_key", "text"
        )
    )
    names = {}
    user_ids = {r["user_id"] for r in responses if r["named"]}
    if user_ids:
        from training_platform.accounts.models import User

        names = dict(
            User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")
        )
    countries = {c.pk: c.localized_name for c in Country.objects.all()}
    texts = []
    for response_id, key, text in (
        SurveyAnswer.objects.filter(response_id__in=list(by_id))
        .exclude(text="")
        .order_by("-response__submitted_at", "pk")
        .values_list("response_id", "question_key", "text")
    ):
        response = by_id[response_id]
        if (
            suppress
            and group_sizes[(response["course_key"], response["country_id"])] < limit
        ):
            continue
        texts.append(
            {
                "question": questions.get(key) or questions_any.get(key, ""),
                "text": text,
                "course": titles.get(response["course_key"], ""),
                "country": countries.get(response["country_id"], ""),
                "month": timezone.localtime(response["submitted_at"]).strftime("%Y-%m"),
                "name": names.get(response["user_id"]) if response["named"] else None,
            }
        )
    return texts


def impact_report(
    viewer, filters: ImpactFilters, *, suppress=True, limit=None
) -> ImpactReport:
    limit = suppression.threshold() if limit is None else limit
    responses = list(
        scoped_responses(viewer, filters).values(
            "id",
            "survey_id",
            "kind",
            "course_key",
            "country_id",
            "organisation_type",
            "sex",
            "user_id",
            "submitted_at",
            "named",
        )
    )
    keys = {r["course_key"] for r in responses}
    if filters.course_key:
        keys.add(filters.course_key)
    from courses.models import CourseCompletion

    keys |= set(
        scope_by_country(
            viewer,
            CourseCompletion.objects.all(),
            path="enrolment__user__country",
            course_path="enrolment__course_key",
        )
        .values_list("enrolment__course_key", flat=True)
        .distinct()
    )
    titles = course_titles(keys)
    rates = _rates(viewer, filters, responses, titles)
    levels = _levels(viewer, filters, responses, titles)
    months = _months(responses)
    if suppress:
        rates = _suppressed(rates, RATE_SCHEME, limit)
        levels = _suppressed(levels, LEVEL_SCHEME, limit)
        months = _suppressed(months, MONTH_SCHEME, limit)
        months = (months[0], sorted(months[1], key=lambda r: r["label"]))
    return ImpactReport(
        filters=filters,
        responses=len(responses),
        rates={"headline": rates[0], "rows": rates[1]},
        levels={"headline": levels[0], "rows": levels[1]},
        months=months[1],
        questions=_question_tables(responses, filters.by, titles, suppress, limit),
        texts=_texts(responses, titles, limit, suppress),
        suppressed=suppress,
    )


def levels_summary(viewer, filters: ImpactFilters, *, suppress=True, limit=None):
    """Only the levels 1-3 table (headline, rows): the dashboard's section and
    its export."""
    limit = suppression.threshold() if limit is None else limit
    responses = list(
        scoped_responses(viewer, filters).values("id", "course_key", "kind")
    )
    keys = {r["course_key"] for r in responses}
    if filters.course_key:
        keys.add(filters.course_key)
    levels = _levels(viewer, filters, responses, course_titles(keys))
    return _suppressed(levels, LEVEL_SCHEME, limit) if suppress else levels


LEVEL_COLUMNS = (
    ("l1", _("Satisfaction (1–5)")),
    ("l1_n", _("Answers")),
    ("l2", _("Knowledge gain (points)")),
    ("l2_n", _("Took both tests")),
    ("l3", _("Use on the job")),
    ("l3_n", _("Answers")),
)


def _suppressed(pair, scheme, limit):
    headline, rows = pair
    shown = suppression.suppress_tables(
        {"headline": [headline], "rows": rows}, scheme, limit
    )
    return shown["headline"][0], shown["rows"]


def response_rows(viewer, filters: ImpactFilters):
    """The anonymised responses for deeper analysis: one row per response,
    one column per question of its survey; no name, address or identifier of
    the learner; the month answered, not the day."""
    responses = list(
        scoped_responses(viewer, filters)
        .select_related("survey", "country")
        .order_by("survey_key", "submitted_at", "pk")
    )
    titles = course_titles({r.course_key for r in responses})
    answers = defaultdict(lambda: defaultdict(list))
    for response_id, key, value, text in SurveyAnswer.objects.filter(
        response__in=responses
    ).values_list("response_id", "question_key", "value", "text"):
        answers[response_id][key].append(text if text else value)
    sheets = []
    by_survey = defaultdict(list)
    for response in responses:
        by_survey[response.survey_key].append(response)
    organisation_types = dict(OrganisationType.choices)
    sexes = dict(Sex.choices)
    kinds = dict(SurveyKind.choices)
    for _survey_key, group in by_survey.items():
        survey = survey_selectors.in_language(group[0].survey)
        questions = survey_selectors.questions(survey)
        header = [
            str(_("Response")),
            str(_("Survey")),
            str(_("Kind")),
            str(_("Course")),
            str(_("Language")),
            str(_("Country")),
            str(_("Type of organisation")),
            str(_("Sex")),
            str(_("Month answered")),
            *(q.text for q in questions),
        ]
        rows = [header]
        for number, response in enumerate(group, start=1):
            row = [
                number,
                survey.title,
                str(kinds.get(response.kind, response.kind)),
                titles.get(response.course_key, ""),
                response.language,
                response.country.localized_name if response.country else "",
                str(organisation_types.get(response.organisation_type, "")),
                str(sexes.get(response.sex, "")),
                timezone.localtime(response.submitted_at).strftime("%Y-%m"),
            ]
            for question in questions:
                row.append(
                    _cell(
                        question, answers[response.pk].get(question.translation_key, [])
                    )
                )
            rows.append(row)
        sheets.append((survey.title, rows))
    return sheets


def _cell(question, values):
    if not values:
        return ""
    if question.kind == QuestionKind.TEXT:
        return values[0]
    if question.kind == QuestionKind.NUMBER:
        return values[0]
    options = _options(question)
    labels = []
    for value in values:
        index = _value_index(question, value)
        labels.append(options[index] if 0 <= index < len(options) else str(value))
    return "; ".join(labels)


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, suppression.Hidden | suppression.Suppressed):
        return str(value)
    return value


def report_sheets(report: ImpactReport):
    """The impact section as spreadsheet sheets, the same figures (and the
    same hidden cells) as the page."""
    note = (
        str(
            _(
                "Counts below %(limit)s are shown as “< %(limit)s”; “…” marks a "
                "figure withheld so that a small count cannot be worked out."
            )
        )
        % {"limit": suppression.threshold()}
        if report.suppressed
        else str(_("Not suppressed: for internal use only."))
    )

    def table(header, columns, headline, rows):
        lines = [[note], header]
        for row in [*rows, headline]:
            lines.append(
                [row.get("label", "")] + [_cell_value(row.get(c)) for c in columns]
            )
        return lines

    sheets = [
        (
            str(_("Response rates")),
            table(
                [
                    str(_("Course")),
                    str(_("Completed")),
                    str(_("Feedback answers")),
                    str(_("Feedback rate (%)")),
                    str(_("Follow-ups sent")),
                    str(_("Follow-up answers")),
                    str(_("Follow-up rate (%)")),
                ],
                [
                    "completed",
                    "feedback",
                    "feedback_rate",
                    "follow_ups",
                    "follow_up",
                    "follow_up_rate",
                ],
                report.rates["headline"],
                report.rates["rows"],
            ),
        ),
        (
            str(_("Levels 1 to 3")),
            table(
                [
                    str(_("Course")),
                    str(_("Satisfaction (1–5)")),
                    str(_("Answers")),
                    str(_("Knowledge gain (points)")),
                    str(_("Normalised gain")),
                    str(_("Took both tests")),
                    str(_("Use on the job")),
                    str(_("Answers")),
                ],
                ["l1", "l1_n", "l2", "l2_normalised", "l2_n", "l3", "l3_n"],
                report.levels["headline"],
                report.levels["rows"],
            ),
        ),
        (
            str(_("By month")),
            [
                [note],
                [
                    str(_("Month")),
                    str(_("Feedback answers")),
                    str(_("Follow-up answers")),
                ],
            ]
            + [
                [
                    row["label"],
                    _cell_value(row["feedback"]),
                    _cell_value(row["follow_up"]),
                ]
                for row in report.months
            ],
        ),
    ]
    for number, question in enumerate(report.questions, start=1):
        columns = [
            "respondents",
            *(f"option_{i}" for i in range(len(question.options))),
        ]
        extra = []
        if question.kind == QuestionKind.RATING:
            extra = ["mean"]
        elif question.kind == QuestionKind.YES_NO:
            extra = ["share"]
        header = [
            question.text,
            str(_("Answers")),
            *question.options,
            *([str(_("Mean"))] if extra == ["mean"] else []),
            *([str(_("Yes (%)"))] if extra == ["share"] else []),
        ]
        lines = table(header, [*columns, *extra], question.headline, question.rows)
        lines.insert(1, [question.survey])
        sheets.append((f"{number}. {question.text}", lines))
    if report.texts:
        sheets.append(
            (
                str(_("Free text")),
                [
                    [note],
                    [
                        str(_("Question")),
                        str(_("Answer")),
                        str(_("Course")),
                        str(_("Country")),
                        str(_("Month answered")),
                        str(_("Name")),
                    ],
                ]
                + [
                    [
                        t["question"],
                        t["text"],
                        t["course"],
                        t["country"],
                        t["month"],
                        t["name"] or "",
                    ]
                    for t in report.texts
                ],
            )
        )
    return sheets
