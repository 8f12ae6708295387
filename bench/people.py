"""The simulated people of the capacity benchmark: a locustfile, run by ``bench/peak.py``.

    locust -f bench/people.py --headless --host http://127.0.0.1:PORT   (with BENCH_PEAK_PLAN)

Each person signs in through the real sign-in form (CSRF token and all) when they arrive,
then behaves as one of:

- **video learner**: opens their course and a video lecture, then the player saves the
  position every ``data-save-every`` seconds (read from the page, as the player does) with
  the page's CSRF token; now and then a page (my learning, the course, the lecture);
- **browser**: home, catalog, a search, a course page, my learning, notifications,
  schedule, certificates, with 5–20 s of reading between pages;
- **shift worker**: at the start of each measured step (a shift), checks in within the
  burst window by opening the QR link the instructor's screen shows (``check_in`` below);
- **instructor screen**: one per check-in class, polls the screen state every 3 s as the
  screen's script does and publishes the QR link it shows;
- **mentor**: the dashboard, and writes a mentoring log through the form;
- **officer**: the attendance summary and its CSV export, warnings, the pairings list and
  its Excel export, a people search.

The ramp that brings them in and measures each step is ``bench/ramp.py``.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import re
import time
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

from bench.forms import csrf_meta, forms, page_form
from bench.ramp import MANIFEST, PLAN, READY, SCREENS, SHIFT
from bench.ramp import PeakShape as PeakShape  # the ramp: locust finds the shape here

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
COURSE_LINK = re.compile(r'href="/courses/(\d+)"')
LECTURE_LINK = re.compile(r'href="/courses/lectures/(\d+)"')
PROGRESS_URL = re.compile(r'data-progress-url="([^"]+)"')
SAVE_EVERY = re.compile(r'data-save-every="(\d+)"')

# --- the check-in flow (kept in one place: update it when the product's flow changes) ----


def check_in(client, scan_url: str) -> None:
    """A worker's phone opens the link in the screen's QR code and checks in.

    If the link shows a confirmation page, the worker presses its button: the page's POST
    form with its CSRF token. If it checks in at once (the older flow), the answer is a
    redirect to the session page. Either way the session page is opened last.
    """
    path = urlsplit(scan_url).path
    with client.get(
        path,
        headers={"Sec-Fetch-Site": "none"},  # opened from the camera app, as a phone does
        name="GET /training/c/<token> (scan)",
        allow_redirects=False,
        catch_response=True,
    ) as opened:
        if opened.status_code >= 400:
            opened.failure(f"HTTP {opened.status_code}")
            return
    location = opened.headers.get("Location")
    if opened.status_code == 200:
        form = page_form(opened.text or "")
        if form is None:
            return
        with client.post(
            form.action or path,
            data=urlencode(form.fields),
            headers={**FORM, "Sec-Fetch-Site": "same-origin"},
            name="POST /training/c/<token> (confirm)",
            allow_redirects=False,
            catch_response=True,
        ) as confirmed:
            if confirmed.status_code >= 400:
                confirmed.failure(f"HTTP {confirmed.status_code}")
                return
        location = confirmed.headers.get("Location")
    if location:
        client.get(urlsplit(location).path, name="GET /training/sessions/<id>")


# --- signing in ---------------------------------------------------------------------------


def sign_in(client, login: str, password: str) -> str:
    """The sign-in form, as a phone's browser fills it; returns the home page."""
    page = client.get("/login", name="GET /login").text or ""
    form = page_form(page, needs="password")
    fields = dict(form.fields) if form else {}
    fields.update(login=login, password=password)
    with client.post(
        "/login",
        data=urlencode(fields),
        headers=FORM,
        name="POST /login",
        allow_redirects=False,
        catch_response=True,
    ) as answer:
        if answer.status_code != 302:
            answer.failure(f"sign-in as {login}: HTTP {answer.status_code}")
    if answer.status_code != 302:
        raise StopUser()
    return client.get("/", name="GET /").text or ""


def worker_login(index: int) -> str:
    return f"B{index % MANIFEST['workers']:07d}"


class Person(FastHttpUser):
    abstract = True
    network_timeout = 30.0
    connection_timeout = 30.0
    login = ""

    def on_start(self) -> None:
        try:
            self.home = sign_in(self.client, self.login, MANIFEST["password"])
            self.prepare()
        finally:
            READY["people"] += 1

    def prepare(self) -> None:
        pass


_learner_numbers = itertools.count()


def _own_worker() -> str:
    """Learners and browsers: workers after the shift workers' classes, in turn."""
    spare = max(1, MANIFEST["workers"] - MANIFEST["checkin_people"])
    return worker_login(MANIFEST["checkin_people"] + next(_learner_numbers) % spare)


class VideoLearner(Person):
    weight = 45

    def wait_time(self) -> float:
        return self.save_every

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.login = _own_worker()
        self.save_every = 10
        self.position = random.randrange(0, 500)
        self.course_path = "/courses/mine"
        self.save_url = self.lecture_path = self.csrf = None

    def prepare(self) -> None:
        mine = self.client.get("/courses/mine", name="GET /courses/mine").text or ""
        course = COURSE_LINK.search(mine)
        self.course_path = f"/courses/{course.group(1)}" if course else "/courses/mine"
        page = self.client.get(self.course_path, name="GET /courses/<id>").text or ""
        lectures = LECTURE_LINK.findall(page)
        random.shuffle(lectures)
        for lecture_id in lectures[:4]:
            path = f"/courses/lectures/{lecture_id}"
            html = self.client.get(path, name="GET /courses/lectures/<id>").text or ""
            found = PROGRESS_URL.search(html)
            if found:
                self.lecture_path, self.save_url = path, found.group(1)
                self.csrf = csrf_meta(html)
                every = SAVE_EVERY.search(html)
                self.save_every = int(every.group(1)) if every else 10
                break

    @task(19)
    def save_position(self) -> None:
        if not self.save_url:
            return
        self.position = (self.position + self.save_every) % 590
        self.client.put(
            self.save_url,
            json={"position_seconds": self.position, "duration_seconds": 600},
            headers={"X-CSRFToken": self.csrf or ""},
            name="PUT /api/v1/lectures/<id>/progress",
        )

    @task(1)
    def a_page(self) -> None:
        path, name = random.choice(
            [
                ("/courses/mine", "GET /courses/mine"),
                (self.course_path, "GET /courses/<id>"),
                (self.lecture_path or self.course_path, "GET /courses/lectures/<id>"),
            ]
        )
        self.client.get(path, name=name)


class Browser(Person):
    weight = 30
    wait_time = between(5, 20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.login = _own_worker()
        self.courses = ["1"]

    def prepare(self) -> None:
        catalog = self.client.get("/courses/", name="GET /courses/").text or ""
        self.courses = COURSE_LINK.findall(catalog) or ["1"]

    @task(3)
    def catalog(self) -> None:
        self.client.get("/courses/", name="GET /courses/")

    @task(1)
    def search(self) -> None:
        q = random.choice(["焊接", "安全", "数控", "钳工"])
        self.client.get(f"/courses/?{urlencode({'q': q})}", name="GET /courses/?q=")

    @task(3)
    def course(self) -> None:
        self.client.get(f"/courses/{random.choice(self.courses)}", name="GET /courses/<id>")

    @task(3)
    def mine(self) -> None:
        self.client.get("/courses/mine", name="GET /courses/mine")

    @task(2)
    def home_page(self) -> None:
        self.client.get("/", name="GET /")

    @task(1)
    def own_pages(self) -> None:
        path = random.choice(["/notifications", "/training/schedule", "/certificates"])
        self.client.get(path, name=f"GET {path}")


_shift_numbers = itertools.count()


class ShiftWorker(Person):
    """Checks in once per shift, at a random moment of the burst window; otherwise idle."""

    weight = 10
    IDLE = 5  # seconds between looks at the clock while waiting for the next shift

    def wait_time(self) -> float:
        if self.due is None:
            return self.IDLE
        return min(self.IDLE, max(0.2, self.due - time.time()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = next(_shift_numbers) % MANIFEST["checkin_people"]
        self.login = worker_login(number)
        classes = MANIFEST["checkin_classes"]
        self.class_id = classes[(number // 50) % len(classes)]["class_id"]
        self.done = -1
        self.due: float | None = None

    @task
    def shift(self) -> None:
        index = SHIFT["index"]
        if index <= self.done:
            if random.random() < self.IDLE / 120:  # the home page every two minutes or so
                self.client.get("/", name="GET /")
            return
        if self.due is None:
            self.due = SHIFT["started"] + random.uniform(0, PLAN["burst_seconds"])
        shown = SCREENS.get(self.class_id)
        if time.time() >= self.due and shown and shown[0] == index:
            check_in(self.client, shown[1])
            self.done, self.due = index, None


_screen_numbers = itertools.count()


class InstructorScreen(Person):
    """The check-in screen of one class, refreshed every few seconds as its script does."""

    fixed_count = len(MANIFEST.get("checkin_classes", []))
    wait_time = constant(3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.login = MANIFEST["federation_officer"]
        classes = MANIFEST["checkin_classes"]
        self.klass = classes[next(_screen_numbers) % len(classes)]

    @task
    def refresh(self) -> None:
        index = max(SHIFT["index"], 0)
        sessions = self.klass["sessions"]
        path = f"/training/sessions/{sessions[index % len(sessions)]}/screen/state"
        state = self.client.get(path, name="GET /training/sessions/<id>/screen/state")
        with contextlib.suppress(ValueError, KeyError, TypeError):
            SCREENS[self.klass["class_id"]] = (SHIFT["index"], state.json()["scan_url"])


_mentor_numbers = itertools.count()


class Mentor(Person):
    weight = 8
    wait_time = between(20, 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mentors = MANIFEST["mentors"]
        self.login = mentors[next(_mentor_numbers) % len(mentors)]

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/mentoring", name="GET /mentoring")

    @task(2)
    def write_log(self) -> None:
        page = self.client.get("/mentoring/log", name="GET /mentoring/log").text or ""
        form = page_form(page, needs="topic")
        if form is None:
            return
        fields = dict(form.fields)
        if not fields.get("mentorship_id") and form.choices.get("mentorship_id"):
            fields["mentorship_id"] = random.choice(form.choices["mentorship_id"])
        fields.update(topic="立焊练习", minutes=str(random.choice((30, 60, 90))))
        with self.client.post(
            form.action or "/mentoring/log",
            data=urlencode(fields),
            headers=FORM,
            name="POST /mentoring/log",
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            if saved.status_code != 302:
                saved.failure(f"HTTP {saved.status_code}")
                return
        self.client.get("/mentoring", name="GET /mentoring")


_officer_numbers = itertools.count()


class Officer(Person):
    weight = 2
    wait_time = between(20, 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = MANIFEST["officers"]
        self.login = officers[next(_officer_numbers) % len(officers)]

    @task(3)
    def summary(self) -> None:
        page = self.client.get("/training/reports/summary", name="GET /training/reports/summary")
        if random.random() < 0.3:  # and exports it
            query = next((f.fields for f in forms(page.text or "") if "start" in f.names), {})
            query = {**query, "format": "csv"}
            self.client.get(
                f"/training/reports/summary?{urlencode(query)}",
                name="GET /training/reports/summary?format=csv",
            )

    @task(2)
    def warnings(self) -> None:
        self.client.get("/training/warnings", name="GET /training/warnings")

    @task(2)
    def pairings(self) -> None:
        self.client.get("/mentorships", name="GET /mentorships")

    @task(1)
    def pairings_export(self) -> None:
        self.client.get("/mentorships/export.xlsx", name="GET /mentorships/export.xlsx")

    @task(1)
    def people(self) -> None:
        self.client.get("/people?q=%E7%8E%8B", name="GET /people?q=")
