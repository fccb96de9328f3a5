"""Sign-up with profile, e-mail verification, login and password reset in a real
browser, in English and in Russian."""

import re

import pytest

from training_platform.accounts.models import Country, Organisation, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "signup": "Sign Up",
        "verify": "Verify Your Email Address",
        "confirm": "Confirm",
        "login": "Sign In",
        "reset": "Reset My Password",
        "change": "Change Password",
        "my_learning": "My learning",
    },
    "ru": {
        "signup": "Регистрация",
        "verify": "Подтвердите",
        "confirm": "Подтвердить",
        "login": "Войти",
        "reset": "Сбросить мой пароль",
        "change": "Изменить пароль",
        "my_learning": "Моё обучение",
    },
}


def link_from_mail(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def verification_required(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_signup_verify_login_and_reset_password(
    live_server, page, mailoutbox, verification_required, language, screenshot
):
    text = TEXT[language]
    serbia = Country.objects.get(code="RS")
    Organisation.objects.create(
        name="Labour Inspectorate", country=serbia, verified=True
    )
    Organisation.objects.create(
        name="Albanian State Police",
        country=Country.objects.get(code="AL"),
        verified=True,
    )
    email = f"official-{language}@example.org"

    page.goto(f"{live_server.url}/{language}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(re.compile("E-?mail|Эл", re.I)).first.fill(email)
    page.locator("#id_full_name").fill("Марија Јовановић")
    page.locator("#id_certificate_name").fill("Марија Јовановић")
    page.locator("#id_country").select_option(str(serbia.pk))
    # Only Serbian organisations are offered once Serbia is chosen.
    organisation_options = page.locator("#id_organisation option:not([hidden])")
    assert "Albanian State Police" not in organisation_options.all_inner_texts()
    visible_groups = page.locator("#id_organisation optgroup:not([hidden])")
    assert visible_groups.count() == 1
    assert visible_groups.first.get_attribute("label") == serbia.name
    page.locator("#id_organisation").select_option(label="Labour Inspectorate")
    page.locator("#id_position").fill("Labour inspector")
    # Nothing is preselected for sex: the official makes the choice (item 22).
    assert page.locator("#id_sex").input_value() == ""
    page.locator("#id_sex").select_option("female")
    page.locator("#id_preferred_language").select_option(language)
    page.locator("#id_password1").fill("a-long-and-unusual-password")
    page.locator("#id_password2").fill("a-long-and-unusual-password")
    page.locator("#id_consent").check()
    screenshot(f"accounts-signup-{language}")
    page.locator("form.stack-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    assert text["verify"].lower() in page.content().lower()
    user = User.objects.get(email=email)
    assert user.organisation.name == "Labour Inspectorate"
    assert user.preferred_language == language

    # Follow the link in the verification e-mail.
    assert len(mailoutbox) == 1
    page.goto(link_from_mail(mailoutbox[0]))
    page.get_by_role("button", name=text["confirm"]).click()
    page.wait_for_url(re.compile(rf"/{language}/my/"))
    assert page.get_by_role("heading", name=text["my_learning"]).is_visible()

    # Log out, then log in with the password.
    page.locator("details.user-menu summary").click()
    page.locator("details.user-menu button[type=submit]").click()
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("a-long-and-unusual-password")
    screenshot(f"accounts-login-{language}")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/my/"))

    # Forgotten password: request a reset and set a new one from the e-mail.
    page.locator("details.user-menu summary").click()
    page.locator("details.user-menu button[type=submit]").click()
    page.goto(f"{live_server.url}/{language}/accounts/password/reset/")
    page.locator("#id_email").fill(email)
    page.get_by_role("button", name=text["reset"]).click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/done/"))
    reset_mail = mailoutbox[-1]
    page.goto(link_from_mail(reset_mail))
    page.locator("#id_password1").fill("another-long-password-42")
    page.locator("#id_password2").fill("another-long-password-42")
    page.get_by_role("button", name=text["change"]).click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/key/done/"))
    user.refresh_from_db()
    assert user.check_password("another-long-password-42")
    assert page.console_errors == []
