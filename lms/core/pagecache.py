"""Pages a person opens again and again, served from the shared cache after one round trip.

"My learning", a course page and the catalog are read far more often than what they show
changes. ``@personal_page`` keeps each signed-in session's copy of such a page and, on the
next visit, checks it with a single read of the cache that also fetches every generation:

* the copy is stamped with every generation (``lms.core.invalidation``) and with the
  person's *page version*, so a change to anything shared (a course, an organization,
  everyone's badges) or to anything of this person retires it;
* the page version is deleted after the commit of any change to the person, their roles,
  their notifications, enrollments or progress (``retire_after_commit``);
* the copy belongs to one session: its key carries the session's sign-in token and CSRF
  secret, so a signed-out or rotated session never sees it, and a copy is at most
  ``PERSONAL_PAGE_CACHE_SECONDS`` old (0 turns the cache off).

Only a plain 200 page is kept, and only when the request found no flashed message and
changed nothing in the session; everything else takes the view as before.
"""

from __future__ import annotations

import functools
import hashlib
import time

from flask import current_app, make_response, request, session
from sqlalchemy.orm import Session

from lms.core import invalidation
from lms.extensions import cache


def version_key(user_id: int) -> str:
    return f"pages:version:{user_id}"


def retire_after_commit(session: Session, user_ids) -> None:
    """These people's kept pages are retired when the session's transaction commits."""
    user_ids = {uid for uid in user_ids if uid is not None}
    if user_ids:
        invalidation.delete_after_commit(session, *(version_key(uid) for uid in user_ids))


def _copy_key() -> tuple[int, str] | None:
    """(person, key of this session's copy of this URL), or None when nothing may be kept."""
    if request.method != "GET" or "_flashes" in session:
        return None
    signed_in = session.get("_user_id")
    csrf_secret = session.get("csrf_token")
    if not signed_in or not csrf_secret:
        return None
    user_id, _sep, _token = str(signed_in).partition(":")
    if not user_id.isdigit():
        return None
    parts = "\0".join(
        (
            str(signed_in),
            str(csrf_secret),
            str(session.get("locale", "")),
            request.script_root,
            request.full_path,
        )
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()[:40]
    return int(user_id), f"pages:copy:{user_id}:{digest}"


def _stamp(generations: dict[str, str], version: str) -> str:
    return "|".join([*(generations[name] for name in sorted(generations)), version])


def personal_page(view):
    """Keep this GET view's page per session (see the module's description)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        ttl = current_app.config.get("PERSONAL_PAGE_CACHE_SECONDS", 0)
        found = _copy_key() if ttl else None
        if found is None:
            return view(*args, **kwargs)
        user_id, key = found
        generations, (version, copy) = invalidation.generations_with(version_key(user_id), key)
        now = time.time()
        if version is not None and copy is not None:
            stamp, kept_at, body = copy
            if stamp == _stamp(generations, version) and now - kept_at < ttl:
                return current_app.response_class(body, mimetype="text/html")
        if version is None:
            # Made before the page is read, so that a change committed while it renders
            # deletes this version and the copy is never served.
            version = invalidation.start_key(version_key(user_id))
        stamp = _stamp(generations, version)
        response = make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and not response.direct_passthrough
            and not session.modified
        ):
            cache.set(key, (stamp, now, response.get_data()), timeout=ttl)
        return response

    return wrapper
