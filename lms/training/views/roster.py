"""Pages of a class's roster: the list, adding people (one, by filter, from a file),
removing them, and a worker registering or withdrawing."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import User
from lms.accounts.services import UserFilter
from lms.core import tabular
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.training import forms, services
from lms.training.models import RosterStatus
from lms.training.views.common import bp, org_choices


def _roster_page(training_class, *, can_manage: bool, import_form=None, import_errors=None):
    filter_form = forms.AddFilterForm(prefix="f")
    filter_form.organization_id.choices = org_choices()
    return render_template(
        "training/roster.html",
        training_class=training_class,
        entries=services.roster(training_class),
        can_manage=can_manage,
        add_form=forms.AddPersonForm(prefix="p"),
        filter_form=filter_form,
        import_form=import_form or forms.RosterImportForm(prefix="i"),
        import_errors=import_errors,
    )


@bp.route("/classes/<int:class_id>/roster")
@login_required
def roster(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_teach(current_user, training_class)
    return _roster_page(
        training_class, can_manage=services.can_manage(current_user, training_class)
    )


@bp.route("/classes/<int:class_id>/roster/add", methods=["POST"])
@login_required
def roster_add(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_manage(current_user, training_class)
    form = forms.AddPersonForm(prefix="p")
    if not form.validate_on_submit():
        flash(_("请填写工号或手机号。"), "error")
    else:
        try:
            user = services.find_person(current_user, form.login.data)
            result = services.add_people(current_user, training_class, [user])
        except (Invalid, Conflict) as exc:
            flash(exc.errors.get("login", [exc.message])[0], "error")
        else:
            flash(result.message, "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/roster/filter", methods=["POST"])
@login_required
def roster_filter(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_manage(current_user, training_class)
    form = forms.AddFilterForm(prefix="f")
    form.organization_id.choices = org_choices()
    if form.validate_on_submit():
        try:
            result = services.add_by_filter(
                current_user,
                training_class,
                UserFilter(
                    organization_id=form.organization_id.data, trade=form.trade.data or None
                ),
            )
        except (Invalid, Conflict) as exc:
            flash(next(iter(exc.errors.values()), [exc.message])[0], "error")
        else:
            flash(result.message, "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/roster/import", methods=["POST"])
@login_required
def roster_import(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_manage(current_user, training_class)
    form = forms.RosterImportForm(prefix="i")
    import_errors = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            outcome = services.import_roster(
                current_user, training_class, upload.filename, upload.read()
            )
        except Invalid as exc:
            form.file.errors = list(exc.errors.get("file", [exc.message]))
        else:
            if not outcome.errors:
                flash(outcome.result.message, "success")
                return redirect(url_for("training.roster", class_id=class_id))
            import_errors = outcome.errors.as_list()
            flash(_("文件有错误，名单未做任何改动。请按下表改正后重新上传。"), "error")
    page = _roster_page(
        training_class, can_manage=True, import_form=form, import_errors=import_errors
    )
    return page, 422


@bp.route("/roster-template.xlsx")
@login_required
def roster_template():
    body = tabular.xlsx_bytes(
        _("培训班名单模板"),
        ["工号", "姓名"],
        [["W10001", "张三"]],
        [
            _("每行一位学员，“工号”必填，“姓名”可用于核对。"),
            _("有任何一行出错时，整个文件都不会导入。"),
        ],
    )
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=roster-template.xlsx"},
    )


@bp.route("/classes/<int:class_id>/roster/<int:user_id>/remove", methods=["POST"])
@login_required
def roster_remove(class_id: int, user_id: int):
    training_class = services.get_class(current_user, class_id)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    services.withdraw(current_user, training_class, user)
    flash(_("已将 %(name)s 移出名单。", name=user.name), "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/register", methods=["POST"])
@login_required
def register(class_id: int):
    training_class = services.get_class(current_user, class_id)
    entry = services.register_self(current_user, training_class)
    if entry.status == RosterStatus.seated:
        flash(_("报名成功，您已在册。"), "success")
    else:
        flash(
            _("名额已满，您在候补第 %(n)d 位，有空位时会自动递补。", n=entry.waitlist_position),
            "info",
        )
    return redirect(url_for("training.class_detail", class_id=class_id))


@bp.route("/classes/<int:class_id>/withdraw", methods=["POST"])
@login_required
def withdraw(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.withdraw(current_user, training_class, current_user)
    flash(_("您已退出此培训班。"), "success")
    return redirect(url_for("training.class_detail", class_id=class_id))
