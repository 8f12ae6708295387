"""The machine's yardstick: as many people as ``--users`` asking bare Flask (``bench/bare_app.py``)
for a small JSON answer with no pause, served by the same gunicorn and loaded by the same
locust as the platform. ``bench/peak.py`` runs it and reports its requests per second.
"""

from locust import FastHttpUser, task


class BareFlask(FastHttpUser):
    @task
    def bare(self) -> None:
        self.client.get("/bare", name="GET /bare")
