"""Shared steps of browser tests."""

import re
import time


def totp_code(secret, window=None):
    """The authenticator app's current code for ``secret``. Near the end of
    a 30-second window it waits for the next one, as a person would: a code
    typed in its last seconds may reach the server after it expired (a busy
    machine takes seconds from here to the check)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if window is None:
        left = 30 - time.time() % 30
        if left < 8:
            time.sleep(left + 0.1)
        window = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, window))


FACTORY_PASSWORD = "correct-horse-battery"  # noqa: S105 (the test factories' own)


def admin_login(page, live_server, user, secret, *, password=None, language="en"):
    """Sign a staff user in with password (the factories' one unless given)
    and TOTP code; lands on /admin/."""
    page.goto(f"{live_server.url}/{language}/accounts/login/?next=/admin/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(password or FACTORY_PASSWORD)
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def take_assessment(page):
    """Start the assessment on the current page, answer everything right,
    submit and continue to the next item."""
    from assessments.models import Attempt
    from tests.assessments.helpers import answer_in_browser

    page.locator("form[action*='/assessments/start/'] button").click()
    page.wait_for_url(re.compile(r"/assessments/attempt/\d+/$"))
    attempt_id = int(re.search(r"/attempt/(\d+)/", page.url).group(1))
    answer_in_browser(page, Attempt.objects.get(pk=attempt_id))
    page.locator("[data-submit]").click()
    page.wait_for_url(re.compile(r"/review/$"))
    page.locator("a.lesson-next").click()


def answer_h5p_activity(page):
    """Answer the platform's own H5P quiz in the lesson's frame and wait until
    the server has the statement."""
    quiz = page.frame_locator("iframe.h5p-frame").first
    quiz.locator(".pq-answer").first.click()
    with page.expect_response(
        lambda r: "/h5p/xapi/" in r.url and "answered" in (r.request.post_data or "")
    ):
        quiz.locator(".pq-check").click()
    # The quiz shows its verdict and grows, the page shows the server's
    # summary under the frame: both move what follows down the page. Wait
    # until the frame's height has held for a few polls, so that the next
    # click lands where it is aimed.
    quiz.locator(".pq-result").wait_for()
    page.locator(".h5p-activity-result").first.wait_for()
    page.wait_for_function(
        """() => {
            const frame = document.querySelector("iframe.h5p-frame");
            const seen = (window.__frameHeights = window.__frameHeights || []);
            seen.push(frame.getBoundingClientRect().height);
            return seen.length >= 3 && seen.slice(-3).every((h) => h === seen.at(-1));
        }""",
        polling=100,
    )


def walk_course_to_the_end(page, *, on_lesson=None, limit=30):
    """From a lesson or assessment page, go through every remaining item of the
    course the way a learner does (mark lessons complete, answer H5P
    activities, take assessments) until the course page is reached. Returns
    (lessons seen, assessments taken)."""
    lessons_seen = assessments_taken = 0
    while not page.locator("body.page-course").count():
        assert lessons_seen + assessments_taken < limit, "the road never ends"
        if page.locator("body.page-assessment").count():
            assessments_taken += 1
            take_assessment(page)
            page.wait_for_load_state()
            continue
        if page.locator("body.page-session").count():
            # An optional workshop or webinar: on to the next item.
            onward = page.locator("main a.button[rel=next]")
            if not onward.count():
                # The last item: back to the course (in any language).
                onward = page.locator("main .lesson-nav a.button:not([rel=prev])")
            with page.expect_navigation():
                onward.first.click()
            page.wait_for_load_state()
            continue
        lessons_seen += 1
        assert page.locator("article.lesson h1").is_visible()
        if page.locator("iframe.h5p-frame").count():
            answer_h5p_activity(page)
        if on_lesson:
            on_lesson(lessons_seen)
        complete = page.locator("form.complete-form button[type=submit]")
        with page.expect_navigation():
            if complete.count():
                complete.click()
            else:
                page.locator("a.lesson-next").click()
        page.wait_for_load_state()
    return lessons_seen, assessments_taken
