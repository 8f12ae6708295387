"""HTML pages of training, one module per part: ``classes``, ``sessions`` (with attendance
and excuses), ``roster``, ``checkin`` and ``reports`` (with schedules and feeds). They share
the blueprint and helpers of ``common``."""

from lms.training.views import checkin, classes, reports, roster, sessions  # noqa: F401
from lms.training.views.common import bp, register_helpers

__all__ = ["bp", "register_helpers"]
