"""Stories for the people who work on them: the editors' list, writing, photos and videos,
the person's consent and the reviewers' decisions."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core import richtext
from lms.core.pages import int_arg, paginate
from lms.errors import Conflict, DomainError, Invalid
from lms.publicity import services
from lms.publicity.forms import ConsentForm, MediaForm, NoteForm, RevokeForm, StoryForm
from lms.publicity.views import bp

#: Images a story may show: its own photos, served by the public pages.
OWN_MEDIA = re.compile(r"/stories/media/\d+")


def story_html(story):
    return richtext.render(story.body, OWN_MEDIA)


def _put_errors(form, exc: DomainError) -> None:
    names = {"person_id": "employee_no"}
    for name, messages in exc.errors.items():
        target = getattr(form, names.get(name, name), None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + [str(m) for m in messages]
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def _refused(exc: DomainError) -> None:
    _put_errors(None, exc)


@bp.route("/")
@login_required
def index():
    if not services.is_editor(current_user):
        return redirect(url_for("publicity.mine"))
    filters = services.StoryFilter(
        status=request.args.get("status") or None,
        column_id=int_arg("column"),
        q=(request.args.get("q") or "").strip() or None,
    )
    page = paginate(services.stories_query(current_user, filters))
    return render_template(
        "publicity/index.html",
        page=page,
        filters=filters,
        columns=services.columns(),
        reviewer=services.is_reviewer(current_user),
    )


@bp.route("/mine")
@login_required
def mine():
    return render_template("publicity/mine.html", stories=services.my_stories(current_user))


def _column_choices(form: StoryForm) -> list:
    cols = services.columns()
    form.column_id.choices = [(c.id, c.name) for c in cols]
    return cols


def _save(form: StoryForm, story=None):
    person = services.people_by_employee_no(
        current_user, [form.employee_no.data.strip()], "person_id"
    )[0]
    column = services.get_column(form.column_id.data)
    fields = {
        "title": form.title.data,
        "body": form.body.data,
        "summary": form.summary.data,
        "team_name": form.team_name.data,
    }
    if story is None:
        return services.create_story(current_user, column=column, person=person, **fields)
    if person.id != story.person_id:
        raise Invalid(errors={"person_id": [_("主人公不能更换。请另写一篇事迹。")]})
    return services.update_story(current_user, story, column=column, **fields)


@bp.route("/stories/new", methods=["GET", "POST"])
@login_required
def new_story():
    services.require_editor(current_user)
    form = StoryForm()
    if not _column_choices(form):
        flash(_("还没有专栏。请总工会的审核人先在“专栏”中建立专栏。"), "info")
        return redirect(url_for("publicity.index"))
    if form.validate_on_submit():
        try:
            story = _save(form)
            flash(_("草稿已保存。可以添加照片或视频，然后请主人公确认、提交审核。"), "success")
            return redirect(url_for("publicity.story", story_id=story.id))
        except (Invalid, Conflict) as exc:
            _put_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("publicity/story_form.html", form=form, story=None), status


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
def edit_story(story_id: int):
    story = services.get_story(current_user, story_id)
    services.require_edits(current_user, story)
    form = StoryForm(obj=story)
    _column_choices(form)
    if request.method == "GET":
        form.employee_no.data = story.person.employee_no
    if form.validate_on_submit():
        try:
            _save(form, story)
            flash(_("已保存。"), "success")
            return redirect(url_for("publicity.story", story_id=story.id))
        except (Invalid, Conflict) as exc:
            _put_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("publicity/story_form.html", form=form, story=story), status


@bp.route("/stories/<int:story_id>")
@login_required
def story(story_id: int):
    story = services.get_story(current_user, story_id)
    return render_template(
        "publicity/story.html",
        story=story,
        body=story_html(story),
        history=services.history(story),
        can_edit=services.can_edit(current_user, story),
        can_review=services.can_review(current_user, story),
        edits=services.edits(current_user, story.organization),
        is_person=story.person_id == current_user.id,
        media_form=MediaForm(),
        note_form=NoteForm(),
        consent_form=ConsentForm(show_growth=True),
        revoke_form=RevokeForm(),
    )


def _act(story_id: int, action, message: str, **kwargs):
    story = services.get_story(current_user, story_id)
    try:
        action(current_user, story, **kwargs)
        flash(message, "success")
    except (Invalid, Conflict) as exc:
        _refused(exc)
    return redirect(url_for("publicity.story", story_id=story_id))


def _note() -> str | None:
    form = NoteForm()
    return form.note.data if form.validate_on_submit() else None


@bp.route("/stories/<int:story_id>/submit", methods=["POST"])
@login_required
def submit(story_id: int):
    return _act(story_id, services.submit, _("已提交审核。"))


@bp.route("/stories/<int:story_id>/revise", methods=["POST"])
@login_required
def revise(story_id: int):
    return _act(story_id, services.revise, _("已转为草稿，可以修改后再提交。"))


@bp.route("/stories/<int:story_id>/consent", methods=["POST"])
@login_required
def consent(story_id: int):
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_("页面已过期，请刷新后再试。"), "error")
        return redirect(url_for("publicity.story", story_id=story_id))
    return _act(
        story_id,
        services.give_consent,
        _("谢谢！您已同意公开这篇事迹。审核通过后即会发布。"),
        show_growth=form.show_growth.data,
    )


@bp.route("/stories/<int:story_id>/consent/revoke", methods=["POST"])
@login_required
def revoke_consent(story_id: int):
    form = RevokeForm()
    note = form.note.data if form.validate_on_submit() else None
    return _act(story_id, services.revoke_consent, _("已撤回同意。这篇事迹不再公开。"), note=note)


@bp.route("/stories/<int:story_id>/publish", methods=["POST"])
@login_required
def publish(story_id: int):
    return _act(story_id, services.publish, _("已发布。访客现在可以阅读。"), note=_note())


@bp.route("/stories/<int:story_id>/return", methods=["POST"])
@login_required
def send_back(story_id: int):
    return _act(story_id, services.send_back, _("已退回编辑修改。"), note=_note())


@bp.route("/stories/<int:story_id>/withdraw", methods=["POST"])
@login_required
def withdraw(story_id: int):
    return _act(story_id, services.withdraw, _("已撤下。"), note=_note())


@bp.route("/stories/<int:story_id>/media", methods=["POST"])
@login_required
def add_media(story_id: int):
    story = services.get_story(current_user, story_id)
    services.require_edits(current_user, story)
    form = MediaForm()
    upload = form.file.data if form.validate_on_submit() else None
    if not upload:
        flash(_("请选择要上传的照片或视频。"), "error")
        return redirect(url_for("publicity.story", story_id=story_id))
    try:
        media = services.add_media(
            current_user,
            story,
            stream=upload.stream,
            filename=upload.filename,
            content_type=upload.mimetype,
            caption=form.caption.data,
        )
        flash(
            _(
                "已上传。在正文中插入图片：![说明](%(url)s)",
                url=url_for("stories.media", media_id=media.id),
            ),
            "success",
        )
    except (Invalid, Conflict) as exc:
        _refused(exc)
    return redirect(url_for("publicity.story", story_id=story_id))


@bp.route("/media/<int:media_id>/delete", methods=["POST"])
@login_required
def delete_media(media_id: int):
    media = services.get_media(current_user, media_id)
    story_id = media.story_id
    try:
        services.remove_media(current_user, media)
        flash(_("已删除。"), "success")
    except (Invalid, Conflict) as exc:
        _refused(exc)
    return redirect(url_for("publicity.story", story_id=story_id))
