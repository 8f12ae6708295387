"""Foundation benchmark: the signed-in person and the people list, against bare Flask.

    python -m bench.run [--scale 1] [--seconds 10]

Runs at ``scale`` and at ten times ``scale`` (workers = 1,000 × scale) on PostgreSQL
(BENCH_DATABASE_URL, default the local ``test`` server) and prints one table.
"""

from __future__ import annotations

import argparse

from bench import datagen
from bench.harness import (
    Endpoint,
    Server,
    bare_server,
    fresh_database,
    measure_paired,
    print_table,
)


def prepare(scale: int) -> tuple[str, dict]:
    from lms import create_app
    from lms.extensions import db

    url = fresh_database(f"lms_bench_accounts_{scale}")
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        generated = datagen.generate(scale)
        tokens = {
            "worker": datagen.api_token_for(generated.worker_ids[0]),
            "officer": datagen.api_token_for(generated.officer_id),
        }
        db.engine.dispose()
    return url, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    rows = []
    bare_get = Endpoint("bare Flask GET /bare", "/bare")
    with bare_server() as bare:
        for scale in (args.scale, args.scale * 10):
            url, tokens = prepare(scale)
            label = f"{scale * 1000:,} wkr"
            with Server({"DATABASE_URL": url}) as app:
                for endpoint in (
                    Endpoint(
                        "GET /api/v1/me (token)",
                        "/api/v1/me",
                        headers={"Authorization": f"Bearer {tokens['worker']}"},
                    ),
                    Endpoint(
                        "GET /api/v1/users?q= (officer)",
                        "/api/v1/users?q=%E7%8E%8B",
                        headers={"Authorization": f"Bearer {tokens['officer']}"},
                    ),
                    Endpoint("GET /healthz", "/healthz"),
                ):
                    rows.append(measure_paired(app, endpoint, bare, bare_get, args.seconds, label))
    print_table(
        rows,
        title="Foundation: throughput as a ratio to bare Flask measured right after each row "
        "(gunicorn 2 workers)",
    )


if __name__ == "__main__":
    main()
