"""Template globals for mentorship pages: labels and tag colours."""

from flask import Flask

from lms.mentorship import labels
from lms.mentorship.models import MentorshipStatus

_STATUS_CLASS = {
    MentorshipStatus.proposed: "amber",
    MentorshipStatus.active: "green",
    MentorshipStatus.paused: "amber",
    MentorshipStatus.completed: "green",
    MentorshipStatus.cancelled: "",
}


def _log_status_class(log) -> str:
    if log.counts:
        return "green"
    if log.status.value in ("submitted", "disputed"):
        return "amber"
    return "red"


def register(app: Flask) -> None:
    glob = app.add_template_global
    glob(lambda v: labels.label(labels.STATUS_LABELS, v), "status_label")
    glob(lambda v: _STATUS_CLASS.get(v, ""), "status_class")
    glob(lambda v: labels.label(labels.KIND_LABELS, v), "kind_label")
    glob(lambda v: labels.label(labels.LOG_STATUS_LABELS, v), "log_status_label")
    glob(_log_status_class, "log_status_class")
    glob(lambda v: labels.label(labels.GOAL_STATUS_LABELS, v), "goal_status_label")
    glob(lambda v: labels.label(labels.RESOLUTION_LABELS, v), "resolution_label")
    glob(lambda: [(s.value, str(t)) for s, t in labels.STATUS_LABELS.items()], "status_choices")
    glob(
        lambda: [(s.value, str(t)) for s, t in labels.GOAL_STATUS_LABELS.items()],
        "goal_status_choices",
    )
    glob(
        lambda: [(s.value, str(t)) for s, t in labels.RESOLUTION_LABELS.items()],
        "resolution_choices",
    )
