"""The public pages, for visitors without an account, phone first: the columns' home, a
column, a story with its link, QR code and growth path, a story's photos and videos, and
lecture events.

Each page's body is kept in the shared cache (``services.cached_body``): a repeated view
reads the cache and adds one to the story's day counter — no query. The page around the
body is rendered per request (it is the same for every visitor without an account).
"""

from __future__ import annotations

import io

import segno
from flask import Response, abort, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from lms.core import storage
from lms.core.pages import paginate
from lms.publicity import services
from lms.publicity.models import MediaKind, StoryStatus
from lms.publicity.views import public_bp
from lms.publicity.views.editing import story_html


def _parts(*extra) -> list:
    return [request.endpoint, request.host, str(get_locale()), *extra]


@public_bp.route("/")
def home():
    body = services.cached_body(
        _parts(),
        lambda: render_template("publicity/public/_home.html", columns=services.home()),
    )
    return render_template("publicity/public/page.html", body=Markup(body))


@public_bp.route("/columns/<int:column_id>")
def column(column_id: int):
    page_no = request.args.get("page", "1")

    def render():
        col = services.get_column(column_id)
        page = paginate(services.column_stories(col), per_page=12)
        return render_template("publicity/public/_column.html", column=col, page=page)

    body = services.cached_body(_parts(column_id, page_no[:6]), render)
    return render_template("publicity/public/page.html", body=Markup(body))


@public_bp.route("/<int:story_id>")
def story(story_id: int):
    def render():
        story = services.published_story(story_id)
        return render_template(
            "publicity/public/_story.html",
            story=story,
            body=story_html(story),
            growth=services.growth_path(story),
            link=url_for("stories.story", story_id=story.id, _external=True),
        )

    body = services.cached_body(_parts(story_id), render)
    services.count_view(story_id)
    return render_template("publicity/public/page.html", body=Markup(body))


@public_bp.route("/<int:story_id>/qr.svg")
def qr(story_id: int):
    """The QR code of the story's address: made from the address alone, no query."""
    link = url_for("stories.story", story_id=story_id, _external=True)
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@public_bp.route("/media/<int:media_id>")
def media(media_id: int):
    """A story's photo or video: anyone's once the story is published; before that only
    its editors, reviewers and the person concerned, and never kept by a shared cache."""
    item = services.get_media(current_user, media_id)
    if not storage.exists(item.storage_key):
        abort(404)
    response = send_file(
        storage.path(item.storage_key),
        mimetype=item.content_type,
        conditional=True,
        max_age=3600,
        download_name=item.filename if item.kind == MediaKind.video else None,
    )
    if item.story.status != StoryStatus.published:
        response.cache_control.public = False
        response.cache_control.no_store = True
        response.cache_control.max_age = None
    else:
        response.cache_control.public = True
    return response


@public_bp.route("/events")
def events():
    def render():
        upcoming, past = services.lecture_events()
        return render_template("publicity/public/_events.html", upcoming=upcoming, past=past)

    body = services.cached_body(_parts(), render)
    return render_template("publicity/public/page.html", body=Markup(body))
