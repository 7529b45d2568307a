"""Writes of the assessment app: holiday schedules entered by the system administrator."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.assessment.current import invalidate
from accountability.assessment.holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    NO_HOLIDAYS,
    YEAR_OUT_OF_RANGE,
    package_years,
)
from accountability.assessment.models import HolidayDay, HolidayScheduleStamp, HolidayYear
from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from rulebook.calendar import YearSchedule

ONLY_SYSTEM_ADMIN = _("只有系统管理员可以录入或删除节假日安排。")
YEAR_ALREADY_ENTERED = _("{year}年的节假日安排已录入；如需更正，请先删除该年度后重新录入。")
YEAR_IN_PACKAGE = _("{year}年的节假日安排已由 chinesecalendar 提供，无需录入。")
SOURCE_REQUIRED = _("请填写依据(国务院办公厅通知的名称和文号)。")
SCHEDULE_PROBLEMS = _("{year}年节假日安排有误：{problems}")
MSG_YEAR_NOT_IN_DATABASE = _("数据库中没有{year}年的节假日安排。")

SYSTEM_ADMIN = "system_admin"


def _check_actor(actor: Any) -> None:
    """`actor` None is the command line (an operator with shell access)."""
    if actor is not None and getattr(actor, "role", None) != SYSTEM_ADMIN:
        raise PermissionDenied(ONLY_SYSTEM_ADMIN)


def _schedules_changed() -> None:
    """Within the change's transaction: bump the revision every process reads, and drop this
    process's rulebook once the change is committed (accountability.assessment.current)."""
    now = timezone.now()
    bumped = HolidayScheduleStamp.objects.filter(pk=1).update(
        revision=F("revision") + 1, changed_at=now
    )
    if not bumped:  # the row the migration creates is missing (a flushed test database)
        HolidayScheduleStamp.objects.create(pk=1, revision=1, changed_at=now)
    transaction.on_commit(invalidate)


def holiday_year_create(
    *,
    schedule: YearSchedule,
    actor: Any,
    request: Any = None,
    action: str = "create",
    replace: bool = False,
) -> HolidayYear:
    """Save one year's schedule whole (all its days or nothing), with its audit entry.

    With `replace`, a year already in the database is replaced in the same
    transaction (its old days are kept in the audit entry).
    """
    _check_actor(actor)
    year = schedule.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(YEAR_OUT_OF_RANGE.format(first=FIRST_YEAR, last=LAST_YEAR), field="year")
    if year in package_years():
        raise DomainError(YEAR_IN_PACKAGE.format(year=year), field="year", code="year_in_package")
    source = (schedule.source or "").strip()
    if not source:
        raise DomainError(SOURCE_REQUIRED, field="source")
    problems = schedule.problems()
    if problems:
        raise DomainError(
            SCHEDULE_PROBLEMS.format(year=year, problems="；".join(problems)), field="text"
        )
    if not schedule.holidays:
        raise DomainError(NO_HOLIDAYS, field="text")
    names = dict(schedule.names)
    try:
        with transaction.atomic():
            previous = HolidayYear.objects.select_for_update().filter(year=year).first()
            replaced: dict[str, Any] = {}
            if previous is not None:
                if not replace:
                    raise DomainError(
                        YEAR_ALREADY_ENTERED.format(year=year), field="year", code="year_exists"
                    )
                replaced = {
                    "replaced_source": previous.source,
                    "replaced_days": [
                        f"{d.isoformat()} {k}" for d, k in previous.days.values_list("date", "kind")
                    ],
                }
                previous.delete()
            entry = HolidayYear.objects.create(
                year=year, source=source[:255], entered_by=actor if actor is not None else None
            )
            days = [
                HolidayDay(
                    schedule=entry, date=d, kind=HolidayDay.Kind.HOLIDAY, name=names.get(d, "")
                )
                for d in sorted(schedule.holidays)
            ] + [
                HolidayDay(
                    schedule=entry, date=d, kind=HolidayDay.Kind.WORKDAY, name=names.get(d, "")
                )
                for d in sorted(schedule.workdays)
            ]
            HolidayDay.objects.bulk_create(days)
            _schedules_changed()
            audit_log(
                actor=actor,
                action=action,
                target=entry,
                changes={
                    "year": year,
                    "source": source,
                    "holidays": sorted(d.isoformat() for d in schedule.holidays),
                    "workdays": sorted(d.isoformat() for d in schedule.workdays),
                    **replaced,
                },
                request=request,
            )
    except IntegrityError as exc:  # a concurrent entry of the same year
        raise DomainError(
            YEAR_ALREADY_ENTERED.format(year=year), field="year", code="year_exists"
        ) from exc
    return entry


def holiday_year_delete(*, year: int, actor: Any, request: Any = None) -> None:
    """Delete a year entered in the database (package years cannot be deleted)."""
    _check_actor(actor)
    with transaction.atomic():
        entry = HolidayYear.objects.select_for_update().filter(year=year).first()
        if entry is None:
            raise NotFound(MSG_YEAR_NOT_IN_DATABASE.format(year=year))
        days = list(entry.days.values_list("date", "kind"))
        audit_log(
            actor=actor,
            action="delete",
            target=entry,
            changes={
                "year": year,
                "source": entry.source,
                "holidays": [d.isoformat() for d, k in days if k == HolidayDay.Kind.HOLIDAY],
                "workdays": [d.isoformat() for d, k in days if k == HolidayDay.Kind.WORKDAY],
            },
            request=request,
        )
        entry.delete()
        _schedules_changed()
