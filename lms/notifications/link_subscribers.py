"""Notices for the service (care), innovation and competition links, heard from their signals.

Split from :mod:`lms.notifications.subscribers` (which lists every receiver); the same rules
hold: payloads carry ids only, no domain's tables are read, and ``notify`` is keyed so a
signal sent twice tells nobody twice.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms.accounts.labels import HONOR_KIND_LABELS
from lms.db import utcnow
from lms.notifications import services
from lms.notifications.models import Category
from lms.timeutil import to_local

# care and innovation ------------------------------------------------------------------------
# Their payloads carry ids only (care's never carry health or income data), and this package
# reads no domain's tables: the texts say what happened in general and link to the page where
# the person sees the details. Neither has a category of its own (a new one would need a
# migration of the CHECK constraint), so they are system notifications.

CARE_FILE = "/care/me"


def _innovation_page(innovation_id: int) -> str:
    return f"/innovation/{innovation_id}"


def on_care_followup_due(sender, *, step_id, case_id, owner_id, **kw):
    """The owner of a hardship case is reminded that a follow-up step is due, once per step."""
    services.notify(
        [owner_id],
        Category.system,
        _("帮扶个案有待跟进的事项"),
        _("您负责的一个帮扶个案有一项跟进今天到期或已逾期，请查看并处理。"),
        kw.get("url") or f"/care/cases/{case_id}",
        key=f"care-followup:{step_id}",
    )


def on_care_checkup_booked(sender, *, checkup_id, person_id, **kw):
    """The person is told their check-up was booked or moved (once per check-up and day: a
    move on another day is news again)."""
    services.notify(
        [person_id],
        Category.system,
        _("您的体检已预约"),
        _("您的健康体检预约已确定或有变动，日期请在“我的关爱档案”中查看。"),
        CARE_FILE,
        key=f"care-checkup:{checkup_id}:{to_local(utcnow()):%Y-%m-%d}",
    )


def on_care_trip_decided(sender, *, nomination_id, person_id, status, **kw):
    """The person is told the outcome of their nomination for a recuperation trip or a study
    tour, once per outcome."""
    if kw.get("kind") == "study_tour":
        if status == "approved":
            title = _("您的学习考察名额已确定")
            body = _("您已列入学习考察名单，出发日期和安排请在“我的关爱档案”中查看。")
        elif status == "declined":
            title = _("您的学习考察推荐未获批准")
            body = _("这次学习考察的推荐未获批准，详情请在“我的关爱档案”中查看。")
        else:
            title = _("您的学习考察名额已撤销")
            body = _("您已不在这次学习考察的名单上，详情请在“我的关爱档案”中查看。")
    elif status == "approved":
        title = _("您的疗休养名额已确定")
        body = _("您已列入疗休养名单，出发日期和安排请在“我的关爱档案”中查看。")
    elif status == "declined":
        title = _("您的疗休养推荐未获批准")
        body = _("这次疗休养的推荐未获批准，详情请在“我的关爱档案”中查看。")
    else:
        title = _("您的疗休养名额已撤销")
        body = _("您已不在这次疗休养的名单上，详情请在“我的关爱档案”中查看。")
    services.notify(
        [person_id],
        Category.system,
        title,
        body,
        CARE_FILE,
        key=f"care-trip:{nomination_id}:{status}",
    )


def on_care_survey_sent(sender, *, survey_id, person_ids, url_by_person, **kw):
    """Each honoured person is asked once to answer a living-conditions survey (gathered:
    a campaign reaches thousands in a few queries)."""
    with services.gathered():
        for person_id in person_ids:
            services.notify(
                [person_id],
                Category.system,
                _("请填写生活状况调查"),
                _(
                    "工会想了解您近来的住房、收入、健康和家庭情况，以便更好地为您服务。请用手机填写。"
                ),
                url_by_person.get(person_id) or CARE_FILE,
                key=f"care-survey:{survey_id}",
            )


def on_innovation_submitted(sender, *, innovation_id, author_id, stage, **kw):
    """The author is told their item was received: for review, or filed as an opinion."""
    if stage == "review":
        body = _("您提交的建议已收到，将在答复期限内评审。")
    else:
        body = _("您的建议未写明解决办法，已作为意见收到，不进入评审。")
    services.notify(
        [author_id],
        Category.system,
        _("您的建议已收到"),
        body,
        _innovation_page(innovation_id),
        key=f"innovation-submitted:{innovation_id}",
    )


def on_innovation_decided(sender, *, innovation_id, author_id, stage, **kw):
    """The author is told the review's outcome, once per outcome."""
    titles = {
        "adopted": _("您的建议已被采纳"),
        "trial": _("您的建议已试行采纳"),
        "not_adopted": _("您的建议未被采纳"),
    }
    services.notify(
        [author_id],
        Category.system,
        titles.get(stage) or _("您的建议有了评审结果"),
        _("评审结果和意见请在建议页面中查看。"),
        _innovation_page(innovation_id),
        key=f"innovation-decided:{innovation_id}:{stage}",
    )


def on_innovation_overdue(sender, *, innovation_id, organization_id, **kw):
    """The officers over the unit are told an item is past its answer deadline (escalated
    once)."""
    services.notify(
        services.officers_over(organization_id),
        Category.system,
        _("有建议超期未答复"),
        _("所辖单位的一条建议已超过答复期限，请督促评审。"),
        _innovation_page(innovation_id),
        key=f"innovation-overdue:{innovation_id}",
    )


def on_innovation_merged(sender, *, innovation_id, into_id, author_id, **kw):
    """The author of a duplicate is told it was merged into the earlier item."""
    services.notify(
        [author_id],
        Category.system,
        _("您的建议已合并"),
        _("您的建议与一条更早的建议重复，已合并到那一条中一并评审。"),
        _innovation_page(innovation_id),
        key=f"innovation-merged:{innovation_id}",
    )


def on_innovation_benefit_verified(sender, *, innovation_id, **kw):
    """The author is told the item's benefit was verified. The signal's contract names no
    author, and this package reads no innovation table: until the sender adds
    ``author_id`` to the payload, nobody can be told here."""
    author_id = kw.get("author_id")
    if not author_id:
        return
    services.notify(
        [author_id],
        Category.system,
        _("您的建议效益已核定"),
        _("建议的实际效益已经核定，结果请在建议页面中查看。"),
        _innovation_page(innovation_id),
        key=f"innovation-benefit:{innovation_id}",
    )


def on_innovation_reward_computed(sender, *, innovation_id, user_ids, **kw):
    """Everyone with a reward line is told their reward was computed, once per item."""
    services.notify(
        user_ids,
        Category.system,
        _("您的创新奖励已核算"),
        _("您参与的一条建议已核算奖励，金额请在建议页面中查看。"),
        _innovation_page(innovation_id),
        key=f"innovation-reward:{innovation_id}",
    )


def on_studio_decided(sender, *, studio_id, lead_id, status, **kw):
    """The studio's lead is told it was named, rejected or revoked, once per outcome."""
    titles = {
        "named": _("您领衔的创新工作室已获命名"),
        "rejected": _("您领衔的创新工作室申报未获通过"),
        "revoked": _("您领衔的创新工作室命名已撤销"),
    }
    services.notify(
        [lead_id],
        Category.system,
        titles.get(status) or _("您领衔的创新工作室状态有变化"),
        _("详情请在工作室页面中查看。"),
        f"/innovation/studios/{studio_id}",
        key=f"studio:{studio_id}:{status}",
    )


# competitions -------------------------------------------------------------------------------


def on_competition_awarded(sender, *, contestant_id, user_id, contest_title, trade, title, **kw):
    """The person is told of their title once (keyed by the contestant), linking to their
    results page; the certificate's own notice follows from ``certificate_issued``."""
    label = HONOR_KIND_LABELS.get(title, title)
    services.notify(
        [user_id],
        Category.system,
        _("您被授予“%(title)s”称号", title=label),
        _(
            "%(contest)s %(trade)s 第 %(rank)s 名，公示期满，授予%(title)s称号。",
            contest=contest_title,
            trade=trade,
            rank=kw.get("rank"),
            title=label,
        ),
        kw.get("url"),
        key=f"competition-awarded:{contestant_id}",
    )
