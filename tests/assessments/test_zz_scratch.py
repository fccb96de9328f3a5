"""The learner's pages over HTTP, and the security rows C01-C12."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.factories import make_assessment
from assessments.models import Attempt, AttemptGrade, AttemptState

from .helpers import correct_answers, slot_of_kind

pytestmark = pytest.mark.django_db

@pytest.fixture
def client_for():
    def make(user, csrf=False):
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(user)
        return client

    return make


def test_scratch_fields_and_files_h03_l12(client_for, learner, quiz, settings):
    """H03, L12: a POST with over 2.5 MB of form data, over 1000 fields or
    101 files is refused with 400 and saves nothing; just under each limit it
    is saved."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    url = reverse("assessments:save", args=[attempt.pk])

    def files(count):
        return {f"f{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(count)}

    def post(sequence, extra):
        data = {"slots": "1", "sequence": str(sequence), **extra}
        return client.post(url, data, HTTP_ACCEPT="application/json")

    for extra in (
        {"padding": "x" * 2_700_000},
        {f"x{i}": "1" for i in range(1000)},
        files(101),
    ):
        assert post(0, extra).status_code == 400
        attempt.refresh_from_db()
        assert attempt.sequence == 0
    for sequence, extra in enumerate(
        ({"padding": "x" * 2_500_000}, {f"x{i}": "1" for i in range(990)}, files(100))
    ):
        response = post(sequence, extra)
        assert response.status_code == 200
        assert response.json()["sequence"] == sequence + 1


