"""Writes to the registry: roster upload and import (all or nothing) and the audited export.

From the web page a roster is uploaded (``roster_upload_submit``: the file kept in the
database and a background job queued, in one transaction); the job (people/jobs.py) checks
it within the limits of roster.py and imports it with ``roster_import``. The command line
calls ``roster_import`` directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, PermissionDenied
from accountability.people.models import Person, RosterUpload
from accountability.people.roster import (
    FILE_TOO_LARGE,
    RowError,
    parse_roster,
    roster_limits,
    roster_workbook,
)
from accountability.people.selectors import (
    organisation_descendant_ids,
    organisations_managed_by,
    person_list_for_user,
)

IMPORT_FAILED = _("名册有 {count} 处错误，未导入任何人员。请按错误列表修改后重新导入。")
NOT_ALLOWED = _("您无权导入或导出干部名册。")
UPLOAD_GONE = _("名册文件已不在系统中(导入后即清除)，请重新上传。")

#: Errors kept on an upload for its page; the count keeps them all.
MAX_KEPT_ERRORS = 500

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


def roster_upload_submit(
    *, content: bytes, filename: str, actor: Any, request: Any = None
) -> RosterUpload:
    """Keep an uploaded roster and queue the job that checks and imports it (one transaction).

    Nothing is parsed here: the job does it, away from the web process.
    """
    from accountability.jobs.services import job_enqueue
    from accountability.people.jobs import roster_import_job

    _check_actor(actor)
    if actor is None:
        raise PermissionDenied(NOT_ALLOWED)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        upload = RosterUpload.objects.create(
            filename=filename[:255],
            content=content,
            size=len(content),
            sha256=digest,
            uploaded_by=actor,
        )
        upload.job = job_enqueue(
            handler=roster_import_job, owner=actor, params={"upload_id": upload.pk}
        )
        upload.save(update_fields=["job"])
        audit_log(
            actor=actor,
            action="create",
            target=upload,
            changes={"filename": upload.filename, "size": upload.size, "sha256": digest},
            detail="上传干部名册，待后台检查导入",
            request=request,
        )
    return upload


def roster_upload_refuse(*, upload: RosterUpload, errors: list[RowError]) -> None:
    """Record why an uploaded roster was not imported (its first errors and their count)."""
    kept = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    RosterUpload.objects.filter(pk=upload.pk).update(
        state=RosterUpload.State.REFUSED,
        errors=kept[:MAX_KEPT_ERRORS],
        error_count=len(errors),
    )


def roster_upload_content(upload: RosterUpload) -> bytes:
    content = bytes(upload.content or b"")
    if not content:
        raise DomainError(UPLOAD_GONE, field="file", code="upload_gone")
    return content


def roster_import(
    *,
    content: bytes,
    actor=None,
    filename: str = "",
    request=None,
    upload: RosterUpload | None = None,
    progress: Callable[..., None] | None = None,
) -> ImportResult:
    """Create or update people by 工号 from an .xlsx roster; any error saves nothing.

    actor None means the command line (`accountability import_roster`), which
    has no management-authority limit. With ``upload`` (the page's job), the upload is
    marked imported and its file cleared in the same transaction.
    """
    _check_actor(actor)
    limits = roster_limits()
    if len(content) > limits.upload_bytes:
        raise RosterImportError([RowError(0, "", FILE_TOO_LARGE.format(mb=limits.upload_mb))])
    parsed = parse_roster(
        content, allowed_managers=_allowed_managers(actor), progress=progress, limits=limits
    )
    if parsed.errors:
        raise RosterImportError(parsed.errors)
    result = ImportResult()
    changes: dict[str, Any] = {}
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
        if upload is not None:
            RosterUpload.objects.filter(pk=upload.pk).update(
                state=RosterUpload.State.IMPORTED,
                content=b"",
                counts={
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                },
            )
        audit_log(
            actor=actor,
            action="import",
            target=("people.roster", str(upload.pk) if upload else "", filename or "干部名册"),
            # Keyed by 工号 under "people", so no 工号 can clash with the file's own facts.
            changes={
                "file": {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)},
                "people": changes,
            },
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
