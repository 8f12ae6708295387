"""Courses and online lectures by model workers: catalog, lectures, enrollment, progress."""

from flask import Flask

# Upload limits; each can be set from the environment (LMS_COURSE_VIDEO_MAX_BYTES=...).
DEFAULTS = {
    "COURSE_VIDEO_MAX_BYTES": 500 * 1024 * 1024,
    "COURSE_VIDEO_TYPES": {"mp4": "video/mp4", "webm": "video/webm"},
    "COURSE_FILE_MAX_BYTES": 20 * 1024 * 1024,
    "COURSE_FILE_TYPES": {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "txt": "text/plain",
    },
    "COURSE_COVER_MAX_BYTES": 2 * 1024 * 1024,
    "COURSE_COVER_TYPES": {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
    },
    # The catalog as rendered for one audience and one set of filters is kept this long
    # (0: not cached). Editing, publishing or archiving any course renews it at once; only
    # the "n learning" counts and the live-lecture list may lag by up to this long.
    "COURSE_CATALOG_CACHE_SECONDS": 60,
    # How often the player saves the video position while it plays (seconds); it also
    # saves on play, pause, seeking and leaving the page, and never when nothing moved.
    "COURSE_PROGRESS_SAVE_SECONDS": 30,
}


def init_app(app: Flask) -> None:
    # Imported here, not at the top: ``courses`` is imported before the app exists
    # (models for Alembic, tasks for Celery), and these modules need the extensions set up.
    from flask_babel import lazy_gettext as _l

    from courses import api, demo, home_cards, services, views
    from lms.accounts.models import Role
    from lms.core import nav
    from lms.extensions import api as rest_api
    from lms.signals import class_completed

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    home_cards.register()
    from courses import contributions

    contributions.register()  # growth record and overview figures
    class_completed.connect(services.on_class_completed)
    demo.register()
    nav.register("courses.catalog", _l("课程"), order=10)
    nav.register("courses.my_learning", _l("我的学习"), roles=[Role.worker], order=11)
    nav.register(
        "courses.manage", _l("课程管理"), roles=[Role.mentor, Role.officer, Role.admin], order=40
    )
