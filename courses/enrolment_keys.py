"""Enrolment keys: how strong a key must be, and how many wrong keys a learner
or a client address may type.

Wrong keys are counted with allauth's rate limiter, in the shared cache, under
the ``enrolment_key`` entry of ``ACCOUNT_RATE_LIMITS`` (per user and per client
address, the address allauth trusts behind ``TRUSTED_PROXY_COUNT``). An attempt
is counted before the key is compared, so parallel guesses cannot slip past
the limit, and taken back when the key was right or did not matter: a class
enrolling behind one address is not stopped by its own right keys. While the
cache is unreachable the limit is not applied (see ``training_platform.cache``);
the key's strength is the first line of defence."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 8
MIN_DIFFERENT_CHARACTERS = 5
RATE_LIMIT_ACTION = "enrolment_key"
# Wrong keys per learner and per client address; settings may override it.
DEFAULT_RATE_LIMIT = "10/10m/user,30/d/user,60/10m/ip,300/d/ip"


def enrolment_key_problems(key: str) -> list:
    """Why ``key`` is too easy to guess (empty when it is fine). Keys are
    compared without surrounding spaces and without regard to case."""
    key = (key or "").strip().casefold()
    problems = []
    if len(key) < MIN_LENGTH:
        problems.append(
            _("Use at least %(min)s characters: a short key can be guessed.")
            % {"min": MIN_LENGTH}
        )
    if not any(ch.isalpha() for ch in key):
        problems.append(
            _(
                "Use letters as well as digits: a number or a date can be "
                "guessed, for example Border-Serbia-2026."
            )
        )
    if len(set(key)) < MIN_DIFFERENT_CHARACTERS:
        problems.append(
            _("Use at least %(min)s different characters.")
            % {"min": MIN_DIFFERENT_CHARACTERS}
        )
    return problems


def validate_enrolment_key(key: str) -> None:
    problems = enrolment_key_problems(key)
    if problems:
        raise ValidationError(problems)


def enrolment_create_with_key(*, request, course, key):
    """Enrol ``request.user`` in ``course`` with the key they typed, within the
    limit of wrong keys (raises ``EnrolmentError`` with the code
    ``too_many_keys`` once it is reached, whatever the key)."""
    from allauth.account import app_settings
    from allauth.core.internal import ratelimit

    from .models import EnrolmentSource
    from .services import EnrolmentError, enrolment_create

    usage = ratelimit.consume(
        request,
        app="allauth.account",
        action=RATE_LIMIT_ACTION,
        config={RATE_LIMIT_ACTION: DEFAULT_RATE_LIMIT, **app_settings.RATE_LIMITS},
        user=request.user,
    )
    if usage is None:
        raise EnrolmentError(
            "too_many_keys",
            _(
                "Too many wrong enrolment keys. Wait a few minutes and try again, "
                "or ask your coordinator for the key."
            ),
        )
    wrong = False
    try:
        return enrolment_create(
            user=request.user, course=course, source=EnrolmentSource.KEY, key=key
        )
    except EnrolmentError as error:
        wrong = error.code == "wrong_key"
        raise
    finally:
        if not wrong:
            usage.rollback()
