"""Context shared by every page: the navigation, the user's role and the organ's name.

It composes every app's entries (the roles of accounts, cases, public and reports), so it
sits above all of them, with the URLs (config/urls.py), not in common (docs/architecture.md,
"Layers").

The navigation is one table (``NAV``). An entry lists the URL names it may
point to, first match wins, so that pages which do not exist yet simply do not
show; and the roles that see it. The three administrator roles (三员分立) see
only administration pages; anonymous visitors see the rulebook pages.
Hiding an entry is a convenience, not a control: every view checks access
itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import Role
from accountability.accounts.permissions import ADMIN_ROLES
from accountability.cases.workflow import CLUE_REGISTER_ROLES
from accountability.public import navigation as public_navigation
from accountability.reports import navigation as reports_navigation

ANONYMOUS = "anonymous"

SYSTEM_ADMIN = str(Role.SYSTEM_ADMIN)
SECURITY_ADMIN = str(Role.SECURITY_ADMIN)
AUDIT_ADMIN = str(Role.AUDIT_ADMIN)

# Roles that work on cases (everyone except the subject and the administrators).
CASE_WORKERS = frozenset(
    {
        "case_officer",
        "office_head",
        "leader",
        "team_member",
        "committee_secretary",
        "archivist",
        "city_officer",
        "township_officer",
    }
)
BUSINESS_ROLES = CASE_WORKERS | {"subject"}
# Who may register a clue is the workflow's rule (the view refuses everyone else).
CLUE_INTAKE = frozenset(str(role) for role in CLUE_REGISTER_ROLES)
ROSTER = frozenset(
    {"case_officer", "office_head", "leader", "archivist", "city_officer", "township_officer"}
)

DEFAULT_ORGANISATION_NAME = "中共镇雄县纪律检查委员会 镇雄县监察委员会"
DEFAULT_ORGANISATION_SHORT = "镇雄县纪委监委"


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: Any
    url_names: tuple[str, ...]
    roles: frozenset[str]
    section: Any
    icon: str = ""


SECTION_WORK = _("业务办理")
SECTION_RULES = _("规则与测算")
SECTION_ADMIN = _("系统管理")

NAV: tuple[NavEntry, ...] = (
    NavEntry(
        "workbench",
        _("工作台"),
        ("cases:queue", "cases:workbench", "cases:dashboard", "cases:home"),
        BUSINESS_ROLES,
        SECTION_WORK,
        "home",
    ),
    NavEntry(
        "cases",
        _("案件"),
        ("cases:list", "cases:case_list", "cases:index"),
        CASE_WORKERS,
        SECTION_WORK,
        "folder",
    ),
    NavEntry(
        "clue",
        _("线索登记"),
        ("cases:clue_create", "cases:clue_new", "cases:create", "cases:new"),
        CLUE_INTAKE,
        SECTION_WORK,
        "plus",
    ),
    NavEntry(
        "petitions",
        public_navigation.LABEL,
        ("public_staff:inbox",),
        public_navigation.ROLES,
        SECTION_WORK,
        "file",
    ),
    NavEntry(
        "people",
        _("干部名册"),
        ("people:person_list", "people:list", "people:roster", "people:index"),
        ROSTER,
        SECTION_WORK,
        "users",
    ),
    # Integrity vetting (党风廉政意见回复): the roles of vetting.permissions.VETTING_ROLES (a
    # test there keeps the two equal; common does not import the vetting app).
    NavEntry(
        "vetting",
        _("党风廉政意见回复"),
        ("vetting:list",),
        frozenset({"archivist", "case_officer", "office_head", "leader"}),
        SECTION_WORK,
        "shield",
    ),
    NavEntry(
        "reports",
        reports_navigation.LABEL,
        ("reports:statistics",),
        reports_navigation.ROLES,
        SECTION_WORK,
        "file",
    ),
    NavEntry(
        "assess",
        _("责任追究测算"),
        ("assessment:assess",),
        BUSINESS_ROLES | {ANONYMOUS},
        SECTION_RULES,
        "scale",
    ),
    NavEntry(
        "regulation",
        _("法规条文"),
        ("assessment:regulation",),
        BUSINESS_ROLES | {ANONYMOUS},
        SECTION_RULES,
        "book",
    ),
    NavEntry(
        "holidays",
        _("节假日安排"),
        ("assessment:holidays",),
        CASE_WORKERS | {SYSTEM_ADMIN},
        SECTION_RULES,
        "calendar",
    ),
    NavEntry(
        "audit",
        _("审计日志"),
        ("audit:list", "audit:log", "audit:entry_list", "audit:index"),
        frozenset({AUDIT_ADMIN}),
        SECTION_ADMIN,
        "shield",
    ),
    NavEntry(
        "accounts",
        _("账号管理"),
        ("accounts:user_list", "accounts:list", "accounts:users", "accounts:index"),
        frozenset({SYSTEM_ADMIN, SECURITY_ADMIN}),
        SECTION_ADMIN,
        "key",
    ),
    # The system administrator's requests that the security administrator decides (三员分立).
    NavEntry(
        "account_requests",
        _("账号变更申请"),
        ("accounts:requests",),
        frozenset({SYSTEM_ADMIN, SECURITY_ADMIN}),
        SECTION_ADMIN,
        "shield",
    ),
)


def _reverse_first(url_names: tuple[str, ...]) -> str | None:
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _reverse_or_none(name: str) -> str | None:
    return _reverse_first((name,))


def role_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return str(getattr(user, "role", "") or "")


def navigation_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The navigation sections visible to ``user``, with the entry for ``path`` marked active."""
    role = role_of(user)
    entries: list[dict[str, Any]] = []
    for entry in NAV:
        if role not in entry.roles:
            continue
        url = _reverse_first(entry.url_names)
        if url is None:
            continue
        entries.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "section": entry.section,
                "icon": entry.icon,
                "active": False,
            }
        )
    # The active entry is the one whose URL is the longest prefix of the path
    # ("/" only when it is the whole path).
    best = None
    for item in entries:
        url = item["url"]
        matches = path == url or (url != "/" and path.startswith(url))
        if matches and (best is None or len(url) > len(best["url"])):
            best = item
    if best is not None:
        best["active"] = True
    sections: list[dict[str, Any]] = []
    for item in entries:
        if not sections or sections[-1]["label"] != item["section"]:
            sections.append({"label": item["section"], "entries": []})
        sections[-1]["entries"].append(item)
    return sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = role_of(user)
    role_label = ""
    if role != ANONYMOUS and hasattr(user, "get_role_display"):
        role_label = user.get_role_display()
    display_name = ""
    if role != ANONYMOUS:
        display_name = getattr(user, "full_name", "") or user.get_username()
    return {
        "nav_sections": navigation_for(user, request.path),
        "nav_role": role,
        "nav_role_label": role_label,
        "nav_user_name": display_name,
        "nav_is_admin": role in ADMIN_ROLES,
        "logout_url": _reverse_or_none("accounts:logout"),
        "login_url": _reverse_or_none("accounts:login"),
        "password_change_url": _reverse_or_none("accounts:password_change"),
        "home_url": _reverse_or_none("home") or "/",
        "organisation_name": getattr(settings, "ORGANISATION_NAME", DEFAULT_ORGANISATION_NAME),
        "organisation_short": getattr(
            settings, "ORGANISATION_SHORT_NAME", DEFAULT_ORGANISATION_SHORT
        ),
    }
