"""HTML pages: the officer's list and pairing page, a pairing's page, the mentor's and the
apprentice's dashboards and the mentor's quick "log a session" form.

Split by who uses them: ``officers``, ``pairing`` (one pairing), ``logs``, ``dashboards``
(mentors and apprentices); ``common`` holds the blueprint and shared helpers.
"""

from lms.mentorship.views import dashboards, logs, officers, pairing  # noqa: F401
from lms.mentorship.views.common import bp

__all__ = ["bp"]
