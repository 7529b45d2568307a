"""Who may do what, by role (DOMAIN.md user table; GB/T 22239 三员分立).

The role sets are the single source for every app's checks. Hiding a link is
a convenience; views use `role_required` and selectors filter by role and
management authority (Art 11) themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop

from accountability.accounts.models import User
from accountability.common.errors import PermissionDenied

Role = User.Role

FORBIDDEN_MESSAGE = gettext_noop("您的角色“{role}”无权访问此页面。")
NOT_LOGGED_IN_ROLE = gettext_noop("未登录")

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})
AUDIT_ADMIN = frozenset({Role.AUDIT_ADMIN})
#: 三员分立: the three administrators, none of whom reads case contents (the one set,
#: defined in accounts.models; import it from here).
ADMIN_ROLES = User.ADMIN_ROLES

#: Manage business accounts (ask for new accounts, roles, resets; deactivate): the system
#: administrator only. Administrator accounts are managed from the command line.
ACCOUNT_MANAGERS = SYSTEM_ADMIN
#: Approve or refuse the system administrator's requests (two-person rule): the security
#: administrator only.
ACCOUNT_REQUEST_APPROVERS = SECURITY_ADMIN
#: See the account list: the system administrator, and the security administrator to unlock.
ACCOUNT_VIEWERS = SYSTEM_ADMIN | SECURITY_ADMIN
#: Security policy, unlocking accounts, resetting a second factor: the security administrator.
SECURITY_MANAGERS = SECURITY_ADMIN
#: Read the audit log: the audit administrator only.
AUDIT_READERS = AUDIT_ADMIN

#: Roles that work on cases (read case contents within their management authority).
CASE_READERS = frozenset(
    {
        Role.CASE_OFFICER,
        Role.OFFICE_HEAD,
        Role.LEADER,
        Role.TEAM_MEMBER,
        Role.COMMITTEE_SECRETARY,
        Role.ARCHIVIST,
        Role.CITY_OFFICER,
        Role.TOWNSHIP_OFFICER,
    }
)
#: Register clues, run the procedure (Art 12, 13): the supervision office.
CASE_WRITERS = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})
#: Approve intake and reports (按程序报批): head of the office and the leader in charge.
CASE_APPROVERS = frozenset({Role.OFFICE_HEAD, Role.LEADER})
#: May see who reported a clue (the informant's identity is confidential).
INFORMANT_VIEWERS = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})
#: Roles that use the business side at all (the subject sees only their own matters).
BUSINESS_ROLES = CASE_READERS | {Role.SUBJECT}

#: See the registry of cadres (within their management authority).
REGISTRY_VIEWERS = frozenset(
    {
        Role.CASE_OFFICER,
        Role.OFFICE_HEAD,
        Role.LEADER,
        Role.ARCHIVIST,
        Role.CITY_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.SYSTEM_ADMIN,
    }
)
#: Import and export the roster: the supervision office and the system administrator.
REGISTRY_MANAGERS = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD, Role.SYSTEM_ADMIN})


def has_role(user, *roles) -> bool:
    """True when the user is logged in, active and holds one of the roles (or role sets)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed: set[str] = set()
    for role in roles:
        if isinstance(role, str):
            allowed.add(role)
        else:
            allowed.update(role)
    return user.role in allowed


def role_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return gettext(NOT_LOGGED_IN_ROLE)
    return str(user.get_role_display())


def forbidden_message(user) -> str:
    return gettext(FORBIDDEN_MESSAGE).format(role=role_label(user))


def forbidden_response(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """A 403 page with a Chinese message; the refusal is audited (access_denied). Both by the
    one mapping of refusals (common.middleware.domain_error_response)."""
    from accountability.common.middleware import domain_error_response

    error = PermissionDenied(message or forbidden_message(request.user))
    return domain_error_response(request, error)


def role_required(*roles) -> Callable:
    """View decorator: anonymous users go to the login page; other roles get a 403.

    Accepts role values and/or role sets: `@role_required(AUDIT_READERS)`,
    `@role_required(Role.CASE_OFFICER, Role.OFFICE_HEAD)`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(user, *roles):
                return forbidden_response(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
