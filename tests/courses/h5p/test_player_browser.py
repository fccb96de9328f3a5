"""H5P in a real browser (Playwright + Chromium): the site is reached as
127.0.0.1 and the content as localhost, two host names on the same live
server, so the frame is on another origin (and sandboxed on top).

Runs against a minimal page of the test's own (``browser_urls``) that renders
the H5P activity block; the lesson wiring is tested with the courses app."""

import io
import json
import time
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.test import Client

from courses.h5p import package_builder
from courses.h5p.models import H5PAttempt, H5PResult, H5PStatement
from courses.h5p.services import content_import

from .conftest import corpus_available, corpus_path
from .hostile import hostile_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.ROOT_URLCONF = "tests.courses.h5p.browser_urls"
    port = urlsplit(live_server.url).port
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def signed_in(page, site):
    def sign_in(user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": site,
                }
            ]
        )
        return page

    return sign_in


def wait_for(condition, timeout=20):
    """Poll the database while the live server writes to it. The in-memory
    SQLite test database locks whole tables across threads; a read that meets
    a write in progress is simply tried again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except OperationalError:
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.25)


def open_activities(page, site, *contents):
    ids = ",".join(str(c.uuid) for c in contents)
    page.goto(f"{site}/test-activities/?c={ids}")
    frames = page.locator("iframe.h5p-frame")
    for index in range(len(contents)):
        frames.nth(index).scroll_into_view_if_needed()
        page.wait_for_selector(f"iframe.h5p-frame >> nth={index}", state="attached")
    return frames


def player(page, index=0):
    return page.frame_locator("iframe.h5p-frame").nth(index)


def import_file(path):
    with open(corpus_path(path), "rb") as handle:
        return content_import(file=handle, filename=path)


def test_learner_answers_the_quiz_and_the_server_records_the_score(
    site, signed_in, learner, screenshot, page
):
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    frames = open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.click()
    frame.locator(".pq-check").click()
    frame.locator(".pq-result").wait_for()
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None, "the score never reached the server"
    assert result.completed and result.passed
    assert (result.score_raw, result.score_max) == (1, 1)
    # The listener was attached before H5P started: "attempted" arrived.
    verbs = wait_for(lambda: set(H5PStatement.objects.values_list("verb", flat=True)))
    assert "http://adlnet.gov/expapi/verbs/attempted" in verbs
    # The frame was sized to its content by the lesson page.
    assert frames.first.evaluate("f => f.style.height") not in ("", "420px")
    assert page.console_errors == []
    screenshot("h5p-quiz-answered-phone")


def test_resume_state_is_saved_and_restored(site, signed_in, learner, page):
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").nth(1).click()
    frame.locator(".pq-check").click()
    from courses.h5p.models import H5PUserState

    assert wait_for(lambda: H5PUserState.objects.filter(user=learner).exists())
    page.reload()
    pressed = player(page).locator(".pq-answer").nth(1)
    pressed.wait_for()
    assert pressed.get_attribute("aria-pressed") == "true"


def test_statements_survive_a_lost_connection(site, signed_in, learner, page):
    """K18: while offline (every delivery fails) the answer waits in the
    page's queue; back online it is sent, and each statement is kept once."""
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.wait_for()
    blocked = {"count": 0}

    def fail_xapi(route):
        blocked["count"] += 1
        route.abort()

    page.route("**/h5p/xapi/", fail_xapi)
    frame.locator(".pq-answer").first.click()
    frame.locator(".pq-check").click()
    assert wait_for(lambda: blocked["count"] >= 1, timeout=10)
    assert not wait_for(lambda: H5PResult.objects.filter(user=learner).exists(), 1)
    page.unroute("**/h5p/xapi/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.passed
    # Every statement was kept once, however often it was retried.
    ids = wait_for(
        lambda: list(H5PStatement.objects.values_list("statement_id", flat=True))
    )
    assert len(ids) == len(set(ids))
    assert wait_for(lambda: H5PAttempt.objects.count()) == 1


@pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present")
@pytest.mark.parametrize(
    "path, answer",
    [
        ("playable/h5p-test.h5p", ".h5p-true-false-answer"),
        ("playable/multiple-choice-713.h5p", ".h5p-answer"),
    ],
)
def test_corpus_question_is_answered_and_scored(
    site, signed_in, learner, page, screenshot, path, answer
):
    content = import_file(path)
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(answer).first.click()
    frame.locator(".h5p-question-check-answer").first.click()
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None
    assert result.score_max == 1 and result.completed
    screenshot(f"h5p-corpus-{path.split('/')[-1]}")


@pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present")
def test_question_set_counts_once_on_its_top_level_completed(
    site, signed_in, learner, page, screenshot
):
    content = import_file("playable/question-set-616.h5p")
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".questionset").first.wait_for()
    for _step in range(6):
        answers = frame.locator(".h5p-question:visible .h5p-answer")
        if answers.count():
            answers.first.click()
        check = frame.locator(".h5p-question-check-answer:visible")
        if check.count():
            check.first.click()
        finish = frame.locator(".h5p-question-finish:visible")
        if finish.count():
            finish.first.click()
            break
        frame.locator(".h5p-question-next:visible").first.click()
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None, "the top-level completed never arrived"
    time.sleep(1)
    children = wait_for(
        lambda: H5PStatement.objects.filter(
            top_level=False, verb__endswith="answered"
        ).count()
    )
    assert children >= 2
    assert wait_for(lambda: H5PAttempt.objects.count()) == 1
    assert result.score_max == 6
    screenshot("h5p-corpus-question-set-finished")


def test_hostile_library_cannot_reach_the_site_or_its_sibling(
    site, signed_in, learner, page, screenshot
):
    """A23: script that runs in an activity's frame (here a library's) can
    read neither the site's cookies nor its pages (nor the CSRF token in
    them), nor its responses with the learner's session."""
    hostile = content_import(file=io.BytesIO(hostile_package(site)))
    quiz = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    popups = []
    page.context.on("page", lambda new_page: popups.append(new_page))
    open_activities(page, site, hostile, quiz)
    player(page, 1).locator(".pq-answer").first.wait_for()
    report_node = player(page, 0).locator("#hostile-report")
    report_node.wait_for()
    report = wait_for(
        lambda: (
            json.loads(report_node.text_content() or "{}")
            if "postXapi" in (report_node.text_content() or "")
            and "fetchSite" in (report_node.text_content() or "")
            else None
        ),
        timeout=15,
    )
    assert report, report_node.text_content()
    for attack in (
        "cookie",
        "parentDom",
        "topDom",
        "parentCookie",
        "siblingDom",
        "siblingScript",
        "siteStorage",
        "popup",
        "fetchSite",
    ):
        assert report[attack].startswith("blocked"), (attack, report[attack])
    # Its forged "completed" counts only for the hostile activity itself
    # (client-reported, like any H5P score), never for the sibling.
    forged = wait_for(
        lambda: H5PStatement.objects.filter(
            statement_id="00000000-0000-4000-8000-000000000001"
        ).first()
    )
    assert forged is not None and forged.content == hostile
    assert not wait_for(
        lambda: H5PStatement.objects.filter(
            content=quiz, verb__endswith="completed"
        ).exists(),
        1,
    )
    time.sleep(1)
    assert page.url.startswith(f"{site}/test-activities/"), "the tab was taken over"
    assert popups == []
    assert dialogs == []
    # The sibling quiz is untouched and got no result from the forged message.
    assert player(page, 1).locator(".pq-question").text_content()
    assert not wait_for(lambda: H5PResult.objects.filter(content=quiz).exists(), 1)
    screenshot("h5p-hostile-and-quiz")


def test_opening_the_player_or_a_package_file_directly_runs_nothing_on_a_site_origin(
    site, signed_in, learner, page
):
    from courses.h5p import tokens
    from courses.h5p.storage import h5p_storage

    hostile = content_import(file=io.BytesIO(hostile_package(site, navigate=False)))
    quiz = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The player opened as a page of its own still runs in an opaque origin.
    launch = tokens.launch_token(
        user=learner,
        content=hostile,
        parent_origin=site,
        activity_key=hostile.activity_key,
    )
    content_origin = site.replace("127.0.0.1", "localhost")
    page.goto(f"{content_origin}/h5p/play/{launch}/")
    report = page.locator("#hostile-report")
    report.wait_for()
    assert json.loads(report.text_content())["cookie"].startswith("blocked")
    # A script-carrying SVG (as if it had slipped past the sanitiser) is
    # served in a sandbox without scripts.
    storage = h5p_storage()
    name = quiz.storage_prefix + "images/evil.svg"
    from django.core.files.base import ContentFile

    storage.save(
        name,
        ContentFile(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(document.cookie)</script></svg>"
        ),
    )
    quiz.manifest = [*quiz.manifest, "images/evil.svg"]
    quiz.save(update_fields=["manifest"])
    page.goto(
        f"{content_origin}/h5p/files/{tokens.files_token(quiz)}/content/images/evil.svg"
    )
    time.sleep(1)
    assert dialogs == []
    if corpus_available():
        corpus = import_file("security/xss-svg.h5p")
        page.goto(
            f"{content_origin}/h5p/files/{tokens.files_token(corpus)}"
            "/content/images/xss.svg"
        )
        time.sleep(1)
        assert dialogs == []


def test_statements_queued_when_the_page_is_left_are_not_lost(
    site, signed_in, learner, page
):
    """K19: the page is left right after the answer: it is delivered on
    leaving (keepalive) or on the next visit, and counted once."""
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.wait_for()
    blocked = {"count": 0}

    def fail_xapi(route):
        blocked["count"] += 1
        route.abort()

    page.route("**/h5p/xapi/", fail_xapi)
    frame.locator(".pq-answer").first.click()
    frame.locator(".pq-check").click()
    assert wait_for(lambda: blocked["count"] >= 1, timeout=10)
    queued = page.evaluate("localStorage.getItem('platform-h5p-queue-v1')")
    assert queued and "answered" in queued
    page.unroute("**/h5p/xapi/")
    # Leaving sends the queue with keepalive; what did not make it goes out on
    # the next visit. Either way the server counts each statement once.
    page.goto(f"{site}/en/")
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first(), 5)
    if result is None:
        open_activities(page, site, content)
        result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.completed
    assert wait_for(lambda: H5PAttempt.objects.count()) == 1


def answer_quiz(frame):
    frame.locator(".pq-answer").first.click()
    frame.locator(".pq-check").click()


def answer_corpus_question(frame, answer):
    frame.locator(answer).first.click()
    frame.locator(".h5p-question-check-answer").first.click()


def answer_question_set(frame):
    """Answer each question (the first option where there are options),
    check it and go on, until the set can be finished. Acts on what is on
    screen, so that a question sliding in or out is never answered twice or
    skipped; fails when the set cannot be finished."""
    frame.locator(".questionset").first.wait_for()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        finish = frame.locator(".h5p-question-finish:visible")
        if finish.count():
            finish.first.click()
            return
        check = frame.locator(".h5p-question-check-answer:visible")
        if check.count():
            answers = frame.locator(".h5p-question:visible .h5p-answer")
            if answers.count():
                answers.first.click()
            check.first.click()
        else:
            following = frame.locator(".h5p-question-next:visible")
            if following.count():
                following.first.click()
        time.sleep(0.3)
    raise AssertionError("the question set could not be finished")


LESSON_CASES = {
    "platform-quiz": (None, answer_quiz, 1),
    "true-false": (
        "playable/h5p-test.h5p",
        lambda f: answer_corpus_question(f, ".h5p-true-false-answer"),
        1,
    ),
    "multiple-choice": (
        "playable/multiple-choice-713.h5p",
        lambda f: answer_corpus_question(f, ".h5p-answer"),
        1,
    ),
    "question-set": ("playable/question-set-616.h5p", answer_question_set, 6),
}


@pytest.mark.parametrize("case", list(LESSON_CASES))
def test_answering_in_a_lesson_records_the_score_and_completes_the_lesson(
    site, signed_in, learner, page, screenshot, case
):
    from courses import services as course_services
    from courses.factories import build_course
    from courses.models import ActivityProgress, ItemProgress

    path, answer, maximum = LESSON_CASES[case]
    if path and not corpus_available():
        pytest.skip("H5P corpus not present")
    if path:
        content = import_file(path)
    else:
        content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    course = build_course(
        modules=1,
        lessons=2,
        lesson_kwargs={
            "completion_mode": "activities",
            "body": [
                ("rich_text", "<p>Answer the question to complete the lesson.</p>"),
                ("h5p", {"content": content, "title": ""}),
            ],
        },
    )
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    signed_in(learner)
    page.goto(f"{site}{lesson.url}")
    page.locator("iframe.h5p-frame").scroll_into_view_if_needed()
    answer(player(page))
    item = wait_for(
        lambda: ItemProgress.objects.filter(
            enrolment=enrolment, item_key=lesson.translation_key, status="completed"
        ).first()
    )
    assert item is not None, "the lesson was not completed"
    assert item.source == "client"
    activity = ActivityProgress.objects.get(enrolment=enrolment)
    assert activity.completed and activity.score_scaled is not None
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result.score_max == maximum
    time.sleep(1)  # anything still in flight would show up as a second attempt
    assert wait_for(lambda: H5PAttempt.objects.count()) == 1
    page.reload()
    page.locator(".h5p-activity-result").wait_for()
    page.locator("iframe.h5p-frame[data-h5p-ready]").wait_for()
    # H5P lays itself out again once the frame has its content's height.
    page.wait_for_timeout(2500)
    screenshot(f"h5p-lesson-{case}-phone")


def test_b11_messages_from_other_windows_are_ignored(site, signed_in, learner, page):
    """The lesson page forwards only messages whose source is one of its own
    player frames (origin "null") and whose shape is right."""
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    player(page).locator(".pq-answer").first.wait_for()
    assert wait_for(lambda: H5PStatement.objects.exists())  # "attempted"
    before = wait_for(lambda: H5PStatement.objects.count())
    forged = {
        "protocol": "h5p-platform-v1",
        "type": "xapi",
        "statement": {
            "id": "00000000-0000-4000-8000-0000000000b1",
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": f"{site}/h5p/activity/x"},
            "result": {"score": {"raw": 1, "max": 1}, "completion": True},
        },
    }
    page.evaluate(
        """forged => {
          // From the lesson page itself (not a player frame).
          window.postMessage(forged, "*");
          // From another sandboxed frame that is not a player.
          const other = document.createElement("iframe");
          other.setAttribute("sandbox", "allow-scripts");
          other.srcdoc = "<script>parent.postMessage(" + JSON.stringify(forged) +
            ", '*')<" + "/script>";
          document.body.appendChild(other);
        }""",
        forged,
    )
    # A message from the real frame with the wrong shape is dropped too.
    page.frame_locator("iframe.h5p-frame").first.locator("body").evaluate(
        "() => parent.postMessage({protocol: 'h5p-platform-v1', type: 'xapi',"
        " statement: {id: 'not-a-uuid', verb: {id: 'x'}}}, '*')"
    )
    page.wait_for_timeout(1500)
    assert wait_for(lambda: H5PStatement.objects.count()) == before
    assert not wait_for(lambda: H5PResult.objects.exists(), 1)


@pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present")
def test_corpus_accordion_counts_as_done_when_opened(site, signed_in, learner, page):
    """Informational content: its "consume" statement completes it, unscored."""
    content = import_file("playable/accordion-6-7138.h5p")
    signed_in(learner)
    open_activities(page, site, content)
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.completed
    assert result.score_scaled is None and result.passed is None


@pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present")
def test_corpus_essay_is_answered_and_scored(
    site, signed_in, learner, page, screenshot
):
    content = import_file("playable/essay-4-166755.h5p")
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator("textarea").first.fill(
        "The Hobbit tells how Bilbo Baggins, a comfortable hobbit, leaves the Shire "
        "with the wizard Gandalf and thirteen dwarves to win back their treasure "
        "from the dragon Smaug, and finds a magic ring on the way."
    )
    frame.locator(".h5p-question-check-answer").first.click()
    result = wait_for(lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.completed
    assert result.score_max == 80
    screenshot("h5p-corpus-essay")


def wait_in_page(page, condition, timeout=20):
    """``wait_for`` for a test that routes the page's requests: Playwright
    runs the route handlers only while the test is waiting on the page."""
    deadline = time.monotonic() + timeout
    while True:
        page.wait_for_timeout(250)
        try:
            value = condition()
        except OperationalError:
            value = None
        if value or time.monotonic() > deadline:
            return value


@pytest.mark.parametrize(
    "status, body, content_type",
    [
        (429, '{"error": "slow-down"}', "application/json"),
        # Django's CSRF refusal (a rotated token): a page, not an xAPI answer.
        (403, "<h1>Forbidden (403)</h1><p>CSRF verification failed.</p>", "text/html"),
        (403, '{"error": "login-required"}', "application/json"),
    ],
)
def test_b02_a_statement_refused_only_for_now_is_kept_and_sent_again(
    site, signed_in, learner, page, status, body, content_type
):
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.wait_for()
    refused = {"count": 0}

    def refuse_answers(route):
        if "answered" in (route.request.post_data or "") and not refused["count"]:
            refused["count"] += 1
            route.fulfill(status=status, body=body, content_type=content_type)
        else:
            route.continue_()

    page.route("**/h5p/xapi/", refuse_answers)
    answer_quiz(frame)
    assert wait_in_page(page, lambda: refused["count"] == 1, timeout=10)
    result = wait_in_page(page, lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.passed, "the statement was dropped"
    assert wait_in_page(page, lambda: H5PAttempt.objects.count()) == 1


def test_b02_a_statement_refused_for_what_it_is_is_dropped(
    site, signed_in, learner, page
):
    """A validation refusal will not change: the statement leaves the queue
    and does not hold back the ones after it."""
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.wait_for()
    answered = {"count": 0}

    def refuse_first_answer(route):
        if "answered" in (route.request.post_data or ""):
            answered["count"] += 1
            if answered["count"] == 1:
                route.fulfill(
                    status=400,
                    body='{"error": "score-max-mismatch"}',
                    content_type="application/json",
                )
                return
        route.continue_()

    page.route("**/h5p/xapi/", refuse_first_answer)
    answer_quiz(frame)
    assert wait_in_page(page, lambda: answered["count"] == 1, timeout=10)
    frame.locator(".pq-check").click()  # a second answer, sent after the first
    result = wait_in_page(page, lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None
    assert wait_in_page(page, lambda: H5PAttempt.objects.count()) == 1
    assert answered["count"] == 2
    queued = page.evaluate("localStorage.getItem('platform-h5p-queue-v1')")
    assert "answered" not in (queued or "")


def test_a_statement_met_by_a_server_error_is_sent_again_with_its_id_K20(
    site, signed_in, learner, page
):
    """K20: the answer's first delivery meets a 500, the second a timeout;
    the page sends it again with the same statement id, and the server keeps
    it once."""
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    signed_in(learner)
    open_activities(page, site, content)
    frame = player(page)
    frame.locator(".pq-answer").first.wait_for()
    deliveries = []

    def fail_twice(route):
        body = json.loads(route.request.post_data or "{}")
        statement = (body.get("statements") or [{}])[0]
        if "answered" in str(statement.get("verb")) and len(deliveries) < 2:
            deliveries.append(statement["id"])
            if len(deliveries) == 1:
                route.fulfill(status=500, body="<h1>Server Error (500)</h1>")
            else:
                route.abort("timedout")
            return
        route.continue_()

    page.route("**/h5p/xapi/", fail_twice)
    answer_quiz(frame)
    result = wait_in_page(page, lambda: H5PResult.objects.filter(user=learner).first())
    assert result is not None and result.passed
    assert len(deliveries) == 2 and deliveries[0] == deliveries[1]
    stored = H5PStatement.objects.filter(verb__endswith="answered")
    assert [str(i) for i in stored.values_list("statement_id", flat=True)] == [
        deliveries[0]
    ]


def test_completing_an_activity_updates_the_lesson_page_without_a_reload(
    site, signed_in, learner, page, screenshot
):
    """Issue 11 (24): the progress bar, the lesson's "Completed" mark and the
    activity's result follow the server's answer at once."""
    from courses import services as course_services
    from courses.factories import build_course

    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    course = build_course(
        modules=1,
        lessons=2,
        lesson_kwargs={
            "completion_mode": "activities",
            "body": [("h5p", {"content": content, "title": ""})],
        },
    )
    lesson = course.get_course_items()[0]
    course_services.enrolment_create(user=learner, course=course, source="self")
    signed_in(learner)
    page.goto(f"{site}{lesson.url}")
    bar = page.locator(".course-progress [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "0"
    header = page.locator(".lesson-header")
    assert "Completed" not in header.inner_text()
    note = page.get_by_text("This lesson is completed when you finish its activities.")
    assert note.is_visible()
    page.locator("iframe.h5p-frame").scroll_into_view_if_needed()
    answer_quiz(player(page))
    page.locator(".course-progress [role=progressbar][aria-valuenow='50']").wait_for(
        timeout=20000
    )
    assert page.locator(".course-progress .progress-label").inner_text() == (
        "50% complete"
    )
    assert bar.locator("span").evaluate("s => s.style.width") == "50%"
    badge = header.locator(".badge-success")
    badge.wait_for()
    assert "Completed" in badge.inner_text()
    assert not note.is_visible()
    result = page.locator(".h5p-activity-result")
    assert result.inner_text() == "Done. Your score: 1 of 1."
    assert result.get_attribute("role") == "status"
    assert page.console_errors == []
    screenshot("h5p-lesson-completed-without-reload-phone")
