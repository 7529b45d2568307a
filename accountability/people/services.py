"""Writes to the registry: roster import (all or nothing) and the audited export."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, PermissionDenied
from accountability.people.models import Person
from accountability.people.roster import RowError, parse_roster, roster_workbook
from accountability.people.selectors import (
    organisation_descendant_ids,
    organisations_managed_by,
    person_list_for_user,
)

IMPORT_FAILED = _("名册有 {count} 处错误，未导入任何人员。请按错误列表修改后重新导入。")
NOT_ALLOWED = _("您无权导入或导出干部名册。")

#: Fields the roster sets on a person.
ROSTER_FIELDS = (
    "name",
    "unit",
    "post",
    "rank",
    "role",
    "managed_by",
    "gender",
    "birth_year",
    "is_party_member",
    "is_active",
)

#: Roles that may import or export (mirrors permissions.REGISTRY_MANAGERS).
_MANAGERS = frozenset({"case_officer", "office_head", "system_admin"})


class RosterImportError(DomainError):
    """The roster had errors; `errors` lists each one by row and column; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(IMPORT_FAILED.format(count=len(errors)), field="file", code="roster")
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _allowed_managers(actor) -> set[int] | None:
    """None (no restriction) for the system administrator or a command-line import."""
    if actor is None or actor.role == "system_admin":
        return None
    return set(organisations_managed_by(actor).values_list("pk", flat=True))


def _check_actor(actor) -> None:
    if actor is not None and (actor.role not in _MANAGERS or not actor.is_active):
        raise PermissionDenied(NOT_ALLOWED)


def _display(value):
    return str(value) if hasattr(value, "_meta") else value


def roster_import(*, content: bytes, actor=None, filename: str = "", request=None) -> ImportResult:
    """Create or update people by 工号 from an .xlsx roster; any error saves nothing.

    actor None means the command line (`accountability import_roster`), which
    has no management-authority limit.
    """
    _check_actor(actor)
    parsed = parse_roster(content, allowed_managers=_allowed_managers(actor))
    if parsed.errors:
        raise RosterImportError(parsed.errors)
    result = ImportResult()
    changes: dict[str, dict] = {}
    with transaction.atomic():
        existing = {
            p.id_number: p
            for p in Person.objects.select_for_update().filter(
                id_number__in=[values["id_number"] for _, values in parsed.rows]
            )
        }
        for _, values in parsed.rows:
            number = values["id_number"]
            person = existing.get(number)
            if person is None:
                person = Person(id_number=number)
                for name in ROSTER_FIELDS:
                    setattr(person, name, values[name])
                person.save()
                result.created.append(number)
                changes[number] = {"created": values["name"]}
                continue
            diff = {}
            for name in ROSTER_FIELDS:
                old, new = getattr(person, name), values[name]
                if old != new:
                    diff[name] = [_display(old), _display(new)]
                    setattr(person, name, new)
            if diff:
                person.save()
                result.updated.append(number)
                changes[number] = diff
            else:
                result.unchanged.append(number)
        audit_log(
            actor=actor,
            action="import",
            target=("people.roster", "", filename or "干部名册"),
            changes=changes,
            detail=(
                f"新增 {len(result.created)} 人，修改 {len(result.updated)} 人，"
                f"未变 {len(result.unchanged)} 人"
            ),
            request=request,
        )
    return result


def roster_export(*, actor, request=None, organisation=None, query: str = "") -> tuple[bytes, int]:
    """The .xlsx of the people the actor may see (all for the command line); audited."""
    _check_actor(actor)
    if actor is None:
        people = Person.objects.select_related("unit", "managed_by").order_by("unit__code", "name")
        if organisation is not None:
            people = people.filter(unit__in=organisation_descendant_ids(organisation))
    else:
        people = person_list_for_user(
            user=actor, organisation=organisation, query=query, active=None
        )
    people = list(people)
    content = roster_workbook(people)
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="export",
            target=("people.roster", "", "干部名册"),
            changes={"count": len(people), "organisation": str(organisation or ""), "q": query},
            request=request,
        )
    return content, len(people)
