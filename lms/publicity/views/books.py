"""Collections of stories (报告文学集): choosing the stories, the build's progress, the files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core import storage
from lms.core.pages import paginate
from lms.errors import Invalid
from lms.publicity import services
from lms.publicity.forms import CollectionForm
from lms.publicity.views import bp
from lms.publicity.views.editing import _put_errors


@bp.route("/collections", methods=["GET", "POST"])
@login_required
def collections():
    page = paginate(services.collections_query(current_user))
    stories = services.publishable_stories(current_user)
    form = CollectionForm()
    form.story_ids.choices = [(s.id, f"{s.title}（{s.person.name}）") for s in stories]
    if form.validate_on_submit():
        try:
            collection = services.create_collection(
                current_user,
                title=form.title.data,
                subtitle=form.subtitle.data,
                story_ids=form.story_ids.data or [],
            )
            flash(_("正在生成 PDF 和 EPUB，请稍候。"), "success")
            return redirect(url_for("publicity.collection", collection_id=collection.id))
        except Invalid as exc:
            _put_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("publicity/collections.html", page=page, form=form), status


@bp.route("/collections/<int:collection_id>")
@login_required
def collection(collection_id: int):
    return render_template(
        "publicity/collection.html",
        collection=services.get_collection(current_user, collection_id),
    )


@bp.route("/collections/<int:collection_id>/<any(pdf, epub):kind>")
@login_required
def collection_file(collection_id: int, kind: str):
    item = services.get_collection(current_user, collection_id)
    key = item.pdf_key if kind == "pdf" else item.epub_key
    if not key or not storage.exists(key):
        abort(404)
    mimetype = "application/pdf" if kind == "pdf" else "application/epub+zip"
    return send_file(
        storage.path(key),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{item.title}.{kind}",
        conditional=True,
    )
