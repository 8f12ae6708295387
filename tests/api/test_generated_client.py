"""A client generated from the OpenAPI document by a tool no one here wrote
(openapi-python-client) works: it signs in with a personal API token, lists the courses,
saves progress in a lecture and reads a documented error."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from lms.accounts.services import create_api_token
from lms.extensions import db
from tests.factories import CourseFactory, EnrollmentFactory, LectureFactory, UserFactory

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated_client(client, tmp_path, monkeypatch):
    """The package ``lms_api_client``, generated now from the app's own document."""
    spec = tmp_path / "openapi.json"
    spec.write_bytes(client.get("/api/v1/openapi.json").get_data())
    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # leave the code as generated (no formatter run)
    package = tmp_path / "generated" / "lms_api_client"
    done = subprocess.run(
        [GENERATOR, "generate", "--path", spec, "--output-path", package, "--meta", "none"]
        + ["--config", config],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and (package / "client.py").exists(), done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(package.parent))
    yield __import__("lms_api_client")
    for name in [m for m in sys.modules if m.split(".")[0] == "lms_api_client"]:
        del sys.modules[name]


def test_a_generated_client_signs_in_lists_courses_and_saves_progress(app, generated_client):
    from lms_api_client import AuthenticatedClient
    from lms_api_client.api.accounts_api import get_api_v1_me
    from lms_api_client.api.courses_api import (
        get_api_v1_courses,
        get_api_v1_courses_course_id_lectures,
        get_api_v1_lectures_lecture_id,
        put_api_v1_lectures_lecture_id_progress,
    )
    from lms_api_client.models import Course, CoursePage, Error, Progress, ProgressIn

    worker = UserFactory(name="李焊工")
    course = CourseFactory(title="二氧化碳气体保护焊", organization=worker.organization)
    LectureFactory(course=course, title="安全须知", position=1)
    EnrollmentFactory(user=worker, course=course)
    _token, secret = create_api_token(worker, "考勤机")
    db.session.commit()

    api = AuthenticatedClient(
        base_url="http://lms.test",
        token=secret,
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )
    with api:
        assert get_api_v1_me.sync(client=api).name == "李焊工"

        page = get_api_v1_courses.sync(client=api)
        assert isinstance(page, CoursePage)
        listed = {c.title: c for c in page.items}
        assert isinstance(listed["二氧化碳气体保护焊"], Course)
        course_id = listed["二氧化碳气体保护焊"].id

        lectures = get_api_v1_courses_course_id_lectures.sync(course_id, client=api)
        saved = put_api_v1_lectures_lecture_id_progress.sync(
            lectures[0].id, client=api, body=ProgressIn(completed=True)
        )
        assert isinstance(saved, Progress) and saved.saved and saved.completed

        refused = put_api_v1_lectures_lecture_id_progress.sync_detailed(
            lectures[0].id, client=api, body=ProgressIn(position_seconds=-1)
        )
        assert refused.status_code == 422 and isinstance(refused.parsed, Error)
        assert refused.parsed.errors["position_seconds"] == [
            "必须大于或等于 0，且小于或等于 86400。"
        ]

        missing = get_api_v1_lectures_lecture_id.sync_detailed(999_999, client=api)
        assert missing.status_code == 404 and isinstance(missing.parsed, Error)
        assert missing.parsed.code == "not_found" and missing.parsed.message
    # The generated model says what the API sends: a code that is a name, not a number.
    assert Error.__annotations__["code"] in (str, "str")
