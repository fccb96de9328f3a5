"""Reads: what a learner may see of an attempt, results, knowledge gain,
question statistics. Nothing here writes."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q

from training_platform.accounts.selectors import scope_to_visible_learners

from . import clock, grading
from .models import (
    OPEN_STATES,
    AssessmentKind,
    AssessmentResult,
    Attempt,
    AttemptSlot,
    AttemptState,
    LearningObjective,
    ReviewWhen,
)

# ---------------------------------------------------------------- review


@dataclass(frozen=True)
class Review:
    score: bool
    answers: bool
    feedback: bool

    @property
    def any(self):
        return self.score or self.answers or self.feedback


FULL_REVIEW = Review(True, True, True)


def attempts_left(*, user, page) -> int | None:
    """None means unlimited. Attempts count in the learner's current round of
    the course (a learner taking the course again has them all again)."""
    from . import integration

    if not page.max_attempts:
        return None
    used = Attempt.objects.filter(user=user, assessment_key=page.translation_key)
    round_started = integration.round_started_at(user, page)
    if round_started is not None:
        used = used.filter(started_at__gte=round_started)
    return max(0, page.max_attempts - used.count())


def _allowed(when, *, attempt, page, now, no_more_attempts):
    if attempt.state != AttemptState.FINISHED:
        return False
    closed = bool(page.closes_at and now >= page.closes_at)
    if when == ReviewWhen.AFTER_ATTEMPT:
        return True
    if when == ReviewWhen.AFTER_LAST:
        return no_more_attempts or closed
    if when == ReviewWhen.AFTER_CLOSE:
        return closed
    return False


def review_for(*, attempt, viewer=None, now=None) -> Review:
    """What the review of ``attempt`` may show now, by the assessment's review
    options. Staff who manage assessments see everything."""
    if viewer is not None and viewer.has_perm("assessments.view_attempt"):
        return FULL_REVIEW
    now = now or clock.now()
    page = attempt.page
    left = attempts_left(user=attempt.user, page=page)
    open_exists = Attempt.objects.filter(
        user=attempt.user,
        assessment_key=attempt.assessment_key,
        state__in=OPEN_STATES,
    ).exists()
    no_more = left == 0 and not open_exists
    args = {"attempt": attempt, "page": page, "now": now, "no_more_attempts": no_more}
    answers = _allowed(page.review_answers, **args)
    return Review(
        score=_allowed(page.review_score, **args),
        answers=answers,
        # Question feedback states or narrows the answer ("At least 30
        # days.", "Right: ..."), so it never comes before the answers may.
        feedback=answers and _allowed(page.review_feedback, **args),
    )


# ---------------------------------------------------------------- presentation


def _choice_view(data, order):
    by_key = {c["key"]: c for c in data["choices"]}
    keys = [k for k in order if k in by_key] or list(by_key)
    return [{"key": k, "text": by_key[k]["text"]} for k in keys]


def question_view(data, *, position, order, max_marks, response=None) -> dict:
    """A question as the learner's form shows it, from a version's data:
    its options in ``order``, never which is correct nor any feedback (C11)."""
    view = {
        "position": position,
        "kind": data["kind"],
        "title": data["title"],
        "text": data["text"],
        "image": data.get("image"),
        "max_marks": max_marks,
        "response": response or {},
        "name": f"q{position}",
    }
    if data["kind"] in ("single", "multiple"):
        view["choices"] = _choice_view(data, order)
    elif data["kind"] == "matching":
        answers = {a["key"]: a["text"] for a in data["answers"]}
        keys = [k for k in order if k in answers] or list(answers)
        view["options"] = [{"key": k, "text": answers[k]} for k in keys]
        view["prompts"] = [
            {"key": p["key"], "text": p["text"]} for p in data["prompts"]
        ]
    return view


def question_public(slot) -> dict:
    """What the browser may receive while the attempt is open."""
    return question_view(
        slot.version.data,
        position=slot.position,
        order=slot.order,
        max_marks=slot.max_marks,
        response=slot.response,
    )


def render_question_texts(questions, slots):
    """Put the rendered text and image of each question (``body_html``) in
    ``questions``. They are the same for every learner shown that question
    version, so they are kept in the content cache by version; a version a
    learner has seen never changes (a corrected question gets a new one), and
    the content version covers changes to linked pages."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from training_platform import content_cache

    keys = {
        slot.position: content_cache.content_key(
            "question-body", slot.version_id, slot.version.fingerprint
        )
        for slot in slots
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = {}
    images = {}
    image_ids = {
        q["image"]
        for q in questions
        if q.get("image") and keys[q["position"]] not in found
    }
    if image_ids:
        from wagtail.images import get_image_model

        images = get_image_model().objects.in_bulk(image_ids)
    for question in questions:
        key = keys[question["position"]]
        html = found.get(key)
        if html is None:
            html = render_to_string(
                "assessments/includes/question_body.html",
                {"text": question["text"], "image": images.get(question.get("image"))},
            )
            missing[key] = html
        question["body_html"] = mark_safe(html)  # noqa: S308 - rendered by our template
    if missing:
        cache.set_many(missing, content_cache.TIMEOUT)


def render_preview_bodies(questions):
    """``body_html`` for questions shown in a preview (not cached: the
    questions may be unsaved edits)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from wagtail.images import get_image_model

    images = get_image_model().objects.in_bulk(
        {q["image"] for q in questions if q.get("image")}
    )
    for question in questions:
        question["body_html"] = mark_safe(  # noqa: S308 - rendered by our template
            render_to_string(
                "assessments/includes/question_body.html",
                {"text": question["text"], "image": images.get(question.get("image"))},
            )
        )


def question_review(slot, review: Review) -> dict:
    """The review of one question, limited to what the review options allow."""
    view = question_public(slot)
    view["outcome"] = slot.outcome if review.score else ""
    view["marks"] = slot.marks if review.score else None
    view["answers_shown"] = review.answers
    if not (review.answers or review.feedback):
        return view
    graded = (slot.graded_version or slot.version).data
    outcome = grading.grade(graded, slot.response)
    if review.feedback:
        view["feedback"] = outcome.feedback
        view["general_feedback"] = graded.get("general_feedback", "")
    if review.answers:
        kind = graded["kind"]
        if kind in ("single", "multiple"):
            correct = {c["key"] for c in graded["choices"] if c["correct"]}
            for choice in view["choices"]:
                choice["correct"] = choice["key"] in correct
        elif kind == "truefalse":
            view["correct_value"] = graded["answer"]
        elif kind == "short":
            view["accepted"] = [
                a["text"] for a in graded["accepted"] if Decimal(a["credit"]) > 0
            ]
        elif kind == "numeric":
            view["numeric"] = [
                {"value": a["value"], "tolerance": a["tolerance"]}
                for a in graded["numeric"]
                if Decimal(a["credit"]) > 0
            ]
        elif kind == "matching":
            answers = {a["key"]: a["text"] for a in graded["answers"]}
            right = {p["key"]: answers.get(p["answer"], "") for p in graded["prompts"]}
            for prompt in view["prompts"]:
                prompt["correct"] = right.get(prompt["key"], "")
    return view


def attempt_slots(*, attempt, page_number=None):
    slots = AttemptSlot.objects.filter(attempt=attempt).select_related(
        "version", "graded_version"
    )
    if page_number is not None:
        slots = slots.filter(page_number=page_number)
    return list(slots.order_by("position"))


def attempt_for_user(*, user, attempt_id):
    """The learner's own attempt, or None: another learner's attempt is not
    found, whatever its id (C02)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Attempt.objects.select_related("page", "user")
        .filter(pk=attempt_id, user=user)
        .first()
    )


# ---------------------------------------------------------------- overview


def assessment_overview(*, page, user) -> dict:
    from . import integration

    context = {
        "attempts": [],
        "open_attempt": None,
        "attempts_left": None,
        "result": None,
        "can_start": False,
        "gain": None,
        "now": clock.now(),
    }
    if not getattr(user, "is_authenticated", False):
        return context
    attempts = list(
        Attempt.objects.filter(user=user, assessment_key=page.translation_key)
        .select_related("page")
        .order_by("number")
    )
    now = context["now"]
    for attempt in attempts:
        attempt.review = review_for(attempt=attempt, now=now)
    context["attempts"] = attempts
    context["show_grade"] = any(a.review.score for a in attempts)
    context["open_attempt"] = next((a for a in attempts if a.is_open), None)
    context["attempts_left"] = attempts_left(user=user, page=page)
    context["result"] = AssessmentResult.objects.filter(
        user=user, assessment_key=page.translation_key
    ).first()
    window_open = (not page.opens_at or now >= page.opens_at) and (
        not page.closes_at or now < page.closes_at
    )
    context["window_open"] = window_open
    context["enrolled"] = integration.may_take(user, page)
    context["can_start"] = (
        context["open_attempt"] is None
        and window_open
        and context["enrolled"]
        and context["attempts_left"] != 0
    )
    context["next_page"] = integration.next_item(page, user) if attempts else None
    context["course"] = integration.course_for(page)
    course_key = integration.course_key_for(page)
    if course_key and page.kind in (AssessmentKind.PRETEST, AssessmentKind.POSTTEST):
        context["gain"] = learner_knowledge_gain(user=user, course_key=course_key)
    return context


# ---------------------------------------------------------------- results


def final_score_for(enrolment) -> Decimal | None:
    """The learner's final-exam grade for the enrolment's course (the mean if
    the course has several final exams), or None without a graded one."""
    value = AssessmentResult.objects.filter(
        user_id=enrolment.user_id,
        course_key=enrolment.course_key,
        kind=AssessmentKind.FINAL,
    ).aggregate(v=Avg("percent"))["v"]
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"))


def result_for(*, user, page):
    return AssessmentResult.objects.filter(
        user=user, assessment_key=page.translation_key
    ).first()


# ---------------------------------------------------------------- knowledge gain


def _q2(value):
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"))


def _raw_gain(pre, post):
    if pre is None or post is None or Decimal(pre) >= 100:
        return None
    return (Decimal(post) - Decimal(pre)) / (100 - Decimal(pre))


def normalised_gain(pre, post):
    """(post - pre) / (100 - pre); undefined for a perfect pre-test."""
    raw = _raw_gain(pre, post)
    return None if raw is None else raw.quantize(Decimal("0.001"))


def pre_post_means(*, course_key=None, users=None, user_filter=None) -> dict:
    """Pre- and post-test scores per learner and course, online results and
    scores entered from paper alike: ``{(user_id, course_key): {"pre": ...,
    "post": ...}}``, each the mean of the learner's scores of that kind (None
    without one). ``users`` (a queryset) or ``user_filter`` (a ``Q`` on
    ``user_id``) limit the learners."""
    from .models import PaperResult

    kinds = [AssessmentKind.PRETEST, AssessmentKind.POSTTEST]
    scores: dict = {}
    for model in (AssessmentResult, PaperResult):
        rows = model.objects.filter(kind__in=kinds, course_key__isnull=False)
        if course_key is not None:
            rows = rows.filter(course_key=course_key)
        if users is not None:
            rows = rows.filter(user__in=users)
        if user_filter is not None:
            rows = rows.filter(user_filter)
        for user_id, key, kind, percent in rows.values_list(
            "user_id", "course_key", "kind", "percent"
        ).order_by():
            entry = scores.setdefault((user_id, key), {kind: [] for kind in kinds})
            entry[kind].append(Decimal(percent))
    return {
        key: {
            "pre": _mean(entry[AssessmentKind.PRETEST]),
            "post": _mean(entry[AssessmentKind.POSTTEST]),
        }
        for key, entry in scores.items()
    }


def _mean(values):
    return sum(values) / len(values) if values else None


def gain_pairs(*, course_key=None, users=None) -> list[dict]:
    """One row per learner (and course) who has both a pre- and a post-test
    score, online or entered from paper: ``user_id, course_key, pre, post``.
    ``users`` (a queryset) limits the learners, for example to a
    coordinator's scope."""
    return [
        {"user_id": user_id, "course_key": key, **means}
        for (user_id, key), means in pre_post_means(
            course_key=course_key, users=users
        ).items()
        if means["pre"] is not None and means["post"] is not None
    ]


def summarise_gain(pairs) -> dict:
    pairs = list(pairs)
    if not pairs:
        return {
            "learners": 0,
            "pre": None,
            "post": None,
            "gain": None,
            "normalised_gain": None,
            "mean_normalised_gain": None,
        }
    pre = sum(Decimal(p["pre"]) for p in pairs) / len(pairs)
    post = sum(Decimal(p["post"]) for p in pairs) / len(pairs)
    individual = [
        g for g in (_raw_gain(p["pre"], p["post"]) for p in pairs) if g is not None
    ]
    return {
        "learners": len(pairs),
        "pre": _q2(pre),
        "post": _q2(post),
        "gain": _q2(post - pre),
        # Hake's class gain: from the averages.
        "normalised_gain": normalised_gain(pre, post),
        "mean_normalised_gain": (
            (sum(individual) / len(individual)).quantize(Decimal("0.001"))
            if individual
            else None
        ),
    }


def knowledge_gain(*, course_key, users=None) -> dict:
    """Average pre, post, gain and normalised gain for learners of the course
    who took both tests, also per learning objective."""
    summary = summarise_gain(gain_pairs(course_key=course_key, users=users))
    summary["objectives"] = objective_gain(course_key=course_key, users=users)
    return summary


def knowledge_gain_by(*, group_by: str, course_key=None, users=None) -> list[dict]:
    """The summary per group, ``group_by`` being a lookup from the learner,
    e.g. ``"country__code"`` (the reports show it by country)."""
    learners = {}
    pairs = list(gain_pairs(course_key=course_key, users=users))
    from django.contrib.auth import get_user_model

    ids = {p["user_id"] for p in pairs}
    learners = dict(
        get_user_model().objects.filter(pk__in=ids).values_list("pk", group_by)
    )
    groups: dict = {}
    for pair in pairs:
        groups.setdefault(learners.get(pair["user_id"]), []).append(pair)
    return [
        {"group": group, **summarise_gain(rows)}
        for group, rows in sorted(groups.items(), key=lambda g: str(g[0]))
    ]


def _counted_slots(course_key, kind, users):
    results = AssessmentResult.objects.filter(course_key=course_key, kind=kind)
    if users is not None:
        results = results.filter(user__in=users)
    # The attempt the grade comes from; with the average, every finished one.
    counted = Q(
        attempt__in=results.exclude(counted_attempt=None).values("counted_attempt")
    )
    averaged = Q(
        attempt__state=AttemptState.FINISHED,
        attempt__assessment_key__in=results.filter(counted_attempt=None).values(
            "assessment_key"
        ),
        attempt__user__in=results.filter(counted_attempt=None).values("user"),
    )
    return AttemptSlot.objects.filter(counted | averaged).filter(
        question__objective__isnull=False
    )


def objective_gain(*, course_key, users=None) -> list[dict]:
    """Per learning objective: share of the marks earned in the pre-test and
    the post-test by learners who took both."""
    learner_ids = [p["user_id"] for p in gain_pairs(course_key=course_key, users=users)]
    if not learner_ids:
        return []
    rows = {}
    for kind in (AssessmentKind.PRETEST, AssessmentKind.POSTTEST):
        slots = _counted_slots(course_key, kind, None).filter(
            attempt__user_id__in=learner_ids
        )
        for row in slots.values("question__objective").annotate(
            marks=_sum("marks"), max_marks=_sum("max_marks")
        ):
            entry = rows.setdefault(row["question__objective"], {})
            if row["max_marks"]:
                entry[kind] = (
                    Decimal(row["marks"] or 0) * 100 / Decimal(row["max_marks"])
                )
    objectives = LearningObjective.objects.in_bulk(rows.keys())
    out = []
    for objective_id, entry in rows.items():
        pre = entry.get(AssessmentKind.PRETEST)
        post = entry.get(AssessmentKind.POSTTEST)
        out.append(
            {
                "objective": objectives.get(objective_id),
                "pre": _q2(pre),
                "post": _q2(post),
                "gain": _q2(post - pre)
                if pre is not None and post is not None
                else None,
                "normalised_gain": normalised_gain(pre, post),
            }
        )
    out.sort(key=lambda r: r["objective"].code if r["objective"] else "")
    return out


def _sum(field):
    from django.db.models import Sum

    return Sum(field)


def learner_knowledge_gain(*, user, course_key) -> dict | None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk=user.pk)
    means = pre_post_means(course_key=course_key, users=users)
    pair = next(iter(means.values()), {"pre": None, "post": None})
    if pair["pre"] is None or pair["post"] is None:
        return {"pre": _q2(pair["pre"]), "post": None}
    return {
        "pre": _q2(pair["pre"]),
        "post": _q2(pair["post"]),
        "gain": _q2(Decimal(pair["post"]) - Decimal(pair["pre"])),
        "normalised_gain": normalised_gain(pair["pre"], pair["post"]),
        "objectives": objective_gain(course_key=course_key, users=users),
    }


# ---------------------------------------------------------------- statistics


def _pearson(xs, ys):
    n = len(xs)
    if n < 2:
        return None
    mx = sum(xs) / n
    my = sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def question_statistics(*, viewer, assessment_key=None, course_keys=None) -> list[dict]:
    """Per question of an assessment (or of every assessment of the courses
    ``course_keys``) over the finished attempts of the learners ``viewer`` may
    see: how many answered, the facility index (mean share of the marks, in %)
    and the discrimination index (correlation between the question's score and
    the rest of the attempt's score, in %, as in classical test theory). One
    query, however many assessments."""
    attempts = Q(attempt__state=AttemptState.FINISHED)
    if assessment_key is not None:
        attempts &= Q(attempt__assessment_key=assessment_key)
    if course_keys is not None:
        attempts &= Q(attempt__course_key__in=course_keys)
    slots = list(
        scope_to_visible_learners(
            viewer,
            AttemptSlot.objects.filter(attempts),
            path="attempt__user",
            course_path="attempt__course_key",
        )
        .select_related("question")
        .values_list(
            "attempt_id",
            "attempt__assessment_key",
            "question_id",
            "question__title",
            "fraction",
            "marks",
        )
    )
    totals: dict[int, float] = {}
    for attempt_id, _a, _q, _t, _f, marks in slots:
        totals[attempt_id] = totals.get(attempt_id, 0.0) + float(marks or 0)
    per_question: dict[tuple, dict] = {}
    for attempt_id, assessment, question_id, title, fraction, marks in slots:
        entry = per_question.setdefault(
            (assessment, question_id),
            {
                "assessment_key": assessment,
                "question_id": question_id,
                "title": title,
                "xs": [],
                "ys": [],
            },
        )
        entry["xs"].append(float(fraction or 0))
        entry["ys"].append(totals[attempt_id] - float(marks or 0))
    stats = []
    for entry in per_question.values():
        xs = entry.pop("xs")
        ys = entry.pop("ys")
        correlation = _pearson(xs, ys)
        entry["attempts"] = len(xs)
        entry["facility"] = round(100 * sum(xs) / len(xs), 1) if xs else None
        entry["discrimination"] = (
            round(100 * correlation, 1) if correlation is not None else None
        )
        stats.append(entry)
    stats.sort(key=lambda e: e["title"])
    return stats


def attempts_summary(*, assessment_key, viewer) -> dict:
    """Attempts, finished attempts and their average grade, over the learners
    ``viewer`` may see."""
    attempts = scope_to_visible_learners(
        viewer,
        Attempt.objects.filter(assessment_key=assessment_key),
        course_path="course_key",
    )
    return attempts.aggregate(
        total=Count("pk"),
        finished=Count("pk", filter=Q(state=AttemptState.FINISHED)),
        average=Avg("percent", filter=Q(state=AttemptState.FINISHED)),
    )


# ---------------------------------------------------------------- pre-test gate


def gating_pretest(course):
    """``(pk, translation_key)`` of the live pre-test that gates ``course``,
    or None. Lesson pages ask on every view: kept in the content cache, which
    any change to a page (an assessment page included) invalidates."""
    from training_platform import content_cache

    from .models import AssessmentPage

    def build():
        pretest = (
            AssessmentPage.objects.live()
            .descendant_of(course)
            .filter(kind=AssessmentKind.PRETEST, gate_course_content=True)
            .order_by("path")
            .values_list("pk", "translation_key")
            .first()
        )
        return tuple(pretest or ())

    value = content_cache.cached(
        content_cache.content_key("pretest-gate", course.pk), build
    )
    return tuple(value) or None


PRETEST_DONE_SECONDS = 60 * 60 * 24


def pretest_done(*, user, pretest_key) -> bool:
    """Whether the learner has finished (or used up) the pre-test. Once true
    it stays true (a finished attempt is never reopened), so a "yes" is kept
    in the cache: every lesson view asks."""
    from django.core.cache import cache

    key = f"assessments:pretest-done:{user.pk}:{pretest_key}"
    if cache.get(key):
        return True
    done = Attempt.objects.filter(
        user=user,
        assessment_key=pretest_key,
        state__in=[AttemptState.FINISHED, AttemptState.ABANDONED],
    ).exists()
    if done:
        cache.set(key, True, PRETEST_DONE_SECONDS)
    return done


def pretest_gate_for(*, page, user):
    """The pre-test a learner must finish before ``page`` opens, or None.

    Only course items (lessons, other assessments) are gated, only when the
    course has a live pre-test that gates content, and never for staff."""
    from . import integration
    from .models import AssessmentPage

    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(page, "completion_requires_pass"):
        return None  # not a course item: course and module pages stay open
    if isinstance(page, AssessmentPage) and page.kind == AssessmentKind.PRETEST:
        return None
    course = integration.course_for(page)
    if course is None:
        return None
    gate = gating_pretest(course)
    if gate is None:
        return None
    pretest_pk, pretest_key = gate
    if pretest_done(user=user, pretest_key=pretest_key) or user.has_perm(
        "assessments.view_attempt"
    ):
        return None
    return AssessmentPage.objects.filter(pk=pretest_pk).first()
