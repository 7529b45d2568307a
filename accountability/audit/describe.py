"""An audit entry as a sentence for the audit administrator, with its recorded fields.

"监督室工作人员 张明 修改了 案件 镇纪干监〔2026〕3号 中的 被调查人 #12 的 事实认定、情节":
the role and name of the actor, the event, the object by the verbose name of its model and
the case number, the fields by their verbose names. Values are shown only where policy.py
says they may be (accounts, settings, procedural facts); a field of case content is named
and its value is replaced by a note that only its keyed hash is kept. The rule is applied
again here, so entries written before it (format 1) show no content either. No query: the
labels come from the model registry and the choices of the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from accountability.audit.models import AuditEntry
from accountability.audit.policy import TargetPolicy, policy_for
from accountability.common.i18n import join_list, label_separator

SEALED_VALUE = _("(案件内容，仅保存摘要，不予显示)")
EMPTY_VALUE = _("(空)")
YES, NO = _("是"), _("否")
SYSTEM = _("系统")
CHANGED = _("由 {old} 改为 {new}")

# Keys the callers record that are not fields of the target's model.
KEY_LABELS: dict[str, Any] = {
    "case": _("案件编号"),
    "action": _("办理事项"),
    "state": _("状态"),
    "fields": _("字段"),
    "code": _("错误代码"),
    "field": _("出错字段"),
    "party": _("被调查人"),
    "person": _("人员"),
    "who": _("回避人员"),
    "members": _("调查组成员"),
    "member": _("调查组成员"),
    "leader": _("调查组组长"),
    "findings": _("调查认定"),
    "report": _("调查报告"),
    "present": _("出席人员"),
    "recused": _("回避表决人员"),
    "votes": _("表决票数"),
    "quorum_rule": _("法定人数规则"),
    "committee_size": _("常委会人数"),
    "measures": _("处理措施"),
    "rulebook": _("规则版本"),
    "departs": _("偏离测算结果"),
    "decision_outcome": _("决定结果"),
    "informant": _("举报人"),
    "sha256": _("SHA-256 摘要"),
    "sm3": _("SM3 摘要"),
    "size": _("大小(字节)"),
    "format": _("格式"),
    "stored": _("存档文件"),
    "files": _("文件数"),
    "transfer": _("移送材料"),
    "count": _("条数"),
    "records": _("记录数"),
    "q": _("检索词"),
    "total": _("符合条件的条数"),
    "case_number": _("案件编号"),
    "filters": _("查询条件"),
    "organisation": _("单位"),
    "document_number": _("发文字号"),
    "number": _("编号"),
    "version": _("版本"),
    "supersedes": _("取代的文书"),
    "replaces": _("取代的模板"),
    "deactivated": _("停用的模板"),
    "docx_sha256": _("Word 文件 SHA-256"),
    "docx_sm3": _("Word 文件 SM3"),
    "pdf_sha256": _("PDF 文件 SHA-256"),
    "pdf_sm3": _("PDF 文件 SM3"),
    "template_sha256": _("模板 SHA-256"),
    "late": _("逾期"),
    "reviewing_organ": _("复查机关"),
    "handling_organ": _("承办机关"),
    "deadline": _("期限"),
    "overdue": _("超期"),
    "refused": _("拒绝陈述申辩"),
    "held_on": _("日期"),
    "kind": _("类别"),
    "actor": _("操作人"),
    "date_from": _("起始日期"),
    "date_to": _("截止日期"),
    "year": _("年度"),
    "holidays": _("节假日"),
    "workdays": _("调休上班日"),
    "users": _("账号"),
    "people": _("人员数"),
    "organisations": _("单位数"),
    "seq": _("序号"),
    "hash": _("校验码"),
    "file": _("文件"),
    "rebuilt_from": _("重建起点"),
    "username": _("用户名"),
    "full_name": _("姓名"),
    "role": _("角色"),
    "is_active": _("启用"),
    "outcome": _("处理结果"),
    "rectification_deadline": _("整改期限"),
    "received_on": _("收到日期"),
    "postmark_on": _("邮戳日期"),
    "status": _("办理状态"),
    "completed_on": _("完成日期"),
    "archived_on": _("归档日期"),
    "filed_on": _("备案日期"),
    "reference": _("备案编号"),
    "issued_on": _("印发日期"),
    "recipient": _("送达对象"),
    "delivered_on": _("送达日期"),
    "manner": _("送达方式"),
    "appeal_deadline": _("申诉期限"),
    "source": _("线索来源"),
    "title": _("标题"),
    "when": _("日期"),
    "original_name": _("原文件名"),
    "created": _("新增"),
}
# Targets that are not models but whose fields are a model's (a roster import lists people).
FIELD_MODELS = {"people.roster": "people.person"}

VERBS: dict[str, Any] = {
    AuditEntry.Action.CREATE: _("{who} 新建了 {what}"),
    AuditEntry.Action.UPDATE: _("{who} 修改了 {what}"),
    AuditEntry.Action.DELETE: _("{who} 删除了 {what}"),
    AuditEntry.Action.VIEW: _("{who} 查看了 {what}"),
    AuditEntry.Action.VIEW_CONFIDENTIAL: _("{who} 查看了 {what} 的保密信息"),
    AuditEntry.Action.LOGIN: _("{who} 登录了系统"),
    AuditEntry.Action.LOGIN_FAILED: _("{who} 以 {what} 登录失败"),
    AuditEntry.Action.LOGOUT: _("{who} 退出了系统"),
    AuditEntry.Action.ACCOUNT_LOCKED: _("{what} 被锁定"),
    AuditEntry.Action.ACCOUNT_UNLOCKED: _("{who} 解锁了 {what}"),
    AuditEntry.Action.PASSWORD_CHANGE: _("{who} 修改了 {what} 的密码"),
    AuditEntry.Action.ACCESS_DENIED: _("{who} 访问 {what} 被拒绝"),
    AuditEntry.Action.SETTINGS_CHANGE: _("{who} 修改了 {what}"),
    AuditEntry.Action.EXPORT: _("{who} 导出了 {what}"),
    AuditEntry.Action.IMPORT: _("{who} 导入了 {what}"),
    AuditEntry.Action.DOWNLOAD: _("{who} 下载了 {what}"),
    AuditEntry.Action.ISSUE_DOCUMENT: _("{who} 印发了 {what}"),
    AuditEntry.Action.ANCHOR: _("{who} 生成了审计锚点({what})"),
    AuditEntry.Action.HEAD_REBUILT: _("{who} 发现审计链头缺失并重建了链头"),
}
TRANSITION = _("{who} 对 {what} 办理了“{step}”")
TRANSITION_STATE = _("，状态由“{old}”变为“{new}”")
FIELDS = _(" 的 {fields}")
STEP = _("(“{step}”)")
NOT_DONE = _("(未成功：{outcome})")
OF_CASE = _("案件 {number}")
IN_CASE = _("案件 {number} 中的 {kind} #{id}")
OBJECT = _("{kind} #{id}")
NAMED_OBJECT = _("{kind} {label}")
UNKNOWN_KIND = _("对象")
PAGE = _("页面 {path}")
ACCOUNT = _("账号 {label}")


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Described:
    sentence: str
    lines: tuple[Line, ...]


def _model(target_type: str) -> type[models.Model] | None:
    app_label, _dot, model_name = target_type.partition(".")
    if not model_name:
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _choices_of(model: type[models.Model] | None, name: str) -> dict[Any, Any]:
    field = _field(model, name)
    if field is not None and field.choices:
        return dict(field.flatchoices)
    if name in {"action", "state"}:
        # The workflow's steps and states, as the case's transition log names them.
        log = _model("cases.transitionlog")
        source = {"action": "action", "state": "to_state"}[name]
        found = _field(log, source)
        if found is not None and found.choices:
            return dict(found.flatchoices)
    return {}


def field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is not None:
        return str(field.verbose_name)
    return str(KEY_LABELS.get(name, name))


def _value(value: Any, choices: dict[Any, Any], model: Any = None) -> str:
    if value is None or value == "" or value == []:
        return str(EMPTY_VALUE)
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, list):
        return join_list(_value(v, choices, model) for v in value)
    if isinstance(value, dict):
        # A mapping reads as "label：value" pairs, the keys by their Chinese labels (never a
        # Python dict).
        return join_list(
            f"{field_label(model, str(k))}{label_separator()}"
            f"{_value(v, _choices_of(model, str(k)), model)}"
            for k, v in value.items()
        )
    return str(choices.get(value, value))


def _shown(name: str, value: Any, model, *, pair: bool) -> str:
    if name == "fields" and isinstance(value, list):
        return join_list(field_label(model, str(v)) for v in value)
    choices = _choices_of(model, name)
    if pair and isinstance(value, list) and len(value) == 2:
        return CHANGED.format(
            old=_value(value[0], choices, model), new=_value(value[1], choices, model)
        )
    return _value(value, choices, model)


def _who(entry: AuditEntry) -> str:
    if entry.action in {AuditEntry.Action.ANCHOR, AuditEntry.Action.HEAD_REBUILT} and (
        entry.actor_id is None
    ):
        return str(SYSTEM)
    role = ""
    if entry.actor_role:
        role_field = _field(_model("accounts.user"), "role")
        role = str(dict(role_field.flatchoices).get(entry.actor_role, "")) if role_field else ""
    return f"{role} {entry.actor_name}".strip()


def _what(entry: AuditEntry, policy: TargetPolicy, model) -> str:
    kind = str(model._meta.verbose_name) if model is not None else ""
    if entry.target_type == "cases.case":
        return OF_CASE.format(number=entry.case_number or entry.target_repr or entry.target_id)
    if entry.case_number and not policy.administrative:
        kind = kind or str(UNKNOWN_KIND)
        return IN_CASE.format(number=entry.case_number, kind=kind, id=entry.target_id)
    if entry.target_type == "url":
        return PAGE.format(path=entry.target_repr)
    if entry.target_type == "accounts.user":
        return ACCOUNT.format(label=entry.target_repr or f"#{entry.target_id}")
    label = entry.target_repr if policy.clear_label else ""
    if label:
        return NAMED_OBJECT.format(kind=kind, label=label).strip() if kind else label
    if entry.target_id:
        return OBJECT.format(kind=kind or UNKNOWN_KIND, id=entry.target_id)
    return kind or str(UNKNOWN_KIND)


def _recorded(entry: AuditEntry, policy: TargetPolicy) -> tuple[dict[str, Any], list[str]]:
    """(values that may be shown, names of the sealed fields), whatever the entry's format."""
    clear: dict[str, Any] = {}
    sealed: list[str] = list((entry.sealed or {}).get("fields", {}))
    changes = entry.changes or {}
    if entry.action in policy.record_keyed_actions and "records" not in changes:
        # Format 1 stored the records themselves: keep their field names only.
        names = sorted({n for diff in changes.values() if isinstance(diff, dict) for n in diff})
        return {"records": len(changes), "fields": names}, []
    for name, value in changes.items():
        if policy.value_is_clear(name):
            clear[name] = value
        else:
            sealed.append(name)
    return clear, sealed


def describe(entry: AuditEntry) -> Described:
    policy = policy_for(entry.target_type)
    model = _model(FIELD_MODELS.get(entry.target_type, entry.target_type))
    clear, sealed = _recorded(entry, policy)
    who = _who(entry)
    what = _what(entry, policy, _model(entry.target_type))
    steps = _choices_of(model, "action")
    step = ""
    if "action" in clear and not policy.administrative:
        step = str(steps.get(clear["action"], clear["action"]))
    if entry.action == AuditEntry.Action.TRANSITION:
        sentence = TRANSITION.format(who=who, what=what, step=step or entry.action_label)
        state = clear.get("state")
        if isinstance(state, list) and len(state) == 2 and state[0]:
            states = _choices_of(model, "state")
            sentence += TRANSITION_STATE.format(
                old=_value(state[0], states), new=_value(state[1], states)
            )
    else:
        template = VERBS.get(entry.action, _("{who} {what}"))
        sentence = template.format(who=who, what=what)
        if entry.action in {AuditEntry.Action.UPDATE, AuditEntry.Action.SETTINGS_CHANGE}:
            named = [n for n in [*clear, *sealed] if n not in {"case", "action", "state", "party"}]
            if named:
                sentence += FIELDS.format(fields=join_list(field_label(model, n) for n in named))
        if step:
            sentence += STEP.format(step=step)
    if entry.outcome != AuditEntry.Outcome.SUCCESS:
        sentence += NOT_DONE.format(outcome=entry.get_outcome_display())
    pair = entry.action in {
        AuditEntry.Action.UPDATE,
        AuditEntry.Action.SETTINGS_CHANGE,
        AuditEntry.Action.CREATE,
        AuditEntry.Action.TRANSITION,
    }
    lines = [
        Line(field_label(model, n), _shown(n, v, model, pair=pair))
        for n, v in clear.items()
        if n not in {"action"}
    ]
    lines += [Line(field_label(model, n), str(SEALED_VALUE)) for n in sealed]
    if entry.detail and policy.clear_detail:
        lines.append(Line(_t("说明"), entry.detail))
    elif entry.detail or (entry.sealed or {}).get("detail"):
        lines.append(Line(_t("说明"), str(SEALED_VALUE)))
    return Described(sentence=sentence, lines=tuple(lines))
