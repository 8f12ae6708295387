"""Domain signals: how one package reacts to another without importing it.

Every signal is sent with the Flask app as sender and keyword arguments carrying
ids and plain values, never ORM objects, so a subscriber can hand them to a Celery
task as they are. Senders emit *after* their change is flushed in the current
transaction; subscribers that do slow or external work queue it with
``lms.db.enqueue_after_commit``.

The keyword arguments below are the contract; add to it, do not change it.
"""

from blinker import Namespace, Signal
from flask import current_app

lms_signals = Namespace()


def emit(signal: Signal, **payload) -> None:
    """Send ``signal`` with the running app as sender: the one way every package sends."""
    signal.send(current_app._get_current_object(), **payload)


# accounts ---------------------------------------------------------------------------------
#: user_id, actor_id, roles_before: list[str], roles_after: list[str]
roles_changed = lms_signals.signal("roles-changed")

# courses ----------------------------------------------------------------------------------
#: user_id, course_id, completed_at: datetime (aware UTC)
course_completed = lms_signals.signal("course-completed")
#: user_id, course_id, due_at: datetime | None, assigned_by_id
course_assigned = lms_signals.signal("course-assigned")
#: user_id, course_id — a waitlisted learner got a seat (also title: str, url: str)
course_seat_granted = lms_signals.signal("course-seat-granted")
#: lecture_id, course_id, starts_at: datetime, title: str, user_ids: list[int] — a live
#: online lecture was scheduled or moved (sent again with the new time when it moves)
live_lecture_scheduled = lms_signals.signal("live-lecture-scheduled")
#: lecture_id — the live lecture was cancelled or unscheduled
live_lecture_cancelled = lms_signals.signal("live-lecture-cancelled")

# training ---------------------------------------------------------------------------------
# Session signals carry ``user_ids``: everyone to tell (seated roster and instructors), so
# subscribers need not read training's tables. ``url`` is the session's page path.
#: session_id, class_id, starts_at: datetime, ends_at: datetime, title: str, location: str,
#: user_ids: list[int], url: str
session_scheduled = lms_signals.signal("session-scheduled")
#: session_id, class_id, old_starts_at, starts_at, ends_at, title, location, user_ids, url
session_rescheduled = lms_signals.signal("session-rescheduled")
#: session_id, class_id, starts_at, title, reason: str, user_ids, url
session_cancelled = lms_signals.signal("session-cancelled")
#: class_id, user_id, change: "added" | "removed" | "promoted",
#: upcoming: list[dict(session_id, starts_at, ends_at, title, location, url)] — the class's
#: sessions still to come, so reminders can be written or withdrawn for this person
roster_changed = lms_signals.signal("roster-changed")
#: class_id, session_id, user_id, request_id — an excuse waits for an officer
excuse_requested = lms_signals.signal("excuse-requested")
#: class_id, user_id, rate: float (0..1), threshold: float, officer_id: int | None
low_attendance = lms_signals.signal("low-attendance")
#: class_id, user_id, rate: float — a worker finished a class at or above its bar
#: (also title: str, organization_id: int — the class's title and organization, so a
#: certificate can be issued without reading training's tables)
class_completed = lms_signals.signal("class-completed")

# mentorship -------------------------------------------------------------------------------
#: mentorship_id, mentor_id, apprentice_id, completed_at
#: (also title: str — what the apprentice graduated in, for a certificate)
mentorship_completed = lms_signals.signal("mentorship-completed")
#: log_id, mentorship_id, mentor_id, apprentice_id — a log waits for confirmation
#: (also url: str — the page where the apprentice confirms it)
mentor_log_submitted = lms_signals.signal("mentor-log-submitted")
#: log_id, mentorship_id, mentor_id, apprentice_id, organization_id, reason: str, url: str —
#: the apprentice disputes a log; an officer of the organization's subtree must resolve it
mentor_log_disputed = lms_signals.signal("mentor-log-disputed")
#: mentorship_id, mentor_id, apprentice_id, requested_by_apprentice: bool, url: str — a
#: pairing waits for signatures (officer pairing) or for the mentor's answer (a request)
mentorship_proposed = lms_signals.signal("mentorship-proposed")
#: mentorship_id, mentor_id, apprentice_id, quiet_since: date, idle_days: int, url: str — an
#: active pairing has had no mentoring log since ``quiet_since`` (its last log, or its start),
#: ``idle_days`` or more ago; sent by mentorship's hourly scan, again each hour while quiet
mentorship_quiet = lms_signals.signal("mentorship-quiet")

# certificates -----------------------------------------------------------------------------
#: certificate_id, holder_id (also title: str, serial: str, url: str — the certificate's page,
#: expires_on: date | None)
certificate_issued = lms_signals.signal("certificate-issued")

# care -------------------------------------------------------------------------------------
# Care payloads carry ids only (health and income data never travel in a signal); the
# subscriber reads what it needs to say and links to the page named by ``url``.
#: step_id, case_id, owner_id, url: str — a hardship case's follow-up is due today or overdue
#: (sent once per step by the daily task); the owner (a care officer) should be reminded
care_followup_due = lms_signals.signal("care-followup-due")
#: checkup_id, batch_id, person_id — a health check-up appointment was booked or moved;
#: the person should be told the date (see the care file at /care/me)
care_checkup_booked = lms_signals.signal("care-checkup-booked")
#: nomination_id, trip_id, person_id, status: "approved" | "declined" | "withdrawn",
#: kind: "recuperation" | "study_tour" — a recuperation trip's or study tour's roster changed; the person should be told (approved: with reminders
#: before the trip's start, read from /care/me)
care_trip_decided = lms_signals.signal("care-trip-decided")
#: survey_id, person_ids: list[int], url_by_person: dict[int, str] — a living-conditions survey
#: was sent; each person should be asked to answer it at their url (the answer page on the
#: phone). Sent again for people added later: those already asked are not asked twice.
care_survey_sent = lms_signals.signal("care-survey-sent")

# innovation -------------------------------------------------------------------------------
# Payloads carry ids (and the stage as a string); listeners read what else they need.
#: innovation_id, organization_id, author_id, stage: "review" | "opinion"
innovation_submitted = lms_signals.signal("innovation-submitted")
#: innovation_id, author_id, stage: "adopted" | "trial" | "not_adopted", decided_by_id
innovation_decided = lms_signals.signal("innovation-decided")
#: innovation_id, organization_id, author_id — past its answer deadline, escalated once
#: (the officers above the unit should be told)
innovation_overdue = lms_signals.signal("innovation-overdue")
#: innovation_id, into_id, author_id — a duplicate merged into the earlier item
innovation_merged = lms_signals.signal("innovation-merged")
#: innovation_id, author_id, verified_by_id
innovation_benefit_verified = lms_signals.signal("innovation-benefit-verified")
#: innovation_id, user_ids: list[int] — the reward lines written for these people
innovation_reward_computed = lms_signals.signal("innovation-reward-computed")
#: studio_id, lead_id, status: "named" | "rejected" | "revoked"
studio_decided = lms_signals.signal("studio-decided")

# competitions -----------------------------------------------------------------------------
#: award_id, contestant_id, user_id, contest_id, contest_title: str, trade: str (the trade's
#: name), title: "chief_technician" | "technical_expert" (an ``HonorKind`` value), rank: int,
#: organization_id (the organizing organization: the certificate's issuer), url: str (the
#: contestant's results page) — a title was conferred after the public notice (sent once per
#: contestant; the honour is already in the registry)
competition_awarded = lms_signals.signal("competition-awarded")

# assessment -------------------------------------------------------------------------------
#: sitting_id, exam_id, user_id, percent: str (a decimal 0–100, e.g. "87.50"), closed_by:
#: "submit" | "timeout" — a sitting was closed and marked (sent once per sitting)
assessment_sitting_closed = lms_signals.signal("assessment-sitting-closed")

# selection --------------------------------------------------------------------------------
#: honour_id, user_id, campaign_id, dossier_id, kind: str (an ``HonorKind`` value), level: str
#: (an ``HonorLevel`` value), year: int, title: str, organization_id: int (the organizing
#: organization, the certificate's issuer), actor_id: int | None — a campaign's approval
#: conferred the honour (sent once per honour, inside the approving transaction)
honour_conferred = lms_signals.signal("honour-conferred")
#: honour_id, user_id, reason: str, actor_id: int | None — the honour was revoked (撤销); it
#: stays on record but is no longer shown; certificates for it are revoked with the reason
honour_revoked = lms_signals.signal("honour-revoked")
