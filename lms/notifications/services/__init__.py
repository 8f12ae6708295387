"""Notifications and reminders: the API every package may call.

- ``notify(user_ids, category, title, body, link)`` — tell people now (in the app, and by
  mail according to their preferences); ``gathered()`` writes many notifies together.
- ``schedule_reminders(...)`` — write reminder rows into the outbox; idempotent: one row
  per person, subject and kind, re-arming an unsent one with the new time.
- ``move_reminders(...)`` — a subject moved: shift its unsent reminders.
- ``withdraw_reminders(...)`` — a subject was cancelled or a person left: withdraw unsent ones.
- ``dispatch_due()`` — the beat task's work: send what is due, drop what expired.
- ``text_locale()`` — texts written outside a request are in the installation's language
  (a context manager, and a decorator as ``@text_locale()``).

Split by sub-domain: ``preferences`` (channels, locks, language), ``telling`` (notify and
the mail outbox), ``reminders`` (the outbox of reminders and their texts), ``dispatch``
(sending what is due) and ``centre`` (the person's list, the digest, the admins' outbox).
"""

from lms.notifications.services.centre import (
    get_mail_file,
    get_notification,
    mail_counts,
    mail_query,
    mark_all_read,
    mark_read,
    notifications_query,
    reminders_for,
    retry_mail,
    send_digests,
    unread_count,
)
from lms.notifications.services.dispatch import dispatch_batch, dispatch_due
from lms.notifications.services.preferences import (
    CATEGORY_LABELS,
    DEFAULT_DIGEST_HOUR,
    Channels,
    channels_for,
    lock_category,
    locked_categories,
    preferences_for,
    set_preference,
    text_locale,
)
from lms.notifications.services.reminders import (
    TEXTS,
    ReminderSpec,
    move_reminders,
    reminder_text,
    schedule_reminders,
    session_specs,
    withdraw_reminders,
)
from lms.notifications.services.telling import (
    MAIL_RUN,
    gathered,
    notify,
    officers_for,
    officers_over,
    queue_email,
    requeue_stale_mail,
)

__all__ = [
    "CATEGORY_LABELS",
    "DEFAULT_DIGEST_HOUR",
    "MAIL_RUN",
    "TEXTS",
    "Channels",
    "ReminderSpec",
    "channels_for",
    "dispatch_batch",
    "dispatch_due",
    "gathered",
    "get_mail_file",
    "get_notification",
    "lock_category",
    "locked_categories",
    "mail_counts",
    "mail_query",
    "mark_all_read",
    "mark_read",
    "move_reminders",
    "notifications_query",
    "notify",
    "officers_for",
    "officers_over",
    "preferences_for",
    "queue_email",
    "reminder_text",
    "reminders_for",
    "requeue_stale_mail",
    "retry_mail",
    "schedule_reminders",
    "send_digests",
    "session_specs",
    "set_preference",
    "text_locale",
    "unread_count",
    "withdraw_reminders",
]
