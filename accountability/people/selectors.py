"""Reads of the registry: the organisation tree and who manages whom (Art 11).

Art 11: 责任追究按照干部管理权限分级负责。Art 12: the county supervision office
is responsible for the cadres within its management authority.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet

from accountability.common.errors import NotFound
from accountability.people.models import Organisation, Person, RosterUpload

Kind = Organisation.Kind

#: Kinds of organisation that hold cadre-management authority of their own.
MANAGING_KINDS = (Kind.CITY_COMMISSION, Kind.COUNTY_COMMISSION, Kind.TOWNSHIP)
#: A commission below another manages its own subtree: the city's authority stops there.
COMMISSION_KINDS = (Kind.CITY_COMMISSION, Kind.COUNTY_COMMISSION)

#: Roles that see every person in the registry (account linking, roster upkeep).
REGISTRY_WIDE_ROLES = frozenset({"system_admin"})


def _children_map() -> dict[int | None, list[Organisation]]:
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for org in Organisation.objects.order_by("code"):
        children[org.parent_id].append(org)
    return children


def organisation_tree() -> list[tuple[Organisation, int]]:
    """Every organisation in tree order with its depth (roots first, children by code)."""
    children = _children_map()
    result: list[tuple[Organisation, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for org in children.get(parent_id, []):
            result.append((org, depth))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return result


def organisation_descendant_ids(
    organisation: Organisation, *, stop_at_commissions: bool = False
) -> set[int]:
    """The ids of the organisation and everything below it.

    With stop_at_commissions, a lower commission and its subtree are left out
    (the city commission's own offices, but not the county's).
    """
    children = _children_map()
    found = {organisation.pk}
    stack = [organisation.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if stop_at_commissions and child.kind in COMMISSION_KINDS:
                continue
            found.add(child.pk)
            stack.append(child.pk)
    return found


def organisation_descendants(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation and all organisations below it."""
    return Organisation.objects.filter(pk__in=organisation_descendant_ids(organisation))


def organisation_ancestors(organisation: Organisation) -> list[Organisation]:
    """From the organisation itself up to the root."""
    by_id = {org.pk: org for org in Organisation.objects.all()}
    chain = []
    current: Organisation | None = by_id.get(organisation.pk)
    while current is not None:
        chain.append(current)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return chain


def managing_organ(organisation: Organisation | None) -> Organisation | None:
    """The nearest organisation at or above this one that holds management authority."""
    if organisation is None:
        return None
    for org in organisation_ancestors(organisation):
        if org.kind in MANAGING_KINDS:
            return org
    return None


def organisations_managed_by(user) -> QuerySet[Organisation]:
    """Organisations whose cadres the user's organ manages (Art 11).

    A user of the county commission (any of its offices) covers people whose
    managed_by is the county commission or anything below it; a city officer
    covers people managed by the city commission and its own offices, not the
    county's (taking over a county case is the cases app's business); a
    township officer covers the township. Administrators and users without a
    unit cover nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if getattr(user, "is_administrator", False):
        return Organisation.objects.none()
    organ = managing_organ(getattr(user, "organisation", None))
    if organ is None:
        return Organisation.objects.none()
    ids = organisation_descendant_ids(organ, stop_at_commissions=True)
    return Organisation.objects.filter(pk__in=ids)


def person_list_for_user(
    *, user, query: str = "", organisation: Organisation | None = None, active: bool | None = True
) -> QuerySet[Person]:
    """People the user may see, optionally within an organisation's subtree and matching a search.

    The system administrator sees everyone (to keep the roster and link
    accounts); other users see the people their organ manages (Art 11).
    """
    people = Person.objects.select_related("unit", "managed_by", "account")
    if getattr(user, "role", None) not in REGISTRY_WIDE_ROLES:
        people = people.filter(managed_by__in=organisations_managed_by(user))
    if organisation is not None:
        people = people.filter(unit__in=organisation_descendant_ids(organisation))
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(id_number__icontains=query) | Q(post__icontains=query)
        )
    if active is not None:
        people = people.filter(is_active=active)
    return people.order_by("unit__code", "name")


def person_get_for_user(*, person_id: int, user) -> Person:
    try:
        return person_list_for_user(user=user, active=None).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise NotFound() from exc


def organisation_by_code_or_name(value: str) -> Organisation | None:
    """Lookup used by the roster import: the code first, then an unambiguous name."""
    value = value.strip()
    org = Organisation.objects.filter(code=value).first()
    if org is not None:
        return org
    matches = list(Organisation.objects.filter(name=value)[:2])
    return matches[0] if len(matches) == 1 else None


def roster_upload_get_for_user(*, upload_id: int, user) -> RosterUpload:
    """An uploaded roster, for the user who uploaded it only (NotFound for anyone else)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    upload = (
        RosterUpload.objects.select_related("job")
        .defer("content")
        .filter(pk=upload_id, uploaded_by_id=user.pk)
        .first()
    )
    if upload is None:
        raise NotFound()
    return upload
