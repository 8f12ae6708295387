"""Officers' pages: banks, their questions and imports, exams and their results."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.assessment import services
from lms.assessment.forms import BankForm, ExamForm, ImportForm, QuestionForm, blueprint_lines
from lms.assessment.services.importer import LETTERS
from lms.assessment.views import bp
from lms.assessment.views.common import REFUSALS, aware, form_errors
from lms.core.pages import paginate
from lms.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organizations():
    return list(
        db.session.scalars(
            scope.scoped_org_ids(current_user)
            .with_only_columns(Organization)
            .order_by(Organization.path)
        )
    )


@bp.route("/banks", methods=["GET", "POST"])
@login_required
def banks():
    scope.require_officer(current_user)
    form = BankForm()
    organizations = _organizations()
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization_id.data)
        try:
            bank = services.create_bank(
                current_user, organization, form.name.data, form.subject.data or ""
            )
            flash(_("已创建题库。下一步：导入或添加题目。"), "success")
            return redirect(url_for("assessment.bank", bank_id=bank.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    page = paginate(services.banks_query(current_user))
    exams = db.session.scalars(services.exams_query(current_user).limit(20)).all()
    status = 422 if form.errors else 200
    return render_template("assessment/banks.html", page=page, exams=exams, form=form), status


def _bank_page(bank, question_form=None, exam_form=None, import_form=None, status=200):
    page = paginate(services.questions_query(bank), per_page=50)
    return render_template(
        "assessment/bank.html",
        bank=bank,
        page=page,
        pools=services.pool_sizes(bank),
        question_form=question_form or QuestionForm(formdata=None),
        exam_form=exam_form or ExamForm(formdata=None),
        import_form=import_form or ImportForm(formdata=None),
        letters=LETTERS,
    ), status


@bp.route("/banks/<int:bank_id>")
@login_required
def bank(bank_id: int):
    return _bank_page(services.get_bank(current_user, bank_id))


def _answer(kind: str, text: str) -> list:
    text = (text or "").strip()
    if kind == "fill":
        return [a for a in re.split(r"[|｜]", text) if a.strip()]
    if kind == "true_false":
        return [0] if text in ("对", "正确", "A", "a", "T", "true") else [1] if text else []
    return [LETTERS.index(ch) for ch in re.sub(r"[\s,，、]", "", text).upper() if ch in LETTERS]


@bp.route("/banks/<int:bank_id>/questions", methods=["POST"])
@login_required
def add_question(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.add_question(
                current_user,
                bank,
                {
                    "kind": form.kind.data,
                    "topic": form.topic.data,
                    "difficulty": form.difficulty.data,
                    "text": form.text.data,
                    "options": (form.options.data or "").splitlines(),
                    "answer": _answer(form.kind.data, form.answer.data),
                    "points": form.points.data or 1,
                },
            )
            flash(_("已添加题目。"), "success")
            return redirect(url_for("assessment.bank", bank_id=bank.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    return _bank_page(bank, question_form=form, status=422)


@bp.route("/banks/<int:bank_id>/import", methods=["POST"])
@login_required
def import_questions(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = services.import_questions(
                current_user, bank, upload.filename or "", upload.read()
            )
        except REFUSALS as exc:
            form_errors(form, exc)
        else:
            if not result.errors:
                flash(_("已导入 %(n)d 道题目。", n=result.created), "success")
                return redirect(url_for("assessment.bank", bank_id=bank.id))
            flash(_("文件有错误，没有导入任何题目。请按提示改正后重新上传。"), "error")
            for message in result.messages():
                flash(message, "error")
    return _bank_page(bank, import_form=form, status=422)


@bp.route("/import-template.xlsx")
@login_required
def import_template():
    scope.require_officer(current_user)
    return Response(
        services.template_xlsx(),
        mimetype=XLSX,
        headers={"Content-Disposition": "attachment; filename=question-template.xlsx"},
    )


@bp.route("/questions/<int:question_id>/retire", methods=["POST"])
@login_required
def retire_question(question_id: int):
    question = services.retire_question(current_user, question_id)
    flash(_("题目已停用，以后组卷不再抽到它。"), "success")
    return redirect(url_for("assessment.bank", bank_id=question.bank_id))


@bp.route("/banks/<int:bank_id>/exams", methods=["POST"])
@login_required
def new_exam(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    form = ExamForm()
    if form.validate_on_submit():
        try:
            exam = services.create_exam(
                current_user,
                bank,
                title=form.title.data,
                blueprint=blueprint_lines(form.blueprint.data),
                duration_minutes=form.duration_minutes.data,
                opens_at=aware(form.opens_at.data),
                closes_at=aware(form.closes_at.data),
                partial_credit=form.partial_credit.data or 0,
                pass_mark=form.pass_mark.data,
            )
            flash(_("已发布考试：本单位及下属单位的职工可在“在线考试”中参加。"), "success")
            return redirect(url_for("assessment.exam", exam_id=exam.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    return _bank_page(bank, exam_form=form, status=422)


@bp.route("/exams/<int:exam_id>")
@login_required
def exam(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    sittings = services.results(current_user, exam)
    return render_template("assessment/exam.html", exam=exam, sittings=sittings)
