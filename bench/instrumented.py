"""The platform as the capacity benchmark serves it: ``wsgi:app`` plus a count of SQL statements.

Only ``bench/peak.py`` uses this module, as gunicorn's target (``gunicorn bench.instrumented:app``);
production serves ``wsgi:app`` and carries none of it. Each response says in ``X-Bench-Queries``
how many statements its request sent to the database (SQLAlchemy's public
``before_cursor_execute`` event), so the load generator can report queries per request
per endpoint without the product knowing it is measured.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import event

from lms import create_app
from lms.extensions import db

HEADER = "X-Bench-Queries"

app = create_app()

with app.app_context():
    engine = db.engine


@event.listens_for(engine, "before_cursor_execute")
def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        g.bench_queries = g.get("bench_queries", 0) + 1


@app.after_request
def _report_statements(response):
    response.headers[HEADER] = str(g.get("bench_queries", 0))
    return response
