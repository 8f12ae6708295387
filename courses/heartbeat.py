"""The player's heartbeat lane: the usual progress save answered ahead of Flask.

Every learner watching a video sends the position every few seconds
(``COURSE_PROGRESS_SAVE_SECONDS``). On PostgreSQL the save itself is one statement
(``services.save_position_by_claim``), but Flask's work around it — the request context,
session, CSRF check, rate limiter, flask-smorest's argument parsing and response,
after-request hooks — costs several times the statement. This WSGI middleware, put in
front of the app on PostgreSQL, answers the usual heartbeat itself:

- ``PUT /api/v1/lectures/<id>/progress`` with a JSON body that ``ProgressInSchema``
  accepts, carrying a position and no completion;
- from a caller who proves who they are as the API route requires: a personal API token
  (``Authorization: Bearer``), or the session cookie together with its CSRF token in
  ``X-CSRFToken`` — checked with the app's own session serializer and Flask-WTF's rule;
- whose claim and seat the statement itself then confirms.

Anything else goes on to the Flask app untouched, which answers it as it always has,
errors included: another method or path, a body the schema refuses, a completion (it has
signals to send), the first save of a lecture (its row is made by the ORM), a claim the
statement does not confirm, a database error. So the lane only ever accepts what the route
would accept, and answers it as the route would (same JSON, same headers); the tests run
the route's heartbeat tests through it.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import threading
import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from marshmallow import ValidationError
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_host

from courses import schemas
from lms.accounts.services import Claim, bearer_claim
from lms.core import API_HEADERS, SECURITY_HEADERS
from lms.db import AutocommitConnections, statement_run

PROGRESS_PATH = re.compile(r"/api/v1/lectures/([1-9][0-9]{0,9})/progress")
LARGEST_ID = 2**31 - 1  # as ``<int:...>`` in the app's routes
LARGEST_BODY = 1024  # a heartbeat's body is a few dozen bytes; anything larger goes on


class HeartbeatLane:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.accepts = schemas.ProgressInSchema()
        self.answers = schemas.ProgressSchema()
        self.sessions = VerifiedSessions(app)
        self.headers = [
            ("Content-Type", app.json.mimetype),
            *SECURITY_HEADERS,
            *API_HEADERS,
            ("Vary", "Cookie"),  # as Flask marks any response that looked at the session
        ]
        self._connections: AutocommitConnections | None = None
        self._connecting = threading.Lock()
        self._count = threading.local() if app.config.get("QUERY_COUNT_HEADER") else None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "PUT":
            match = PROGRESS_PATH.fullmatch(environ.get("PATH_INFO", ""))
            if match and int(match.group(1)) <= LARGEST_ID:
                answered = self._answer(int(match.group(1)), environ, start_response)
                if answered is not None:
                    return answered
        return self.wsgi_app(environ, start_response)

    def _answer(self, lecture_id: int, environ, start_response) -> list[bytes] | None:
        body = _json_body(environ)
        if body is None:
            return None
        try:
            claim = self._claim(environ)
            data = self.accepts.load(json.loads(body)) if claim is not None else None
        except (ValueError, ValidationError):  # not JSON, or not what the route accepts
            data = None
        saved = None
        if data is not None and not data["completed"]:
            saved = self._save(claim, lecture_id, data)
        if saved is None:
            environ["wsgi.input"] = io.BytesIO(body)  # the app reads the same body
            return None
        payload = self.answers.dump(
            {
                "lecture_id": saved.lecture_id,
                "position_seconds": saved.position_seconds,
                "completed": saved.completed,
                "saved": True,
            }
        )
        out = self._json(payload)
        headers = [*self.headers, ("Content-Length", str(len(out)))]
        if self._count is not None:
            headers.append(("X-Query-Count", str(self._count.statements)))
        start_response("200 OK", headers)
        return [out]

    def _json(self, payload: dict) -> bytes:
        """The body ``jsonify`` would make of ``payload`` (Flask's ``json.response``)."""
        provider = self.app.json
        if (provider.compact is None and self.app.debug) or provider.compact is False:
            text = provider.dumps(payload, indent=2)
        else:
            text = provider.dumps(payload, separators=(",", ":"))
        return f"{text}\n".encode()

    def _claim(self, environ) -> Claim | None:
        """Who the request says it is, once its signatures hold; None sends it on to Flask."""
        authorization = environ.get("HTTP_AUTHORIZATION")
        cookies = environ.get("HTTP_COOKIE")
        if authorization:
            # With a session cookie as well, the route would go by the session: leave it so.
            return None if cookies else bearer_claim(authorization)
        if not cookies:
            return None
        config = self.app.config
        csrf = config.get("WTF_CSRF_ENABLED", True)
        token = environ.get("HTTP_X_CSRFTOKEN", "")
        if csrf and (not token or not self._referrer_holds(environ)):
            return None
        session_id = self.sessions.verified(cookies, token if csrf else None)
        return Claim(session_id=session_id) if session_id else None

    def _referrer_holds(self, environ) -> bool:
        """Flask-WTF's rule for HTTPS: the request must come from a page of this site."""
        if environ.get("wsgi.url_scheme") != "https":
            return True
        if not self.app.config.get("WTF_CSRF_SSL_STRICT", True):
            return True
        referrer = environ.get("HTTP_REFERER")
        return bool(referrer) and same_origin(referrer, f"https://{get_host(environ)}/")

    def _save(self, claim: Claim, lecture_id: int, data: dict):
        from courses.services import save_position_by_claim

        if self._count is not None:
            self._count.statements = 0
        try:
            return save_position_by_claim(
                claim,
                lecture_id,
                data["position_seconds"],
                data["duration_seconds"],
                connections=self._autocommit_connections(),
            )
        except Exception:
            # The app takes the request from the start and answers it its own way.
            self.app.logger.warning("heartbeat lane: passing a save on", exc_info=True)
            return None

    def _autocommit_connections(self) -> AutocommitConnections:
        if self._connections is None:
            with self._connecting:  # made once, by the first heartbeat of any thread
                if self._connections is None:
                    self._connections = self._make_connections()
        return self._connections

    def _make_connections(self) -> AutocommitConnections:
        from lms.extensions import db

        with self.app.app_context():
            engine = db.engine
        if self._count is not None:
            statement_run.connect(self._counted, sender=engine, weak=False)
        return AutocommitConnections(engine)

    def _counted(self, _sender, **_kw) -> None:
        self._count.statements = getattr(self._count, "statements", 0) + 1


class VerifiedSessions:
    """Session cookies with their CSRF tokens, verified as Flask and Flask-WTF verify them.

    A watching learner sends the same cookie and token every few seconds, so each pair
    verified is remembered until the earlier of its two signatures expires; checking the
    signatures again would give the same answer. Only verified pairs are kept, at most
    ``LIMIT`` of them. What a session claims is still checked by the saving statement
    (its sign-in token, an active person), so a password change takes effect at once.
    """

    LIMIT = 10_000

    def __init__(self, app: Flask):
        self.app = app
        self._seen: dict[tuple[str, str | None], tuple[str, float]] = {}

    def verified(self, cookies: str, csrf_token: str | None) -> str | None:
        """The session's ``_user_id`` if the cookie (and token, unless None) hold."""
        key = (cookies, csrf_token)
        seen = self._seen.get(key)
        if seen is not None and seen[1] > time.time():
            return seen[0]
        found = self._verify(cookies, csrf_token)
        if found is None:
            return None
        if len(self._seen) >= self.LIMIT:
            self._seen.clear()
        self._seen[key] = found
        return found[0]

    def _verify(self, cookies: str, csrf_token: str | None) -> tuple[str, float] | None:
        app, interface = self.app, self.app.session_interface
        if not isinstance(interface, SecureCookieSessionInterface):
            return None
        signed = parse_cookie(cookies).get(interface.get_cookie_name(app))
        serializer = interface.get_signing_serializer(app)
        if not signed or serializer is None:
            return None
        lifetime = app.permanent_session_lifetime.total_seconds()
        try:
            session, signed_at = serializer.loads(
                signed, max_age=int(lifetime), return_timestamp=True
            )
        except BadData:
            return None
        session_id = session.get("_user_id") if isinstance(session, dict) else None
        if not isinstance(session_id, str) or "_remember" in session:
            return None  # no one signed in, or Flask-Login has a cookie to set
        if session.get("_permanent") and app.config["SESSION_REFRESH_EACH_REQUEST"]:
            return None  # Flask would send the cookie again
        expires = signed_at.timestamp() + lifetime
        if csrf_token is not None:
            checked = self._csrf(session, csrf_token)
            if checked is None:
                return None
            expires = min(expires, checked)
        return session_id, expires

    def _csrf(self, session: dict, token: str) -> float | None:
        """When the token stops being valid, if it is this session's (Flask-WTF's check)."""
        config = self.app.config
        field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        raw = session.get(field)
        if not isinstance(raw, str):
            return None
        try:
            value, signed_at = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(
                token, max_age=limit, return_timestamp=True
            )
        except BadData:
            return None
        if not isinstance(value, str) or not hmac.compare_digest(raw, value):
            return None
        return signed_at.timestamp() + limit if limit else float("inf")


def _json_body(environ) -> bytes | None:
    """The request's JSON body if it is short and declared; None leaves the body unread."""
    if environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= LARGEST_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    if len(body) != length:
        environ["wsgi.input"] = io.BytesIO(body)
        return None
    return body
