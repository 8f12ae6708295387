"""Security headers sent on every response: named once here, set in one ``after_request``.

The Content-Security-Policy allows scripts, styles and fonts from the app itself only, so a
value that slips into a page unescaped cannot run: no inline script, no ``javascript:``
URL, no event-handler attribute, no script from elsewhere. Images may also be ``data:``
URLs (icons in CSS); a lecture's video may also be played from the https address an author
gave for it. Style attributes are allowed (``style-src-attr``) for the width of
progress bars; ``<style>`` elements and outside stylesheets are not.

A view may send its own value of any of these headers; it is then left as it is.
"""

from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self' https:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
    )
)

#: Headers on every response (HTML, JSON, files).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
)
#: Headers added on every response under /api/: personal data is never kept by caches.
API_HEADERS = (("Cache-Control", "no-store"),)


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        headers = response.headers
        extra = API_HEADERS if request.path.startswith("/api/") else ()
        for name, value in SECURITY_HEADERS + extra:
            headers.setdefault(name, value)
        return response
