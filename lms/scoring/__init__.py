"""Panel scoring (评分引擎): panels of scorers mark subjects known only by opaque codes.

An engine (floor 4): it knows nothing of contests or innovation. A domain creates a panel,
adds criteria, scorers and subjects with its own codes, and calls ``lms.scoring.services``.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.scoring import models  # noqa: F401  (tables join the metadata)
