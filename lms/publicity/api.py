"""JSON API of publicity under /api/v1/publicity/…: the same services and permissions as
the pages."""

from __future__ import annotations

from lms.core.apiutil import api_blueprint

blp = api_blueprint(
    "publicity-api",
    __name__,
    "Publicity (宣传): columns, stories with the person's consent and review, media coverage.",
)
