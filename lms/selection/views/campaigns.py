"""Campaign pages: the list, a new campaign, the organizer's page, publishing the notice,
approval, and the admins' working-day calendar."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import Organization
from lms.core.pages import int_arg, paginate
from lms.errors import NotFound
from lms.extensions import db
from lms.selection import services
from lms.selection.forms import CalendarDayForm, CampaignForm, QuotaForm
from lms.selection.views import bp
from lms.selection.views.common import REFUSALS, attempt, form_errors, posted_id


@bp.route("/")
@login_required
def index():
    q = (request.args.get("q") or "").strip() or None
    page = paginate(services.campaigns_query(current_user, q))
    return render_template("selection/index.html", page=page, q=q)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_campaign():
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            campaign = services.create_campaign(
                current_user,
                current_user.organization,
                **{name: getattr(form, name).data for name in _CAMPAIGN_FIELDS},
            )
        except REFUSALS as exc:
            form_errors(form, exc)
        else:
            flash(_("评选已创建。下一步：给各单位分配名额，通知各单位推荐。"), "success")
            return redirect(url_for("selection.campaign", campaign_id=campaign.id))
    services.campaigns_query(current_user)  # officers only: others are refused here
    status = 422 if form.errors else 200
    return render_template("selection/campaign_form.html", form=form), status


_CAMPAIGN_FIELDS = (
    "title",
    "honour_kind",
    "honour_level",
    "year",
    "places",
    "nominate_until",
    "review_until",
    "notice_workdays",
    "min_frontline_percent",
    "max_heads_percent",
    "requires_prior_honour",
    "description",
)


@bp.route("/<int:campaign_id>")
@login_required
def campaign(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    organizer = services.is_organizer(current_user, campaign)
    context = {"campaign": campaign, "organizer": organizer}
    if organizer:
        q = (request.args.get("q") or "").strip() or None
        status = request.args.get("status") or None
        quota_form = QuotaForm()
        quota_form.organization_id.choices = [
            (o.id, o.name)
            for o in db.session.scalars(
                db.select(Organization)
                .where(Organization.path.startswith(campaign.organization.path))
                .order_by(Organization.path)
                .limit(500)
            )
        ]
        context.update(
            quotas=services.quotas(campaign),
            mix=services.composition(campaign),
            page=paginate(services.dossiers_query(current_user, campaign, q, status)),
            q=q,
            status=status,
            quota_form=quota_form,
            blockers=services.approval_blockers(campaign),
            open_objections=services.open_objections(campaign),
            pending_vettings=services.pending_vettings(campaign),
            missing_votes=services.missing_votes(campaign),
            departments=services.departments(campaign),
            vettings=services.campaign_vettings(current_user, campaign),
            members=services.members(campaign),
        )
    return render_template("selection/campaign.html", **context)


@bp.route("/<int:campaign_id>/quota", methods=["POST"])
@login_required
def set_quota(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    organization = db.session.get(Organization, posted_id("organization_id"))
    if organization is None:
        raise NotFound()
    if attempt(
        services.set_quota, current_user, campaign, organization, request.form.get("places")
    ):
        flash(_("名额已设置。"), "success")
    return redirect(url_for("selection.campaign", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/publish", methods=["POST"])
@login_required
def publish(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    notice = attempt(services.publish_notice, current_user, campaign, request.form.get("body"))
    if notice:
        flash(
            _("已公示，公示期至 %(day)s。", day=notice.ends_on.isoformat()),
            "success",
        )
    return redirect(url_for("selection.campaign", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/approve", methods=["POST"])
@login_required
def approve_campaign(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    honours = attempt(services.approve_campaign, current_user, campaign)
    if honours is not None:
        flash(
            _("已批准：%(n)d 人获授荣誉，证书正在生成。", n=len(honours)),
            "success",
        )
    return redirect(url_for("selection.campaign", campaign_id=campaign.id))


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar():
    year = int_arg("year") or services.local_today().year
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            services.set_day(
                current_user, form.day.data, form.is_workday.data == "1", form.note.data
            )
        except REFUSALS as exc:
            form_errors(form, exc)
        else:
            flash(_("工作日历已更新。"), "success")
            return redirect(url_for("selection.calendar", year=form.day.data.year))
    days = db.session.scalars(services.calendar_query(current_user, year)).all()
    status = 422 if form.errors else 200
    return render_template("selection/calendar.html", form=form, days=days, year=year), status


@bp.route("/calendar/<day>/remove", methods=["POST"])
@login_required
def calendar_remove(day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise NotFound() from None
    services.remove_day(current_user, parsed)
    flash(_("已删除这一天的登记，恢复按星期计算。"), "success")
    return redirect(url_for("selection.calendar", year=parsed.year))


def report_chart(lines):
    from lms.core import charts

    return charts.bar(
        _("名单结构与名额（按单位）"),
        [line.organization for line in lines],
        {
            _("名额"): [line.places or 0 for line in lines],
            _("列入名单"): [line.listed for line in lines],
            _("一线职工和专业技术人员"): [line.frontline for line in lines],
            _("企业负责人"): [line.heads for line in lines],
        },
    )


@bp.route("/<int:campaign_id>/report")
@login_required
def report(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    lines = services.composition_report(current_user, campaign)
    return render_template(
        "selection/report.html",
        campaign=campaign,
        lines=lines,
        mix=services.composition(campaign),
        chart=report_chart(lines) if lines else None,
    )


@bp.route("/<int:campaign_id>/report.xlsx")
@login_required
def report_xlsx(campaign_id: int):
    from flask import Response

    from lms.core.tabular import xlsx_bytes

    campaign = services.get_campaign(current_user, campaign_id)
    lines = services.composition_report(current_user, campaign)
    headers = [
        _("单位"),
        _("名额"),
        _("已报送"),
        _("推荐人数"),
        _("列入名单"),
        _("一线职工和专业技术人员"),
        _("企业负责人"),
    ]
    rows = [
        [ln.organization, ln.places, ln.sent_up, ln.nominated, ln.listed, ln.frontline, ln.heads]
        for ln in lines
    ]
    return Response(
        xlsx_bytes(_("名单结构"), headers, rows),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=selection-{campaign.id}.xlsx"},
    )
