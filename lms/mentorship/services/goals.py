"""A pairing's learning goals: added and updated by the pair or an officer while open."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.db import utcnow
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.mentorship import models
from lms.mentorship.models import Goal, GoalStatus, Mentorship
from lms.mentorship.services.access import roles_in

S = models.MentorshipStatus


# --- goals -----------------------------------------------------------------------------------


def _goal_fields(skill=None, target_date=None, description=None, status=None, partial=False):
    errors, values = {}, {}
    if skill is not None or not partial:
        skill = (skill or "").strip()
        if not skill or len(skill) > 120:
            errors["skill"] = [_("请填写要掌握的技能（120 字以内）。")]
        values["skill"] = skill
    if target_date is not None or not partial:
        values["target_date"] = target_date
    if description is not None:
        if len(description) > 2000:
            errors["description"] = [_("说明不能超过 2000 字。")]
        values["description"] = description.strip() or None
    if status is not None:
        try:
            values["status"] = GoalStatus(status)
        except ValueError:
            errors["status"] = [_("目标状态不正确。")]
    if errors:
        raise Invalid(errors=errors)
    return values


def add_goal_row(mentorship: Mentorship, **fields) -> Goal:
    goal = Goal(mentorship=mentorship, **_goal_fields(**fields))
    db.session.add(goal)
    return goal


def _require_goal_editor(actor: User, mentorship: Mentorship) -> None:
    if not roles_in(actor, mentorship):
        raise NotFound()
    if mentorship.status in (S.completed, S.cancelled):
        raise Conflict(_("师徒关系已结束，目标不能再修改。"))


def add_goal(actor: User, mentorship: Mentorship, **fields) -> Goal:
    _require_goal_editor(actor, mentorship)
    goal = add_goal_row(mentorship, **fields)
    db.session.commit()
    return goal


def get_goal(actor: User, goal_id: int) -> Goal:
    goal = db.session.get(Goal, goal_id)
    if goal is None or not roles_in(actor, goal.mentorship):
        raise NotFound()
    return goal


def update_goal(actor: User, goal: Goal, **fields) -> Goal:
    _require_goal_editor(actor, goal.mentorship)
    values = _goal_fields(partial=True, **fields)
    for key, value in values.items():
        setattr(goal, key, value)
    if values.get("status") == GoalStatus.achieved and goal.achieved_at is None:
        goal.achieved_at = utcnow()
    elif "status" in values and values["status"] != GoalStatus.achieved:
        goal.achieved_at = None
    db.session.commit()
    return goal
