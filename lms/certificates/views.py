"""Certificate pages: mine, detail, download, revoke, reissue, bulk issue, public verify."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.masking import mask_name
from lms.certificates import forms, pdf, services
from lms.certificates.models import CertificateKind
from lms.core import storage
from lms.core.pages import paginate
from lms.errors import Invalid
from lms.extensions import db

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.route("/certificates")
@login_required
def index():
    officer = scope.is_officer(current_user) or scope.is_admin(current_user)
    mine = request.args.get("all") != "1" or not officer
    q = request.args.get("q") or None
    page = paginate(services.certificates_query(current_user, mine=mine, q=None if mine else q))
    return render_template(
        "certificates/index.html",
        page=page,
        mine=mine,
        officer=officer,
        q=q,
        today=services.local_today(),
        labels=services.KIND_LABELS,
        states=services.STATE_LABELS,
    )


@bp.route("/certificates/<int:certificate_id>")
@login_required
def detail(certificate_id: int):
    cert = services.get_certificate(current_user, certificate_id)
    manage = scope.can_manage_user(current_user, cert.holder)
    reissue_form = forms.ReissueForm(title=cert.title, issued_on=cert.issued_on)
    return render_template(
        "certificates/detail.html",
        cert=cert,
        manage=manage,
        revoke_form=forms.RevokeForm(),
        reissue_form=reissue_form,
        today=services.local_today(),
        labels=services.KIND_LABELS,
        states=services.STATE_LABELS,
        verify_url=services.verify_url(cert),
    )


@bp.route("/certificates/<int:certificate_id>/pdf")
@login_required
def download(certificate_id: int):
    try:
        cert, key = services.pdf_for_download(current_user, certificate_id)
    except pdf.FontMissing as exc:
        db.session.rollback()
        return render_template("certificates/font_missing.html", detail=str(exc)), 503
    return send_file(
        storage.path(key),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{cert.serial}.pdf",
    )


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@login_required
def revoke(certificate_id: int):
    form = forms.RevokeForm()
    services.revoke(current_user, certificate_id, form.reason.data or "")
    db.session.commit()
    flash(_("证书已吊销，扫码核验会显示“已吊销”。"), "success")
    return redirect(url_for("certificates.detail", certificate_id=certificate_id))


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@login_required
def reissue(certificate_id: int):
    form = forms.ReissueForm()
    if not form.validate():
        raise Invalid(errors=form.errors)
    new = services.reissue(
        current_user,
        certificate_id,
        title=form.title.data,
        issued_on=form.issued_on.data,
        reason=form.reason.data or "",
    )
    db.session.commit()
    flash(_("已补发更正后的证书 %(serial)s，原证书作废。", serial=new.serial), "success")
    return redirect(url_for("certificates.detail", certificate_id=new.id))


@bp.route("/verify/<code>")
def verify(code: str):
    """Public: anyone who scans the QR code sees whether the certificate holds."""
    cert = services.verify(code)
    return render_template(
        "certificates/verify.html",
        cert=cert,
        state=cert.state(services.local_today()),
        holder=mask_name(cert.holder.name),
        labels=services.KIND_LABELS,
        states=services.STATE_LABELS,
    )


@bp.route("/certificates/batches")
@login_required
def batches():
    page = paginate(services.batches_query(current_user))
    return render_template("certificates/batches.html", page=page)


@bp.route("/certificates/batches/new", methods=["GET", "POST"])
@login_required
def new_batch():
    scope.require_officer(current_user)
    form = forms.BatchForm()
    if form.validate_on_submit():
        kind = CertificateKind(form.kind.data)
        try:
            batch = services.create_batch(
                current_user,
                holders=form.holders.data.splitlines(),
                kind=kind,
                title=form.title.data,
                subject_type={"class": "class", "course": "course"}.get(kind.value, kind.value),
                subject_id=form.subject_id.data,
                issued_on=form.issued_on.data,
                expires_on=form.expires_on.data,
            )
        except Invalid as exc:
            for field, messages in exc.errors.items():
                getattr(form, field).errors = list(messages)
        else:
            db.session.commit()
            return redirect(url_for("certificates.batch", batch_id=batch.id))
    return render_template("certificates/batch_new.html", form=form)


@bp.route("/certificates/batches/<int:batch_id>")
@login_required
def batch(batch_id: int):
    batch = services.get_batch(current_user, batch_id)
    return render_template(
        "certificates/batch.html", batch=batch, progress=services.batch_progress(batch)
    )


@bp.route("/certificates/batches/<int:batch_id>/progress")
@login_required
def batch_progress(batch_id: int):
    return jsonify(services.batch_progress(services.get_batch(current_user, batch_id)))


@bp.route("/certificates/batches/<int:batch_id>/zip")
@login_required
def batch_zip(batch_id: int):
    batch = services.batch_zip(current_user, batch_id)
    return send_file(
        storage.path(batch.zip_path),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"certificates-batch-{batch.id}.zip",
    )
