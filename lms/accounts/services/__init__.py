"""The rules for people and organizations. UI, API, CLI and tasks all come through here.

Split by sub-domain; ``from lms.accounts import services`` and ``services.x`` work as before:

* :mod:`.signin` — signing in, passwords, the first-sign-in change, language;
* :mod:`.sessions` — signed-in devices, the request loaders, signing out;
* :mod:`.tokens` — personal API tokens;
* :mod:`.organizations` — the organization tree;
* :mod:`.people` — people, roles, honours, account management by officers and admins.
"""

from lms.accounts.services.organizations import (
    create_organization,
    get_organization,
    organizations_in_scope,
)
from lms.accounts.services.people import (
    UserFilter,
    add_honor,
    confer_honor,
    create_user,
    export_people,
    get_public_mentor,
    get_user,
    mentors_with_honors,
    reset_password,
    set_roles,
    update_user,
    users_query,
)
from lms.accounts.services.sessions import (
    end_all_sessions,
    end_session,
    load_session_user,
    sign_out_everywhere,
    signed_in_devices,
    start_session,
    user_for_request,
)
from lms.accounts.services.signin import (
    LoginFailed,
    PasswordChangeRequired,
    authenticate,
    change_password,
    find_by_login,
    require_password_changed,
    set_locale,
    validate_password_strength,
)
from lms.accounts.services.tokens import (
    TOKEN_PREFIX,
    api_tokens,
    bearer_secret,
    create_api_token,
    revoke_all_api_tokens,
    revoke_api_token,
    token_digest,
    user_for_api_token,
)

__all__ = [
    "TOKEN_PREFIX",
    "LoginFailed",
    "PasswordChangeRequired",
    "UserFilter",
    "add_honor",
    "confer_honor",
    "api_tokens",
    "authenticate",
    "bearer_secret",
    "change_password",
    "create_api_token",
    "create_organization",
    "create_user",
    "end_all_sessions",
    "end_session",
    "export_people",
    "find_by_login",
    "get_organization",
    "get_public_mentor",
    "get_user",
    "load_session_user",
    "mentors_with_honors",
    "organizations_in_scope",
    "require_password_changed",
    "reset_password",
    "revoke_all_api_tokens",
    "revoke_api_token",
    "set_locale",
    "set_roles",
    "sign_out_everywhere",
    "signed_in_devices",
    "start_session",
    "token_digest",
    "update_user",
    "user_for_api_token",
    "user_for_request",
    "users_query",
    "validate_password_strength",
]
