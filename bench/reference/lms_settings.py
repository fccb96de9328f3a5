"""The reference project with the PyPI package ``wagtail-lms`` (0.11.x) added,
set up as its README says (app and URLs), on a database of its own."""

from settings import *  # noqa: F403

INSTALLED_APPS = ["wagtail_lms", *INSTALLED_APPS]  # noqa: F405
ROOT_URLCONF = "lms_urls"
WAGTAIL_LMS_AUTO_ENROLL = False
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "lms"}}  # noqa: F405
