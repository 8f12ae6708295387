"""What accounts announces: changes to people that the audit log keeps, and exports.

Accounts never writes the audit log itself (the audit package reads accounts, so it
listens here instead). Sent with :func:`lms.signals.emit` after the change is flushed, in
the transaction that makes it, so the entry commits with the change. Payloads are ids and
plain values; add to them, do not change them.
"""

from lms.signals import lms_signals

#: action: str ("user.create", "user.update", "user.deactivate", "user.activate",
#: "user.password_reset", "honor.add", "user.import"),
#: actor_id: int | None, entity_type: str, entity_id: int | None,
#: organization_id: int | None, before: dict | None, after: dict | None, summary: str
account_changed = lms_signals.signal("account-changed")

#: actor_id: int, what: str, organization_id: int | None, rows: int — personal data of
#: people left the platform (a list exported to a file)
people_exported = lms_signals.signal("people-exported")
