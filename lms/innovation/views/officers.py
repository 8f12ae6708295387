"""Officers' pages: the review queue and overdue list, decisions and merging, benefit and its
verification, reward computation, the reward ledger and its export, the finance duties and
statistics with a chart drawn on the server."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import User
from lms.accounts.services import organizations_in_scope
from lms.core import charts
from lms.core.pages import paginate
from lms.core.tabular import xlsx_bytes
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation import services
from lms.innovation.forms import BenefitForm, DecideForm, DutyForm, EmptyForm, MergeForm
from lms.innovation.labels import KIND_LABELS, STAGE_LABELS
from lms.innovation.models import Innovation, InnovationKind, Stage
from lms.innovation.views import bp
from lms.innovation.views.common import attempt, flash_domain, flash_errors
from lms.timeutil import to_local


def _back(item: Innovation):
    return redirect(url_for("innovation.detail", item_id=item.id))


def _xlsx(data: bytes, name: str) -> Response:
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.route("/review")
@login_required
def queue():
    scope.require_officer(current_user)
    overdue = request.args.get("overdue") == "1"
    q = (request.args.get("q") or "").strip() or None
    stage = request.args.get("stage") if request.args.get("stage") in Stage.__members__ else None
    if stage or q:
        stmt = services.items_query(
            current_user, services.ItemFilter(q=q, stage=stage, overdue=overdue)
        )
    else:
        stmt = services.queue_query(current_user, overdue_only=overdue)
    return render_template(
        "innovation/queue.html",
        page=paginate(stmt),
        overdue=overdue,
        overdue_count=services.overdue_count(current_user),
        q=q,
        stage=stage,
        stages=STAGE_LABELS,
        is_overdue=services.is_overdue,
    )


def _acting(item_id: int, form) -> Innovation | None:
    item = services.get_reviewable(current_user, item_id)
    if not form.validate_on_submit():
        flash_errors(form)
        return None
    return item


@bp.route("/<int:item_id>/decision", methods=["POST"])
@login_required
def decide(item_id: int):
    form = DecideForm()
    form.outcome.choices = [
        (s.value, s.value) for s in (Stage.adopted, Stage.trial, Stage.not_adopted)
    ]
    item = _acting(item_id, form)
    if item is not None:
        attempt(
            lambda: services.decide(current_user, item, form.outcome.data, form.reason.data),
            _("评审结论已保存，提交人会收到通知。"),
        )
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/<int:item_id>/merge", methods=["POST"])
@login_required
def merge(item_id: int):
    form = MergeForm()
    item = _acting(item_id, form)
    if item is not None:
        try:
            original = services.get_reviewable(current_user, form.original_id.data)
            services.merge(current_user, item, original)
        except NotFound:
            flash(_("找不到这个原项目编号。"), "error")
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash_domain(exc)
        else:
            db.session.commit()
            flash(_("已合并，支持者已转到原项目。"), "success")
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/<int:item_id>/benefit", methods=["POST"])
@login_required
def benefit(item_id: int):
    form = BenefitForm()
    item = _acting(item_id, form)
    if item is not None:

        def action():
            services.set_benefit(
                current_user,
                item,
                target_benefit=form.target_benefit.data,
                forecast_benefit=form.forecast_benefit.data,
                actual_benefit=form.actual_benefit.data,
                formula=form.formula.data,
                reason=form.reason.data,
            )

        attempt(action, _("效益已保存。"))
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/<int:item_id>/verification", methods=["POST"])
@login_required
def verify(item_id: int):
    item = _acting(item_id, EmptyForm())
    if item is not None:
        attempt(lambda: services.verify_benefit(current_user, item), _("实际效益已核定并锁定。"))
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/<int:item_id>/reward", methods=["POST"])
@login_required
def reward(item_id: int):
    item = _acting(item_id, EmptyForm())
    if item is not None:
        attempt(
            lambda: services.compute_reward(current_user, item), _("奖励已按等级表和贡献比例计算。")
        )
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/<int:item_id>/studio", methods=["POST"])
@login_required
def link_studio(item_id: int):
    item = _acting(item_id, EmptyForm())
    if item is not None:
        raw = request.form.get("studio_id", "0")
        studio_id = int(raw) if raw.isdigit() and len(raw) < 10 else 0

        def action():
            studio = services.get_studio(current_user, studio_id) if studio_id else None
            services.link_innovation(current_user, item, studio)

        attempt(action, _("已更新所属工作室。"))
    return redirect(url_for("innovation.detail", item_id=item_id))


@bp.route("/rewards")
@login_required
def rewards():
    q = (request.args.get("q") or "").strip() or None
    lines = paginate(services.ledger_query(current_user, q=q))
    total = db.session.scalar(
        services.ledger_query(current_user, q=q)
        .with_only_columns(
            sa.func.coalesce(sa.func.sum(sa.literal_column("innovation_rewards.amount")), 0)
        )
        .order_by(None)
    )
    return render_template(
        "innovation/rewards.html",
        page=lines,
        total=Decimal(total or 0).quantize(Decimal("0.01")),
        officer=scope.is_officer(current_user) or scope.is_admin(current_user),
        grades=services.grade_table(),
        q=q,
    )


@bp.route("/rewards.xlsx")
@login_required
def rewards_export():
    data = services.export_ledger(current_user)
    db.session.commit()
    return _xlsx(data, "innovation-rewards.xlsx")


@bp.route("/finance-duties", methods=["GET", "POST"])
@login_required
def duties():
    scope.require_officer(current_user)
    form = DutyForm()
    orgs = db.session.scalars(organizations_in_scope(current_user)).all()
    form.organization_id.choices = [(o.id, o.name) for o in orgs]
    if request.method == "POST" and not scope.is_admin(current_user):
        raise Forbidden(_("财务核定职责由管理员授予。"))
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).where(User.employee_no == form.employee_no.data.strip())
        )
        try:
            if user is None:
                form.employee_no.errors = [_("找不到这个工号。")]
                raise NotFound()
            org = services.get_organization(current_user, form.organization_id.data)
            services.assign_finance_duty(current_user, user, org)
        except NotFound:
            db.session.rollback()
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash_domain(exc)
        else:
            db.session.commit()
            flash(_("已授予财务核定职责。"), "success")
            return redirect(url_for("innovation.duties"))
    return render_template(
        "innovation/duties.html",
        form=form if scope.is_admin(current_user) else None,
        duties=paginate(services.duties_query(current_user)),
    )


def _period() -> tuple[date, date]:
    def parse(name, default):
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return default

    today = to_local(services.now()).date()
    start = parse("start", date(today.year, 1, 1))
    end = parse("end", today)
    if end < start:
        start, end = end, start
    if (end - start) > timedelta(days=3660):
        start = end - timedelta(days=3660)
    return start, end


def _stats():
    scope.require_officer(current_user)
    orgs = db.session.scalars(organizations_in_scope(current_user)).all()
    raw = request.args.get("org", "")
    org = next((o for o in orgs if str(o.id) == raw), None) or (
        current_user.organization if not scope.is_admin(current_user) else orgs[0]
    )
    start, end = _period()
    return orgs, services.compute_stats(current_user, org, start, end)


@bp.route("/stats")
@login_required
def stats():
    orgs, stats = _stats()
    return render_template(
        "innovation/stats.html",
        orgs=orgs,
        stats=stats,
        kinds=KIND_LABELS,
        stages=STAGE_LABELS,
        charts=_charts(stats),
    )


def _charts(stats):
    """Server-drawn SVG (lms.core.charts): items by stage, and by kind with how many of them
    were adopted; each with its figures as a table."""
    if not stats.total:
        return []
    adopted = (Stage.adopted, Stage.trial)
    return [
        charts.bar(
            _("按状态"),
            [STAGE_LABELS[s] for s in Stage],
            {_("项目数"): [stats.by_stage[s] for s in Stage]},
        ),
        charts.bar(
            _("按类别"),
            [KIND_LABELS[k] for k in InnovationKind],
            {
                _("项目数"): [sum(stats.by_kind[k].values()) for k in InnovationKind],
                _("采纳（含试行）"): [
                    sum(stats.by_kind[k][s] for s in adopted) for k in InnovationKind
                ],
            },
        ),
    ]


@bp.route("/stats.xlsx")
@login_required
def stats_export():
    _orgs, stats = _stats()
    headers = [_("类别"), *[str(STAGE_LABELS[s]) for s in Stage], _("合计")]
    rows = [
        [str(KIND_LABELS[k]), *[stats.by_kind[k][s] for s in Stage], sum(stats.by_kind[k].values())]
        for k in InnovationKind
    ]
    rows.append([_("合计"), *[stats.by_stage[s] for s in Stage], stats.total])
    rate = f"{stats.adoption_rate:.1%}" if stats.adoption_rate is not None else "—"
    notes = [
        _(
            "单位：%(org)s；期间：%(start)s 至 %(end)s",
            org=stats.organization.name,
            start=stats.start,
            end=stats.end,
        ),
        _("采纳率：%(rate)s", rate=rate),
        _(
            "答复天数中位数：%(days)s",
            days=stats.median_days if stats.median_days is not None else "—",
        ),
        _("已核定年净效益（元）：%(amount)s", amount=stats.verified_benefit),
    ]
    return _xlsx(xlsx_bytes(_("创新统计"), headers, rows, notes), "innovation-stats.xlsx")
