"""HTML pages for signing in, one's own account, people and organizations."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.accounts import importer, scope, services
from lms.accounts.forms import (
    ChangePasswordForm,
    HonorForm,
    ImportForm,
    LoginForm,
    OrganizationForm,
    ProfileForm,
    ResetPasswordForm,
    RolesForm,
    TokenForm,
    UserForm,
)
from lms.accounts.models import Role
from lms.core.pages import int_arg, paginate
from lms.errors import DomainError
from lms.extensions import db, limiter

bp = Blueprint("accounts", __name__, template_folder="templates")


def _login_key() -> str:
    """Rate-limit key for one account, whichever address the attempts come from."""
    return "login:" + (request.form.get("login") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_login_key,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except services.LoginFailed as exc:
            error = exc.message
        else:
            services.start_session(user, request.user_agent.string)
            login_user(user, remember=form.remember.data)
            session["locale"] = user.locale
            if user.must_change_password:
                flash(_("欢迎！首次登录请先修改初始密码。"), "info")
                return redirect(url_for("accounts.change_password"))
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if (error or form.errors) else 200
    return render_template("accounts/login.html", form=form, error=error), status


def _forget_this_device() -> None:
    """Clear the signed cookie and the remember-me cookie of this browser."""
    session.clear()
    logout_user()  # after clear(): it marks the remember-me cookie for removal


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.device_session_id)
    _forget_this_device()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/me/sessions/revoke", methods=["POST"])
@login_required
def sign_out_everywhere():
    services.sign_out_everywhere(current_user)
    _forget_this_device()
    flash(_("已在所有设备上退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/me", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user,
                current_user,
                mobile=form.mobile.data or None,
                email=form.email.data or None,
                bio=form.bio.data or None,
            )
        except DomainError as exc:
            for field, messages in exc.errors.items():
                getattr(form, field).errors.extend(messages) if hasattr(form, field) else None
            flash(exc.message, "error")
        else:
            flash(_("个人资料已保存。"), "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        user=current_user,
        devices=services.signed_in_devices(current_user),
    )


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session=current_user.device_session_id,
                revoke_tokens=form.revoke_tokens.data,
            )
        except DomainError as exc:
            for field, messages in exc.errors.items():
                target = form.new_password if field == "password" else getattr(form, field, None)
                if target is not None:
                    target.errors = list(target.errors) + messages
        else:
            flash(_("密码已修改。其他设备上的登录已失效。"), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/me/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_secret = None
    if form.validate_on_submit():
        _token, new_secret = services.create_api_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    return render_template(
        "accounts/tokens.html",
        form=form,
        new_secret=new_secret,
        tokens=services.api_tokens(current_user),
    )


@bp.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    services.revoke_api_token(current_user, token_id)
    flash(_("令牌已吊销，使用它的程序将无法再访问。"), "success")
    return redirect(url_for("accounts.tokens"))


@bp.route("/locale/<locale>", methods=["POST"])
def set_locale(locale: str):
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            services.set_locale(current_user, locale)
    return redirect(_safe_next(request.form.get("next")))


# --- people (officers and admins) ----------------------------------------------------------


@bp.route("/people")
@login_required
def people():
    scope.require_officer(current_user)
    filters = services.UserFilter(
        q=request.args.get("q") or None,
        organization_id=int_arg("org"),
        role=request.args.get("role") if request.args.get("role") in Role.__members__ else None,
    )
    page = paginate(services.users_query(current_user, filters))
    organizations = db.session.scalars(services.organizations_in_scope(current_user)).all()
    return render_template(
        "accounts/people.html", page=page, filters=filters, organizations=organizations
    )


@bp.route("/people/export.xlsx")
@login_required
def export_people():
    filters = services.UserFilter(
        q=request.args.get("q") or None,
        organization_id=int_arg("org"),
        role=request.args.get("role") if request.args.get("role") in Role.__members__ else None,
    )
    return Response(
        services.export_people(current_user, filters),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": "attachment; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95.xlsx"
        },
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def new_person():
    scope.require_officer(current_user)
    form = UserForm()
    orgs = db.session.scalars(services.organizations_in_scope(current_user)).all()
    form.organization_id.choices = [(o.id, "　" * o.depth + o.name) for o in orgs]
    if form.validate_on_submit():
        org = services.get_organization(current_user, form.organization_id.data)
        try:
            user = services.create_user(
                current_user,
                organization=org,
                roles=form.roles.data or [Role.worker],
                password=form.password.data,
                employee_no=form.employee_no.data.strip(),
                name=form.name.data.strip(),
                mobile=form.mobile.data or None,
                trade=form.trade.data or None,
                skill_level=form.skill_level.data or None,
                must_change_password=True,
            )
        except DomainError as exc:
            for field, messages in exc.errors.items():
                if hasattr(form, field):
                    getattr(form, field).errors = list(getattr(form, field).errors) + messages
            if not exc.errors:
                flash(exc.message, "error")
        else:
            flash(_("已添加 %(name)s。", name=user.name), "success")
            return redirect(url_for("accounts.person", user_id=user.id))
    return render_template("accounts/person_new.html", form=form)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@login_required
def person(user_id: int):
    user = services.get_user(current_user, user_id)
    can_manage = scope.can_manage_account(current_user, user)
    form = RolesForm(roles=[r.value for r in user.roles], prefix="roles")
    honor_form = HonorForm(prefix="honor")
    password_form = ResetPasswordForm(prefix="pw")
    submitted = request.form.get("form") if request.method == "POST" else None
    if can_manage and submitted == "roles" and form.validate_on_submit():
        services.set_roles(current_user, user, set(form.roles.data))
        flash(_("角色已更新，并已记入审计日志。"), "success")
        return redirect(url_for("accounts.person", user_id=user.id))
    if can_manage and submitted == "honor" and honor_form.validate_on_submit():
        try:
            services.add_honor(
                current_user,
                user,
                kind=honor_form.kind.data,
                level=honor_form.level.data,
                year=honor_form.year.data,
                title=honor_form.title.data or None,
                citation=honor_form.citation.data or None,
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("荣誉已登记。"), "success")
            return redirect(url_for("accounts.person", user_id=user.id))
    if can_manage and submitted == "password" and password_form.validate_on_submit():
        try:
            services.reset_password(current_user, user, password_form.new_password.data)
        except DomainError as exc:
            password_form.new_password.errors = [m for ms in exc.errors.values() for m in ms] or [
                exc.message
            ]
        else:
            flash(_("密码已重置。请当面告知对方，对方首次登录须修改。"), "success")
            return redirect(url_for("accounts.person", user_id=user.id))
    return render_template(
        "accounts/person.html",
        user=user,
        form=form,
        can_manage=can_manage,
        honor_form=honor_form,
        password_form=password_form,
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def new_organization():
    scope.require_officer(current_user)
    form = OrganizationForm()
    parents = [
        o
        for o in db.session.scalars(services.organizations_in_scope(current_user))
        if o.kind != "workshop"
    ]
    form.parent_id.choices = [(o.id, "　" * o.depth + o.name) for o in parents]
    if form.validate_on_submit():
        parent = services.get_organization(current_user, form.parent_id.data)
        kind = "enterprise" if parent.kind == "federation" else "workshop"
        try:
            services.create_organization(current_user, form.name.data.strip(), kind, parent)
            db.session.commit()
        except DomainError as exc:
            form.name.errors = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        else:
            flash(_("已添加单位：%(name)s", name=form.name.data), "success")
            return redirect(url_for("accounts.organizations"))
    return render_template("accounts/organization_new.html", form=form)


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def import_people():
    scope.require_officer(current_user)
    form = ImportForm()
    result = None
    file_errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = importer.import_workers(
                current_user, upload.filename, upload.read(), form.initial_password.data
            )
        except DomainError as exc:
            file_errors = [m for messages in exc.errors.values() for m in messages] or [exc.message]
        else:
            if result.created:
                flash(
                    _(
                        "导入成功：新增 %(n)d 位学员。请把初始密码告诉他们，首次登录须修改。",
                        n=result.created,
                    ),
                    "success",
                )
                return redirect(url_for("accounts.people"))
    status = 422 if (file_errors or (result and result.errors) or form.errors) else 200
    return render_template(
        "accounts/import.html", form=form, result=result, file_errors=file_errors
    ), status


@bp.route("/people/import/template.xlsx")
@login_required
def import_template():
    scope.require_officer(current_user)
    return Response(
        importer.template_xlsx(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": "attachment; filename*=UTF-8''"
            "%E5%AD%A6%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        },
    )


@bp.route("/organizations")
@login_required
def organizations():
    orgs = db.session.scalars(services.organizations_in_scope(current_user)).all()
    return render_template("accounts/organizations.html", organizations=orgs)


# --- public pages --------------------------------------------------------------------------


@bp.route("/mentors")
def mentors():
    page = paginate(services.mentors_with_honors(), per_page=24)
    return render_template("accounts/mentors.html", page=page)


@bp.route("/mentors/<int:user_id>")
def mentor_profile(user_id: int):
    mentor = services.get_public_mentor(user_id)
    return render_template("accounts/mentor.html", mentor=mentor)
