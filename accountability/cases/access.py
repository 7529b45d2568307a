"""Who holds which role on a case (Art 11: 按照干部管理权限分级负责).

A user acts for the commission their organisation belongs to (the nearest ancestor that is a
commission: city, county or township). Their account role counts on a case when that
commission handles it; the team member role counts only through a TeamMembership of the case.
The three administrators (三员分立) hold no role on any case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from accountability.cases.models import Case, CaseParty, ConflictDeclaration, TeamMembership
from accountability.cases.workflow import ADMIN_ROLES, Role
from accountability.common import vocabulary
from accountability.people.models import Organisation, Person

COMMISSION_KINDS = frozenset(
    {
        Organisation.Kind.CITY_COMMISSION,
        Organisation.Kind.COUNTY_COMMISSION,
        Organisation.Kind.TOWNSHIP,
    }
)

# Account roles that act for their commission on the cases it handles.
ORGAN_ROLES = frozenset(
    {
        Role.CASE_OFFICER,
        Role.OFFICE_HEAD,
        Role.LEADER,
        Role.COMMITTEE_SECRETARY,
        Role.ARCHIVIST,
        Role.CITY_OFFICER,
    }
)
# Roles of the county commission that see every case it (or a commission below it) handles.
COUNTY_READER_ROLES = frozenset(
    {Role.CASE_OFFICER, Role.OFFICE_HEAD, Role.LEADER, Role.COMMITTEE_SECRETARY}
)

# Account roles that cannot serve on an investigation team (the person held accountable, and
# the three administrators, who hold no role on any case).
NON_TEAM_ROLES = frozenset({Role.SUBJECT, *ADMIN_ROLES})

# Art 5 responsible subjects who are leading cadres (领导干部) for Art 11's direct pursuit.
LEADING_ROLES = vocabulary.leading_roles()


def commission_of(org: Organisation | None) -> Organisation | None:
    """The commission ``org`` belongs to (itself when it is one)."""
    seen = 0
    while org is not None and seen < 50:
        if org.kind in COMMISSION_KINDS:
            return org
        org = org.parent
        seen += 1
    return None


def user_commission(user: object) -> Organisation | None:
    org = getattr(user, "organisation", None)
    return commission_of(org)


def subtree_ids(root: Organisation | None) -> set[int]:
    """Ids of ``root`` and every organisation below it."""
    if root is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result: set[int] = set()
    stack = [root.pk]
    while stack:
        pk = stack.pop()
        if pk in result:
            continue
        result.add(pk)
        stack.extend(children.get(pk, ()))
    return result


def is_above(upper: Organisation | None, lower: Organisation | None) -> bool:
    """Whether ``upper`` is a strict ancestor of ``lower``."""
    if upper is None or lower is None:
        return False
    node = lower.parent
    while node is not None:
        if node.pk == upper.pk:
            return True
        node = node.parent
    return False


def is_administrator(user: object) -> bool:
    return getattr(user, "role", None) in ADMIN_ROLES


def on_team(*, case: Case, user: object) -> bool:
    pk = getattr(user, "pk", None)
    if not getattr(user, "is_authenticated", False) or pk is None:
        return False
    return TeamMembership.objects.filter(case=case, user_id=pk, left_on__isnull=True).exists()


def person_of_user(user: Any) -> Person | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Person.objects.filter(account=user).first()


def conflict_of(
    case: Case, *, user: Any = None, person: Person | None = None
) -> ConflictDeclaration | None:
    """A recorded conflict naming ``user`` or ``person`` (or the account/person behind them)."""
    users = {u.pk for u in (user, getattr(person, "account", None)) if u is not None}
    persons = {p.pk for p in (person, person_of_user(user)) if p is not None}
    for row in ConflictDeclaration.objects.filter(case=case):
        if (row.user_id and row.user_id in users) or (row.person_id and row.person_id in persons):
            return row
    return None


def is_party(case: Case, *, user: Any = None, person: Person | None = None) -> bool:
    """Whether ``person`` (or the person behind ``user``) is concerned by ``case``."""
    persons = {p.pk for p in (person, person_of_user(user)) if p is not None}
    return bool(persons) and case.parties.filter(person_id__in=persons).exists()


def recusal_reason(case: Case, *, user: Any = None, person: Person | None = None) -> str:
    """Why ``user``/``person`` must stand aside (回避) from ``case`` ('' when they need not)."""
    if is_party(case, user=user, person=person):
        return gettext("本案被调查人")
    conflict = conflict_of(case, user=user, person=person)
    if conflict is not None:
        return str(conflict.get_kind_display())
    return ""


def recused_cases(user: Any) -> Q:
    """A filter of the cases ``user`` stands aside from: concerned by them or in conflict."""
    parties = CaseParty.objects.filter(person__account=user).values("case_id")
    conflicts = ConflictDeclaration.objects.filter(Q(user=user) | Q(person__account=user)).values(
        "case_id"
    )
    return Q(pk__in=parties) | Q(pk__in=conflicts)


def case_roles(*, case: Case, user: object) -> frozenset[str]:
    """The workflow roles ``user`` holds on ``case`` (none while they must stand aside)."""
    if not getattr(user, "is_authenticated", False) or is_administrator(user):
        return frozenset()
    if recusal_reason(case, user=user):
        return frozenset()
    roles: set[str] = set()
    role = getattr(user, "role", None)
    if role in ORGAN_ROLES:
        commission = user_commission(user)
        if commission is not None and commission.pk == case.handling_organ_id:
            roles.add(str(role))
    if on_team(case=case, user=user):
        roles.add(str(Role.TEAM_MEMBER))
    return frozenset(roles)


def case_roles_many(*, cases: Iterable[Case], user: object) -> dict[int, frozenset[str]]:
    """``case_roles`` for many cases in a bounded number of queries (the work queue).

    The cases must be ones ``user`` does not stand aside from (``case_list_for_user``
    excludes those): recusal is not checked again here.
    """
    cases = list(cases)
    pk = getattr(user, "pk", None)
    if not getattr(user, "is_authenticated", False) or is_administrator(user) or pk is None:
        return {case.pk: frozenset() for case in cases}
    role = getattr(user, "role", None)
    commission = user_commission(user) if role in ORGAN_ROLES else None
    team = set(
        TeamMembership.objects.filter(
            user_id=pk,
            left_on__isnull=True,
            case_id__in=[case.pk for case in cases],
        ).values_list("case_id", flat=True)
    )
    result: dict[int, frozenset[str]] = {}
    for case in cases:
        roles: set[str] = set()
        if commission is not None and commission.pk == case.handling_organ_id:
            roles.add(str(role))
        if case.pk in team:
            roles.add(str(Role.TEAM_MEMBER))
        result[case.pk] = frozenset(roles)
    return result


def labels(roles: Iterable[str]) -> list[str]:
    return [str(Role(r).label) for r in roles if r in Role.values]
