"""Validators and checks the stages share (dates, texts, measures, files, recusal)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import access, files
from accountability.cases import facts as case_facts
from accountability.cases.crypto import file_hashes
from accountability.cases.models import (
    Attachment,
    Case,
    CaseParty,
    ConflictDeclaration,
    Decision,
    DecisionVersion,
)
from accountability.common.errors import DomainError
from accountability.common.i18n import join_list

MSG_REQUIRED = _("请填写{label}。")
MSG_FUTURE_DATE = _("{label}不能晚于今天。")
MSG_DATE_ORDER = _("{label}不能早于{other_label}（{other}）。")
MSG_PARTY_OTHER_CASE = _("所选被调查人不属于本案。")
MSG_NO_PARTY = _("案件尚未添加被调查人，不能{action}。")
MSG_RECUSAL_PARTY = _("{user}是本案被调查人，应当回避，不能{what}。")
MSG_RECUSAL_CONFLICT = _("{user}已登记回避事由“{kind}”{note}，应当回避，不能{what}。")
MSG_MEASURES_REQUIRED = _("{name}：追究责任的，应当至少选择一项措施。")
MSG_MEASURES_NOT_ALLOWED = _("{name}：不予追究的，不应选择措施。")
MSG_MEASURE_UNKNOWN = _("{name}：“{measure}”不是规定的措施。可选措施：{allowed}。")
MSG_DEPARTURE = _(
    "{name}：所选措施（{measures}）不在测算结果的措施范围（{allowed}）内，应当书面说明偏离理由。"
)
MSG_DEPARTURE_NOT_PURSUE = _(
    "{name}：测算结果为追究责任（可选措施：{allowed}），不予追究的应当书面说明理由。"
)
MSG_RECTIFICATION_DEADLINE = _("{name}：决定责令限期整改的，应当确定整改期限。")
MSG_RECTIFICATION_DEADLINE_ORDER = _("整改期限应当晚于决定日期（{decided}）。")
MSG_ATTACHMENT_EMPTY = _("上传的文件为空。")
MSG_ATTACHMENT_TOO_LARGE = _("附件不能超过{mb}MB。")


LEADING_ROLES = access.LEADING_ROLES
# Account roles that cannot serve on an investigation team (access.py holds the role sets).
NON_TEAM_ROLES = access.NON_TEAM_ROLES
DEFAULT_ATTACHMENT_MAX_MB = 50


def _attachment_max_bytes() -> int:
    return int(getattr(settings, "CASES_ATTACHMENT_MAX_MB", DEFAULT_ATTACHMENT_MAX_MB)) << 20


def _today() -> date:
    return timezone.localdate()


def _text(value: str | None, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(MSG_REQUIRED.format(label=label), field=field, code="required")
    return value


def _day(
    value: date | None,
    *,
    field: str,
    label: str,
    not_before: date | None = None,
    not_before_label: str = "",
) -> date:
    if value is None:
        raise DomainError(MSG_REQUIRED.format(label=label), field=field, code="required")
    if value > _today():
        raise DomainError(MSG_FUTURE_DATE.format(label=label), field=field, code="future_date")
    if not_before is not None and value < not_before:
        raise DomainError(
            MSG_DATE_ORDER.format(
                label=label, other_label=not_before_label, other=not_before.isoformat()
            ),
            field=field,
            code="date_order",
        )
    return value


def _party_of(case: Case, party: CaseParty) -> CaseParty:
    if party.case_id != case.pk:
        raise DomainError(MSG_PARTY_OTHER_CASE, field="party", code="other_case")
    return party


# Recusal (回避) is decided in access.py, which the selectors share.
_is_party = access.is_party
_conflict_of = access.conflict_of
recusal_reason = access.recusal_reason


def _conflict_note(conflict: ConflictDeclaration) -> str:
    return gettext("（{note}）").format(note=conflict.note) if conflict.note else ""


def _recusal_error(
    case: Case, user: User, *, what: str | Promise, field: str | None
) -> DomainError | None:
    """The refusal for ``user`` if they must stand aside from ``case`` (None otherwise)."""
    name = str(user)
    if _is_party(case, user=user):
        return DomainError(
            MSG_RECUSAL_PARTY.format(user=name, what=what), field=field, code="recusal"
        )
    conflict = _conflict_of(case, user=user)
    if conflict is not None:
        return DomainError(
            MSG_RECUSAL_CONFLICT.format(
                user=name,
                kind=conflict.get_kind_display(),
                note=_conflict_note(conflict),
                what=what,
            ),
            field=field,
            code="recusal",
        )
    return None


def _validate_measures(name: str, measures: Sequence[str], *, on: date, pursue: bool) -> list[str]:
    chosen = list(dict.fromkeys(m.strip() for m in measures if m and m.strip()))
    if not pursue:
        if chosen:
            raise DomainError(
                MSG_MEASURES_NOT_ALLOWED.format(name=name), field="measures", code="measures"
            )
        return []
    if not chosen:
        raise DomainError(
            MSG_MEASURES_REQUIRED.format(name=name), field="measures", code="measures"
        )
    known = case_facts.measure_names(on)
    for measure in chosen:
        if measure not in known:
            raise DomainError(
                MSG_MEASURE_UNKNOWN.format(name=name, measure=measure, allowed=join_list(known)),
                field="measures",
                code="measures",
            )
    return chosen


def _check_departure(
    name: str,
    assessment: Mapping[str, Any],
    *,
    pursue: bool,
    measures: Sequence[str],
    reason: str,
    field: str,
) -> bool:
    """Whether the choice departs from the assessment; a departure needs ``reason``."""
    departs = case_facts.departs(assessment, pursue=pursue, measures=measures)
    if departs and not reason.strip():
        allowed = join_list(case_facts.open_measures(assessment))
        message = (
            MSG_DEPARTURE.format(name=name, measures=join_list(measures), allowed=allowed)
            if pursue
            else MSG_DEPARTURE_NOT_PURSUE.format(name=name, allowed=allowed)
        )
        raise DomainError(message, field=field, code="departure_reason")
    return departs


def _store_file(case: Case, actor: User, file: File[bytes], title: str) -> Attachment:
    """Check the file (size, type by content), store it and its row (see cases/files.py)."""
    limit = _attachment_max_bytes()
    too_large = DomainError(
        MSG_ATTACHMENT_TOO_LARGE.format(mb=limit >> 20), field="file", code="file_too_large"
    )
    # The upload handler stops keeping a file at the limit but reports its full size.
    if int(getattr(file, "size", 0) or 0) > limit:
        raise too_large
    if hasattr(file, "seek"):
        file.seek(0)
    sha256, sm3, size = file_hashes(file.chunks())
    if size == 0:
        raise DomainError(MSG_ATTACHMENT_EMPTY, field="file", code="empty_file")
    if size > limit:
        raise too_large
    detected = files.check_type(file)
    original = files.clean_filename(getattr(file, "name", "") or files.FALLBACK_NAME)
    attachment = Attachment(
        case=case,
        title=(title or "").strip()[:200] or original[:200],
        original_name=original,
        size=size,
        content_type=detected.mime[:100],
        sha256=sha256,
        sm3=sm3,
        uploaded_by=actor,
    )
    attachment.file.save(original, file, save=False)
    files.note_written(str(attachment.file.name))
    attachment.save()
    return attachment


def _current_version(decision: Decision) -> DecisionVersion:
    """The version in force (set when the decision is recorded, never unset afterwards)."""
    version = decision.current_version
    if version is None:
        raise RuntimeError(f"decision {decision.pk} has no current version")
    return version


def _rectification_deadline(
    name: str, measures: Sequence[str], deadline: date | None, *, after: date
) -> date | None:
    if case_facts.RECTIFICATION_MEASURE not in measures:
        return None
    if deadline is None:
        raise DomainError(
            MSG_RECTIFICATION_DEADLINE.format(name=name),
            field="rectification_deadline",
            code="required",
        )
    if deadline <= after:
        raise DomainError(
            MSG_RECTIFICATION_DEADLINE_ORDER.format(decided=after.isoformat()),
            field="rectification_deadline",
            code="date_order",
        )
    return deadline
