"""Care link: statements and time of a care file and of the reports as the data grows.

    python -m bench.care [--people 2000] [--repeat 20]

On PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server; the database
``bench_care`` is recreated and migrated for each size). ``--people`` honoured people (and
then ten times as many) in one federation, each with ten years of records made by set-based
SQL: a case every two years with two steps and a payment, a visit, a check-up and a survey
answer (with its living situation) every year, a recuperation trip and a study tour, and a
flagged need for one answer in ten. One person also has a hundred cases with their steps and
payments, and a hundred visits: the heavy file. The federation's care officer then reads,
``--repeat`` times each, through the pages and the JSON API with the same app: a typical file
and the heavy file, the people list, a survey's list, the reports for the ten years and
their XLSX export. Reported per request: SQL statements (min–max) and median and p95 ms.

The claim checked: each request's statements are the same at ×1 and ×10 (a file reads a
fixed set of statements whatever its length and whatever the size of the tables; the
reports are grouped queries, the honour levels one aggregate rather than a lookup per row). Prints one table and writes bench/results/care.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa

from bench.harness import ROOT, fresh_database

YEARS = 10


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def _sql(session, text: str, **numbers: int) -> None:
    """Run set-based SQL; the numbers (ids, years) are written in as integer literals, which
    PostgreSQL types as it needs (``generate_series``, ``make_date``)."""
    for name in sorted(numbers, key=len, reverse=True):
        text = text.replace(f":{name}", str(int(numbers[name])))
    session.execute(sa.text(text))


def build(session, people: int) -> dict:  # noqa: PLR0915 - one data set read top to bottom
    """The federation, its honoured people and their ten years; returns what the reads need."""
    from bench import datagen
    from lms.care.models import CareDuty
    from lms.care.services import local_today

    generated = datagen.generate(scale=max(1, people // 1000), workers_per_enterprise=500)
    officer_id, fed = generated.officer_id, generated.federation_id
    session.add(CareDuty(user_id=officer_id, organization_id=fed))
    session.commit()
    last = local_today().year
    first = last - YEARS + 1
    p = {"officer": officer_id, "fed": fed, "first": first, "last": last}
    # Honours: one in twenty national, one in five provincial, the rest city.
    _sql(
        session,
        """INSERT INTO honors (user_id, kind, level, year, title, created_at, updated_at)
           SELECT u.id, 'model_worker',
                  CASE WHEN u.id % 20 = 0 THEN 'national' WHEN u.id % 5 = 0 THEN 'provincial'
                       ELSE 'city' END, :first - 1 - u.id % 10, '劳动模范', now(), now()
           FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'worker'
           WHERE u.employee_no LIKE 'B%'""",
        **p,
    )
    honoured = "SELECT user_id AS id FROM honors"
    # A case every two years (the last one open), two steps and a payment each.
    _sql(
        session,
        f"""INSERT INTO care_cases (person_id, organization_id, need, help_kind, title,
                  owner_id, status, opened_on, closed_on, outcome, internal, created_at,
                  updated_at)
           SELECT h.id, u.organization_id,
                  (ARRAY['medical_insurance','housing','income','illness','family'])[1 + g % 5],
                  (ARRAY['living_subsidy','special_hardship'])[1 + g % 2], '帮扶' || g,
                  :officer, CASE WHEN g = 4 THEN 'open' ELSE 'closed' END,
                  make_date(:first + 2 * g, 3, 1),
                  CASE WHEN g = 4 THEN NULL ELSE make_date(:first + 2 * g, 9, 1) END,
                  CASE WHEN g = 4 THEN NULL ELSE '已解决' END, false, now(), now()
           FROM ({honoured}) h JOIN users u ON u.id = h.id CROSS JOIN generate_series(0, 4) g""",
        **p,
    )
    _sql(
        session,
        """INSERT INTO care_case_steps (case_id, text, due_on, done_on, internal, created_at)
           SELECT c.id, '跟进' || s, c.opened_on + 30 * s,
                  CASE WHEN c.status = 'closed' OR s = 1 THEN c.opened_on + 30 * s END,
                  false, now()
           FROM care_cases c CROSS JOIN generate_series(1, 2) s""",
    )
    _sql(
        session,
        """INSERT INTO care_help_payments (person_id, organization_id, case_id, kind, amount,
                  year, paid_on, created_at)
           SELECT c.person_id, c.organization_id, c.id, c.help_kind, 500 + c.id % 3000,
                  extract(year FROM c.opened_on), c.opened_on + 40, now()
           FROM care_cases c""",
    )
    # Every year: a visit, a check-up on the year's batch, a survey answered.
    _sql(
        session,
        f"""INSERT INTO care_visits (person_id, organization_id, occasion, status, planned_on,
                  visited_on, visitors, given, internal, created_at, updated_at)
           SELECT h.id, u.organization_id, 'holiday', 'done', make_date(y, 1, 20),
                  make_date(y, 1, 20), '关爱专员', '慰问金', false, now(), now()
           FROM ({honoured}) h JOIN users u ON u.id = h.id
           CROSS JOIN generate_series(:first, :last) y""",
        **p,
    )
    _sql(
        session,
        """INSERT INTO care_checkup_batches (name, year, organization_id, levels, created_at,
                  updated_at)
           SELECT y || ' 年体检', y, :fed, 'national,provincial,city', now(), now()
           FROM generate_series(:first, :last) y""",
        **p,
    )
    _sql(
        session,
        f"""INSERT INTO care_checkups (batch_id, person_id, appointment_on, attended_on)
           SELECT b.id, h.id, make_date(b.year, 5, 1),
                  CASE WHEN h.id % 7 = 0 THEN NULL ELSE make_date(b.year, 5, 1) END
           FROM care_checkup_batches b CROSS JOIN ({honoured}) h""",
    )
    _sql(
        session,
        """INSERT INTO care_surveys (name, organization_id, levels, closes_on, sent_at,
                  created_at, updated_at)
           SELECT y || ' 年生活状况调查', :fed, 'national,provincial,city', make_date(y, 4, 30),
                  now(), now(), now()
           FROM generate_series(:first, :last) y""",
        **p,
    )
    _sql(
        session,
        f"""INSERT INTO care_living_situations (person_id, surveyed_on, housing, income,
                  health, family, internal, created_at)
           SELECT h.id, make_date(y, 4, 1), '自有住房', '退休金', '良好', '和睦', false, now()
           FROM ({honoured}) h CROSS JOIN generate_series(:first, :last) y""",
        **p,
    )
    _sql(
        session,
        """INSERT INTO care_survey_responses (survey_id, person_id, organization_id, status,
                  via, answered_at, situation_id)
           SELECT s.id, l.person_id, u.organization_id, 'answered', 'self', now(), l.id
           FROM care_living_situations l JOIN users u ON u.id = l.person_id
           JOIN care_surveys s ON s.closes_on = make_date(extract(year FROM l.surveyed_on)::int,
                4, 30)""",
    )
    _sql(
        session,
        """INSERT INTO care_survey_needs (response_id, need)
           SELECT id, 'housing' FROM care_survey_responses WHERE id % 10 = 0""",
    )
    # A recuperation trip and a study tour a year; each person went on one of each.
    _sql(
        session,
        """INSERT INTO care_trips (kind, name, place, starts_on, ends_on, capacity,
                  approved_count, organization_id, weight_first_time, weight_frontline,
                  weight_honour, created_at, updated_at)
           SELECT k, y || k, '疗养院', make_date(y, 7, 1), make_date(y, 7, 6), 1000, 0, :fed,
                  50, 30, 10, now(), now()
           FROM generate_series(:first, :last) y
           CROSS JOIN unnest(ARRAY['recuperation', 'study_tour']) k""",
        **p,
    )
    _sql(
        session,
        f"""INSERT INTO care_nominations (trip_id, person_id, organization_id, frontline, score,
                  status, attended, created_at, updated_at)
           SELECT t.id, h.id, u.organization_id, true, 80, 'approved', true, now(), now()
           FROM ({honoured}) h JOIN users u ON u.id = h.id
           JOIN care_trips t ON extract(year FROM t.starts_on) = :first + h.id % 10""",
        **p,
    )
    # The heavy file: a hundred more cases (steps, payments) and a hundred more visits.
    heavy = session.scalar(sa.text("SELECT min(user_id) FROM honors"))
    typical = session.scalar(sa.text("SELECT max(user_id) FROM honors"))
    _sql(
        session,
        """INSERT INTO care_cases (person_id, organization_id, need, help_kind, title,
                  owner_id, status, opened_on, closed_on, outcome, internal, created_at,
                  updated_at)
           SELECT u.id, u.organization_id, 'illness', 'special_hardship', '长期帮扶' || g,
                  :officer, 'closed', make_date(:first, 1, 1) + g * 30,
                  make_date(:first, 1, 1) + g * 30 + 20, '已解决', g % 3 = 0, now(), now()
           FROM users u CROSS JOIN generate_series(1, 100) g WHERE u.id = :heavy""",
        heavy=heavy,
        **p,
    )
    _sql(
        session,
        """INSERT INTO care_case_steps (case_id, text, due_on, done_on, internal, created_at)
           SELECT c.id, '回访', c.opened_on + 10, c.opened_on + 10, false, now()
           FROM care_cases c WHERE c.person_id = :heavy AND c.title LIKE '长期帮扶%'""",
        heavy=heavy,
    )
    _sql(
        session,
        """INSERT INTO care_visits (person_id, organization_id, occasion, status, planned_on,
                  visited_on, visitors, internal, created_at, updated_at)
           SELECT u.id, u.organization_id, 'illness', 'done', make_date(:first, 1, 5) + g * 30,
                  make_date(:first, 1, 5) + g * 30, '关爱专员', false, now(), now()
           FROM users u CROSS JOIN generate_series(1, 100) g WHERE u.id = :heavy""",
        heavy=heavy,
        **p,
    )
    session.commit()
    _sql(session, "ANALYZE")
    session.commit()
    survey = session.scalar(sa.text("SELECT max(id) FROM care_surveys"))
    rows = session.scalar(
        sa.text(
            "SELECT (SELECT count(*) FROM care_cases) + (SELECT count(*) FROM care_case_steps)"
            " + (SELECT count(*) FROM care_help_payments) + (SELECT count(*) FROM care_visits)"
            " + (SELECT count(*) FROM care_checkups) + (SELECT count(*) FROM care_nominations)"
            " + (SELECT count(*) FROM care_survey_responses)"
            " + (SELECT count(*) FROM care_living_situations)"
        )
    )
    honoured_count = session.scalar(sa.text("SELECT count(DISTINCT user_id) FROM honors"))
    return {
        **p,
        "heavy": heavy,
        "typical": typical,
        "survey": survey,
        "rows": rows,
        "people": honoured_count,
        "officer_no": "S0000000",
    }


def measure(app, counter, data: dict, repeat: int) -> dict:
    from bench.datagen import BENCH_PASSWORD, api_token_for

    bearer = {"Authorization": f"Bearer {api_token_for(data['officer'])}"}
    pages = app.test_client()
    signed = pages.post("/login", data={"login": data["officer_no"], "password": BENCH_PASSWORD})
    assert signed.status_code in (302, 303), signed.status_code
    period = f"from_year={data['first']}&year={data['last']}"
    requests = [
        ("file page, typical", f"/care/people/{data['typical']}", None),
        ("file page, heavy", f"/care/people/{data['heavy']}", None),
        ("file API, heavy", f"/api/v1/care/people/{data['heavy']}/file", bearer),
        ("people list", "/care/", None),
        ("survey's list", f"/care/surveys/{data['survey']}", None),
        ("reports page, 10 years", f"/care/reports?{period}", None),
        ("reports API, 10 years", f"/api/v1/care/reports?{period}", bearer),
        ("reports XLSX, 10 years", f"/care/reports/export.xlsx?{period}", None),
    ]
    api = app.test_client()
    out = {}
    for name, path, headers in requests:
        client = api if headers else pages
        ms, statements = [], []
        for _ in range(repeat):
            counter.n = 0
            t0 = time.perf_counter()
            response = client.get(path, headers=headers or {})
            ms.append((time.perf_counter() - t0) * 1000)
            statements.append(counter.n)
            assert response.status_code == 200, (path, response.status_code)
        ms.sort()
        out[name] = (
            min(statements),
            max(statements),
            statistics.median(ms),
            ms[max(0, int(len(ms) * 0.95) - 1)],
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from lms import create_app
    from lms.extensions import db

    results = []
    for size in (args.people, args.people * 10):
        url = fresh_database("bench_care")
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})

        @app.teardown_request
        def _forget_request_state(exc):
            # One app context stays open (as in the tests); each request must still find
            # its own signed-in person and fresh rows.
            from flask import g

            g.pop("_login_user", None)
            db.session.expire_all()

        with app.app_context():
            started = time.perf_counter()
            data = build(db.session, size)
            seconds = time.perf_counter() - started
            counter = Counter(db.engine)
            results.append((data, seconds, measure(app, counter, data, args.repeat)))
            db.session.remove()
            db.engine.dispose()

    lines = [
        f"# Care: a file and the reports as the data grows tenfold (PostgreSQL, {args.repeat}"
        " reads each)",
        "",
        "| honoured people | care rows | built s | request | SQL statements (min–max) |"
        " median ms | p95 ms |",
        "|---:|---:|---:|---|---:|---:|---:|",
    ]
    for data, seconds, measured in results:
        for name, (lo, hi, med, p95) in measured.items():
            lines.append(
                f"| {data['people']:,} | {data['rows']:,} | {seconds:.0f} | {name} | {lo}–{hi}"
                f" | {med:.1f} | {p95:.1f} |"
            )
    # The minimum is the read itself; a read may add the API token's last-used write (at most
    # once a minute), which does not depend on the data.
    same = all(results[0][2][name][0] == results[1][2][name][0] for name in results[0][2])
    lines += [
        "",
        f"statements of every request unchanged at ×10 data: **{'yes' if same else 'NO'}**"
        " (the minimum of each request; the maximum may add the API token's last-used write,"
        " at most once a minute)",
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results" / "care.md"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
