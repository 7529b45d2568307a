"""From case rows to the context dict each document template is filled with.

The shape of every context is the one of samples.py (a test renders both with
the same templates). Free text typed by officers is split into paragraphs and
given full-width punctuation; article texts are quoted from the rulebook. The
reasoning of a decision is the stored assessment's own explanation, step by
step, each step followed by the text of the articles it cites the first time
they are cited.

`check_ready` refuses, with a Chinese message naming what is missing, a
document the case cannot have yet; `build` assumes it passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accountability.assessment.current import rulebook_versions, version_in_force
from accountability.cases.models import (
    Appeal,
    ArchiveRecord,
    Case,
    CaseParty,
    CityFiling,
    Decision,
    Delivery,
    Hearing,
    InvestigationReport,
    Outcome,
    Rectification,
    TeamMembership,
)
from accountability.cases.workflow import Action
from accountability.common import vocabulary
from accountability.common.errors import DomainError
from accountability.documents.constants import default_organ, number_prefix
from accountability.documents.formatting import (
    chinese_ordinal,
    cn_date,
    join_cn,
    paragraphs,
    typeset,
)
from accountability.documents.kinds import DocumentKind
from accountability.documents.quotes import article, humanise, quote_text, refs_in, sorted_refs
from accountability.people.models import Organisation
from rulebook import regulation

MSG_NEEDS_PARTY = "请选择被调查人。"
MSG_PARTY_NOT_IN_CASE = "所选人员不是本案的被调查人。"
MSG_NEEDS_REPORT = "本案尚未提交调查报告，不能生成调查报告。"
MSG_NEEDS_DECISION = "{name}尚无责任追究决定，不能生成{document}。"
MSG_NEEDS_ISSUED_DECISION = "{name}的责任追究决定书尚未印发，不能生成{document}。"
MSG_NEEDS_RECIPIENT = "请选择受送达人：被追究责任者本人或其所在单位。"
MSG_NEEDS_ALL_ISSUED = "本案还有被调查人的责任追究决定书尚未印发（{names}），不能生成备案报告。"
MSG_NEEDS_APPEAL = "请选择申诉。"
MSG_APPEAL_NOT_IN_CASE = "所选申诉不属于本案。"
MSG_NEEDS_REVIEWED_APPEAL = "该申诉尚未复查，不能生成申诉复查决定书。"
MSG_NO_CRIMINAL = "本案没有情节认定为“涉嫌犯罪”的被调查人，不需要移送函。"
MSG_CRIMINAL_NOT_DECIDED = "涉嫌犯罪的被调查人（{names}）尚未作出决定，不能生成移送函。"

CRIMINAL = vocabulary.referral_severity()

_APPEAL_REF = "第十六条"
_RESTRICTION_REF = "第十七条"


# --- organs and numbers -----------------------------------------------------------------


def _formal_name(org: Organisation) -> str:
    """昭通市纪委监委 → 中共昭通市纪律检查委员会 (the name a document is signed with)."""
    name = org.name
    if name.endswith("纪委监委"):
        return f"中共{name[: -len('纪委监委')]}纪律检查委员会"
    return name


def organ_for(org: Organisation | None) -> dict[str, str]:
    """The names printed on a document issued by `org` (the county's come from settings)."""
    if org is None or org.kind == Organisation.Kind.COUNTY_COMMISSION:
        organ = default_organ()
        organ.setdefault("committee", "县纪委常委会")
        return organ
    parent = org.parent
    level = "市" if org.kind == Organisation.Kind.CITY_COMMISSION else ""
    formal = _formal_name(org)
    return {
        "mark": formal,
        "name": formal,
        "short_name": org.name,
        "office": f"{level}纪委监委纪检监察干部监督室",
        "superior": _formal_name(parent) if parent else "上级纪检监察机关",
        "superior_office": f"{parent.name}纪检监察干部监督室" if parent else "上级纪检监察机关",
        "archive_department": f"{level}纪委监委组织部",
        "judicial_organ": default_organ()["judicial_organ"],
        "committee": f"{level}纪委常委会" if level else f"{org.name}常委会",
    }


def number_prefix_for(org: Organisation | None) -> str:
    """机关代字 of `org`: the county's from settings; another organ's from its name."""
    if org is None or org.kind == Organisation.Kind.COUNTY_COMMISSION:
        return number_prefix()
    return f"{org.name[:1]}纪监干"


# --- reasoning --------------------------------------------------------------------------


def _reasoning(explanation: list[str], quoted: set[str]) -> list[dict[str, Any]]:
    """Steps of an explanation, each with the articles it cites quoted once."""
    steps = []
    for sentence in explanation:
        sentence = humanise(sentence)
        quotes = []
        for ref in refs_in(sentence):
            if ref in quoted:
                continue
            quoted.add(ref)
            text = quote_text(ref)
            # Sentences that already quote the article inline need no second quote.
            if text.rstrip("。；;") in sentence:
                continue
            quotes.append({"ref": typeset(ref), "text": text})
        steps.append({"text": sentence, "quotes": quotes})
    for number, step in enumerate(steps, start=1):
        step["number"] = f"（{chinese_ordinal(number)}）"
    return steps


# --- shared pieces ----------------------------------------------------------------------


def _person(party: CaseParty) -> dict[str, str]:
    person = party.person
    role = party.role or person.role
    return {
        "name": person.name,
        "unit": person.unit.name,
        "post": person.post,
        "role": role,
        "role_text": f"责任主体类别为{role}（第五条）" if role else "",
    }


def _person_line(party: CaseParty) -> str:
    p = _person(party)
    role = f"（{p['role']}）" if p["role"] else ""
    return f"{p['name']}，{p['unit']}{p['post']}{role}"


def _names(parties: list[CaseParty]) -> str:
    if len(parties) == 1:
        return f"{parties[0].person.name}同志"
    return f"{parties[0].person.name}等{len(parties)}名同志"


def _parties(case: Case) -> list[CaseParty]:
    return list(case.parties.select_related("person__unit").order_by("id"))


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or getattr(user, "username", "")


def _statement(party: CaseParty) -> list[str]:
    hearing = Hearing.objects.filter(party=party).order_by("-held_on", "-id").first()
    name = party.person.name
    if hearing is None:
        return []
    if hearing.refused:
        record = typeset(hearing.refusal_record.strip().rstrip("。"))
        detail = f"，{record}" if record else ""
        return [f"{cn_date(hearing.held_on)}，{name}同志拒绝陈述和申辩{detail}，已记录在案。"]
    lines = []
    if hearing.statement.strip():
        lines.append(f"{name}同志在陈述中称：{typeset(hearing.statement.strip())}")
    if hearing.defence.strip():
        lines.append(f"其申辩意见为：{typeset(hearing.defence.strip())}")
    return lines


def _measures_text(measures: list[str]) -> str:
    return join_cn([typeset(m) for m in measures])


def _kind_of(measure: str) -> str:
    """The kind of a measure (党纪处分, 问责处理 …) in the newest version that names it."""
    for version in reversed(rulebook_versions()):
        found = version.catalogue.get(measure)
        if found is not None:
            return found.kind
    return ""


def _given_text(measures: list[str]) -> str:
    """诫勉处理 / 党内警告处分 / 党内警告处分、免职处理: a sanction reads 处分, not 处理."""
    sanctions = [m for m in measures if _kind_of(m) in ("党纪处分", "政务处分")]
    handling = [m for m in measures if m not in sanctions]
    given = []
    if sanctions:
        given.append(f"{_measures_text(sanctions)}处分")
    if handling:
        given.append(f"{_measures_text(handling)}处理")
    return "、".join(given)


def _outcome_sentence(name: str, outcome: str, measures: list[str]) -> str:
    if outcome == Outcome.NOT_PURSUE:
        return f"对{name}同志不予追究责任。"
    if outcome == Outcome.REVOKED:
        return f"撤销对{name}同志的责任追究决定。"
    return f"对{name}同志给予{_given_text(measures)}。"


def _common(
    organ: dict[str, str], *, number: str, issued_on: date, copy_to: list[str]
) -> dict[str, Any]:
    return {
        "organ": organ,
        "number": number,
        "date": cn_date(issued_on),
        "copy_to": "，".join(c for c in copy_to if c),
        "printed_by": organ["office"],
        "printed_on": cn_date(issued_on),
    }


def _current_report(case: Case) -> InvestigationReport | None:
    return case.reports.filter(returned_at__isnull=True).order_by("-number").first()


def _decision(party: CaseParty) -> Decision | None:
    try:
        return Decision.objects.select_related("current_version", "meeting").get(party=party)
    except Decision.DoesNotExist:
        return None


def _registered_on(case: Case) -> date | None:
    """The day the clue was registered with its handling opinion, as the log recorded it."""
    entry = case.log.filter(action=Action.CLUE_REGISTER).order_by("id").first()
    if entry is not None and entry.occurred_on is not None:
        return entry.occurred_on
    return timezone.localtime(case.created_at).date() if case.created_at else None


def recorded_date(kind: str, subject: Subject) -> date | None:
    """The day of the step a document of ``kind`` records, as the case recorded it (the
    approval, the report, the decision, the archiving, the filing): the document's date when
    none is given, so that a case entered after the fact has documents of its own dates."""
    kind = DocumentKind(kind)
    case, party = subject.case, subject.party
    if kind == DocumentKind.INTAKE_APPROVAL:
        return case.approved_on
    if kind == DocumentKind.INVESTIGATION_REPORT:
        report = _current_report(case)
        return report.submitted_on if report is not None else None
    if kind == DocumentKind.ASSESSMENT_SHEET and party is not None:
        row = _decision(party)
        return row.decided_on if row is not None else None
    if kind == DocumentKind.FILING_REPORT:
        filing = CityFiling.objects.filter(case=case).order_by("-filed_on").first()
        return filing.filed_on if filing is not None else None
    if kind == DocumentKind.DOSSIER_INDEX:
        archive = ArchiveRecord.objects.filter(case=case).order_by("-archived_on").first()
        return archive.archived_on if archive is not None else None
    return None


# --- readiness --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a document is about: the case, and for some kinds a person, recipient or appeal."""

    case: Case
    party: CaseParty | None = None
    recipient: str = ""
    appeal: Appeal | None = None


def check_ready(kind: str, subject: Subject) -> None:
    """Raise DomainError when the case cannot have this document yet."""
    kind = DocumentKind(kind)
    label = kind.label
    case, party = subject.case, subject.party
    needs_party = {
        DocumentKind.DECISION,
        DocumentKind.DELIVERY_RECEIPT,
        DocumentKind.DOSSIER_INDEX,
        DocumentKind.ASSESSMENT_SHEET,
    }
    if kind in needs_party:
        if party is None:
            raise DomainError(MSG_NEEDS_PARTY, field="party", code="party_required")
        if party.case_id != case.pk:
            raise DomainError(MSG_PARTY_NOT_IN_CASE, field="party", code="party_not_in_case")
    if kind == DocumentKind.INVESTIGATION_REPORT and _current_report(case) is None:
        raise DomainError(MSG_NEEDS_REPORT, field="kind", code="not_ready")
    if kind in {DocumentKind.DECISION, DocumentKind.ASSESSMENT_SHEET}:
        decision = _decision(party)  # type: ignore[arg-type]
        if decision is None or decision.current_version is None:
            raise DomainError(
                MSG_NEEDS_DECISION.format(name=party.person.name, document=label),  # type: ignore[union-attr]
                field="party",
                code="not_ready",
            )
    if kind in {DocumentKind.DELIVERY_RECEIPT, DocumentKind.DOSSIER_INDEX}:
        decision = _decision(party)  # type: ignore[arg-type]
        if decision is None or not decision.document_number:
            raise DomainError(
                MSG_NEEDS_ISSUED_DECISION.format(name=party.person.name, document=label),  # type: ignore[union-attr]
                field="party",
                code="not_ready",
            )
    if kind == DocumentKind.DELIVERY_RECEIPT and subject.recipient not in Delivery.Recipient.values:
        raise DomainError(MSG_NEEDS_RECIPIENT, field="recipient", code="recipient_required")
    if kind == DocumentKind.FILING_REPORT:
        missing = [
            p.person.name
            for p in _parties(case)
            if (d := _decision(p)) is None or not d.document_number
        ]
        if missing:
            raise DomainError(
                MSG_NEEDS_ALL_ISSUED.format(names="、".join(missing)),
                field="kind",
                code="not_ready",
            )
    if kind == DocumentKind.APPEAL_REVIEW:
        appeal = subject.appeal
        if appeal is None:
            raise DomainError(MSG_NEEDS_APPEAL, field="appeal", code="appeal_required")
        if appeal.decision.party.case_id != case.pk:
            raise DomainError(MSG_APPEAL_NOT_IN_CASE, field="appeal", code="appeal_not_in_case")
        if appeal.status != Appeal.Status.REVIEWED:
            raise DomainError(MSG_NEEDS_REVIEWED_APPEAL, field="appeal", code="not_ready")
    if kind == DocumentKind.TRANSFER_LETTER:
        criminal = [p for p in _parties(case) if p.severity == CRIMINAL]
        if not criminal:
            raise DomainError(MSG_NO_CRIMINAL, field="kind", code="not_ready")
        undecided = [p.person.name for p in criminal if _decision(p) is None]
        if undecided:
            raise DomainError(
                MSG_CRIMINAL_NOT_DECIDED.format(names="、".join(undecided)),
                field="kind",
                code="not_ready",
            )


def document_title(kind: str, subject: Subject) -> str:
    label = DocumentKind(kind).label
    if subject.appeal is not None:
        return f"{label}（{subject.appeal.decision.party.person.name}）"
    if subject.party is None:
        return str(label)
    name = subject.party.person.name
    if kind == DocumentKind.DELIVERY_RECEIPT:
        whom = "本人" if subject.recipient == Delivery.Recipient.PERSON else "所在单位"
        return f"{label}（{name}{whom}）"
    return f"{label}（{name}）"


def issuing_organ(kind: str, subject: Subject) -> Organisation:
    """The organ a document goes out under: the reviewing organ for an appeal review."""
    if kind == DocumentKind.APPEAL_REVIEW and subject.appeal is not None:
        return subject.appeal.reviewing_organ
    return subject.case.handling_organ


# --- the builders -----------------------------------------------------------------------


def intake_approval(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case = subject.case
    organ = organ_for(case.handling_organ)
    parties = _parties(case)
    informant = "已登记（依规保密，本表不记载）" if case.has_informant else "（无）"
    approver = case.approved_by
    approver_role = getattr(approver, "role", "")
    approvals: list[dict[str, str]] = []
    if approver is not None:
        label = {
            "office_head": "监督室负责人意见",
            "leader": "分管领导意见",
            "city_officer": "上级机关意见",
        }.get(approver_role, "审批意见")
        text = case.approval_opinion or (
            f"不予受理。理由：{case.rejection_reason}" if case.rejection_reason else ""
        )
        approvals.append(
            {
                "label": label,
                "text": typeset(text),
                "name": _user_name(approver),
                "date": cn_date(case.approved_on),
            }
        )
    else:
        # Before approval the form is the paper the approvers sign.
        for label in ("监督室负责人意见", "分管领导意见"):
            approvals.append({"label": label, "text": "", "name": "", "date": "　年　月　日"})
    if case.rejection_reason:
        result = f"{cn_date(case.approved_on)}决定不予受理。理由：{typeset(case.rejection_reason)}"
    elif case.approved_on:
        result = f"{cn_date(case.approved_on)}批准受理。"
    else:
        result = "待审批。"
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[])
    context.update(
        {
            "case": {
                "reference": case.number,
                "title": f"{_names(parties)}有关问题" if parties else case.number,
                "source": case.get_source_display(),
                "received_on": cn_date(case.received_on),
                "informant": informant,
                "registered_by": _user_name(case.registered_by),
                "summary": paragraphs(case.summary),
            },
            "persons": [{"line": _person_line(p)} for p in parties],
            "opinion": {
                "text": paragraphs(case.handling_opinion) or ["（未填写）"],
                "name": _user_name(case.registered_by),
                "date": cn_date(_registered_on(case)),
            },
            "approvals": approvals,
            "result": result,
        }
    )
    return context


def _team_text(case: Case) -> str:
    members = list(
        TeamMembership.objects.filter(case=case, left_on__isnull=True).select_related("user")
    )
    if not members:
        return ""
    leaders = [_user_name(m.user) for m in members if m.is_leader]
    others = [_user_name(m.user) for m in members if not m.is_leader]
    parts = []
    if leaders:
        parts.append(f"组长：{'、'.join(leaders)}")
    if others:
        parts.append(f"成员：{'、'.join(others)}")
    return "；".join(parts)


def _assessment_lines(assessment: dict[str, Any]) -> list[str]:
    lines = [humanise(s) for s in assessment.get("explanation", [])]
    tier = assessment.get("tier")
    measures = assessment.get("measures") or []
    if tier:
        summary = f"测算结果：适用“{tier}”档处理，可选措施为{_measures_text(list(measures))}"
        reduced = assessment.get("reduced_measures") or []
        if reduced:
            summary += f"；具有从轻或者减轻情节，减轻的可适用{_measures_text(list(reduced))}"
        lines.append(summary + "。")
    for warning in assessment.get("warnings") or []:
        lines.append(f"提示：{typeset(warning)}")
    return lines


def investigation_report(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case = subject.case
    organ = organ_for(case.handling_organ)
    report = _current_report(case)
    assert report is not None  # check_ready
    findings = list(report.findings.select_related("party__person__unit").order_by("id"))
    parties = [f.party for f in findings] or _parties(case)
    team = _team_text(case)
    intro = (
        f"{cn_date(case.received_on)}，{organ['office']}收到反映{_names(parties)}有关问题的线索"
        f"（来源：{case.get_source_display()}）"
    )
    if case.approved_on:
        intro += f"，经报批于{cn_date(case.approved_on)}受理"
    intro += "。"
    if team:
        formed = f"{cn_date(case.team_formed_on)}，" if case.team_formed_on else ""
        intro += f"{formed}{organ['office']}组织相关部室成立调查组（{team}），开展了调查核实，"
        intro += "听取了被调查人的陈述和申辩。"
    intro += "现将调查情况报告如下。"
    refs: set[str] = set()
    persons = []
    for index, finding in enumerate(findings, start=1):
        party = finding.party
        person = _person(party)
        assessment = dict(finding.assessment or {})
        refs.update(assessment.get("citations") or [])
        name = person["name"]
        if finding.recommendation == Outcome.NOT_PURSUE:
            recommendation = f"建议对{name}同志不予追究责任。"
        else:
            recommendation = f"建议对{name}同志给予{_given_text(list(finding.measures))}。"
        departure = ""
        if finding.departs:
            departure = f"上述建议与测算措施不一致，理由：{typeset(finding.departure_reason)}"
        persons.append(
            {
                "heading": f"（{chinese_ordinal(index)}）{name}同志的问题",
                "profile": f"{name}，{person['unit']}{person['post']}，{person['role_text']}。",
                "facts": paragraphs(party.facts) or ["（事实认定未填写）"],
                "statement": _statement(party),
                "assessment": _assessment_lines(assessment),
                "recommendation": recommendation,
                "departure": departure,
            }
        )
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[])
    context.update(
        {
            "title": f"关于{_names(parties)}有关问题的调查报告",
            "addressee": organ["committee"],
            "signed_by": "调查组",
            "intro": [intro, *paragraphs(report.summary)],
            "persons": persons,
            "closing": ["以上报告，请审议。"],
            "articles": [article(r) for r in sorted_refs(refs)],
        }
    )
    context["date"] = cn_date(report.submitted_on)
    return context


def _version_on(decision: Decision, day: date) -> Any:
    """The decision as it stood on `day`: a document dated before an appeal review changed
    it shows the committee's version, one dated after shows the review's."""
    version = decision.versions.filter(effective_on__lte=day).order_by("-number").first()
    return version or decision.current_version


def _about_appeal_or_restrictions(sentence: str) -> bool:
    """Sentences of an explanation that the appeal review states in its own words."""
    refs = set(refs_in(sentence))
    return bool({_APPEAL_REF, _RESTRICTION_REF} & refs) or sentence.startswith("影响期")


# --- the decision: an organ's words ----------------------------------------------------
#
# A decision document speaks as the organ that decides (the layout of a 处分决定 or 问责决定):
# the person's particulars, 经查 and the facts, the finding with the articles it rests on,
# the decision, what follows from it, the right to appeal, the organ and the date. How the
# decision was measured (the rulebook's trace, its version and interpretations) is the case
# file's business: the assessment sheet (责任追究测算表) records it.

MEASURE_KIND_SANCTION = frozenset({"党纪处分", "政务处分"})
MEASURE_KIND_RECTIFICATION = "整改"
MEASURE_KIND_REFERRAL = "移送"
RECTIFICATION_MEASURE = "责令限期整改"
SHORT_TITLE = "《办法》"


class _Titles:
    """The regulation's title: in full, with 以下简称, where a document first names it."""

    def __init__(self) -> None:
        self.named = False

    def __call__(self) -> str:
        if self.named:
            return SHORT_TITLE
        self.named = True
        return f"《{typeset(regulation.TITLE)}》（以下简称{SHORT_TITLE}）"


def _version_for(assessment: dict[str, Any], day: date | None) -> Any:
    """The rulebook version the stored assessment was made with (else the one in force)."""
    version_id = assessment.get("rulebook")
    if version_id:
        for version in rulebook_versions():
            if version.id == version_id:
                return version
    return version_in_force(day or timezone.localdate())


def particulars(person: Any) -> str:
    """张三，男，1985年生，中共党员，现任某室副主任。 (name, sex, birth, political status, post)"""
    parts = [person.name]
    if person.gender:
        parts.append(person.gender)
    if person.birth_year:
        parts.append(f"{person.birth_year}年生")
    parts.append("中共党员" if person.is_party_member else "群众")
    unit = person.unit.name
    parts.append(f"现任{unit}{person.post}" if person.post else f"现在{unit}工作")
    return "，".join(parts) + "。"


def _item_clause(ref: str) -> str:
    """第八条第（三）项“执纪问责……的” (the item quoted without its closing ；or 。)."""
    return f"{typeset(ref)}“{quote_text(ref).rstrip('。；;')}”"


def _finding(
    name: str, inputs: dict[str, Any], assessment: dict[str, Any], version: Any, title: _Titles
) -> tuple[list[str], list[str]]:
    """The finding (认定) in the organ's words, and the references it rests on."""
    role = inputs.get("role") or ""
    circumstance = inputs.get("circumstance")
    severity = inputs.get("severity") or assessment.get("tier") or ""
    refs: list[str] = []
    lines: list[str] = []
    first = f"{name}同志"
    if role:
        first += f"作为{role}"
    item = version.circumstances.get(circumstance) if circumstance else None
    if item is not None:
        refs.append(item.ref)
        first += f"，其上述行为属于{title()}{_item_clause(item.ref)}所列情形"
    else:
        first += "，其上述行为造成了不良后果"
    tier_words = {
        "较轻": "情节较轻",
        "较重": "情节较重",
        "严重": "情节严重",
        "涉嫌犯罪": "涉嫌犯罪",
    }
    judged = tier_words.get(severity, f"情节{severity}" if severity else "")
    if inputs.get("violates_discipline") and severity != "涉嫌犯罪":
        judged = f"{judged}，构成违纪" if judged else "构成违纪"
    lines.append(f"{first}{'，' + judged if judged else ''}。")
    for number in sorted(set(inputs.get("lighter") or [])):
        factor = version.lighter.get(number)
        if factor is None:
            continue
        refs.append(factor.ref)
        lines.append(
            f"{name}同志具有{title()}{_item_clause(factor.ref)}情节，"
            f"可以{version.lighter_adjustment}追究责任。"
        )
    heavier = sorted(set(inputs.get("heavier") or []))
    count = int(assessment.get("accountable_in_year") or 1)
    if count >= version.repeat_threshold and version.repeat_item not in heavier:
        heavier.insert(0, version.repeat_item)
    for number in heavier:
        factor = version.heavier.get(number)
        if factor is None:
            continue
        refs.append(factor.ref)
        detail = f"一年内被追究责任{count}次（含本次），" if number == version.repeat_item else ""
        lines.append(
            f"{name}同志{detail}属于{title()}{_item_clause(factor.ref)}情形，"
            f"应当{version.heavier_adjustment}追究责任。"
        )
    return lines, refs


def _measure_kind(version: Any, measure: str) -> str:
    found = version.catalogue.get(measure)
    return found.kind if found is not None else ""


def _sanction_bases(version: Any, measures: list[str]) -> list[str]:
    """《中国共产党纪律处分条例》第八条 …: the article each sanction rests on (the first one a
    measure's table names: a 政务处分 rests on the 政务处分法, which prevails)."""
    bases: list[str] = []
    for measure in measures:
        found = version.catalogue.get(measure)
        if found is None or found.kind not in MEASURE_KIND_SANCTION or not found.basis:
            continue
        basis = typeset(found.basis.split(";")[0].split("；")[0].strip())
        if basis and basis not in bases:
            bases.append(basis)
    return bases


def _decision_sentence(
    name: str,
    outcome: str,
    measures: list[str],
    version: Any,
    *,
    refs: list[str],
    tier: str,
    meeting: str,
    title: _Titles,
) -> str:
    """依据……的规定，经……会议研究，决定给予某某同志诫勉处理（党纪处分：……处分）。"""
    tier_row = version.tiers.get(tier)
    cited = {*refs, tier_row.ref if tier_row is not None else "第十条"}
    county = f"{title()}{'、'.join(typeset(r) for r in sorted_refs(cited))}"
    if outcome == Outcome.NOT_PURSUE:
        return f"依据{county}的规定，经{meeting}研究，决定对{name}同志不予追究责任。"
    if outcome == Outcome.REVOKED:
        return f"经{meeting}研究，决定撤销对{name}同志的责任追究决定。"
    sanctions = [m for m in measures if _measure_kind(version, m) in MEASURE_KIND_SANCTION]
    others = (*MEASURE_KIND_SANCTION, MEASURE_KIND_RECTIFICATION, MEASURE_KIND_REFERRAL)
    handling = [m for m in measures if _measure_kind(version, m) not in others]
    bases = _sanction_bases(version, sanctions)
    basis = f"{'、'.join(bases)}和{county}" if bases else county
    given = []
    if sanctions:
        given.append(f"{_measures_text(sanctions)}处分")
    if handling:
        given.append(f"{_measures_text(handling)}处理")
    if given:
        what = f"给予{name}同志{'、'.join(given)}"
    elif RECTIFICATION_MEASURE in measures:
        what = f"责令{name}同志限期整改"
    else:
        what = f"对{name}同志追究责任"
    return f"依据{basis}的规定，经{meeting}研究，决定{what}。"


def _restriction_lines(
    name: str,
    assessment: dict[str, Any],
    decided_on: date | None = None,
    *,
    title: _Titles | None = None,
) -> list[str]:
    """Art 17 in the decision: each restriction in its source's words, with its period and
    the regulation it comes from.

    A restriction that starts after the decision (留党察看: once the probation ends) names its
    first day. The periods count from the day the decision is made (作出决定之日), not from
    its delivery or the end of the appeal period. A period that is a setting of the rulebook
    version, for want of a confirmed source, names no source here (the assessment sheet says
    so). An assessment stored before restrictions had labels names only a kind.
    """
    rows = [row for row in assessment.get("restrictions") or [] if row.get("until")]
    starts = [row["start"] for row in rows if row.get("start")]
    decided = decided_on.isoformat() if decided_on else min(starts, default="")
    parts = []
    for row in rows:
        until = cn_date(date.fromisoformat(row["until"]))
        label = row.get("label") or f"不得{row['kind']}"
        start = row.get("start") or decided
        if start > decided:
            period = f"{cn_date(date.fromisoformat(start))}至{until}"
        else:
            period = f"{until}前"
        source = ""
        if row.get("certainty") != "U":
            source = typeset(str(row.get("basis", "")).split(":")[0].split("(")[0]).strip()
        parts.append(f"{period}{label}（依据：{source}）" if source else f"{period}{label}")
    if not parts:
        return []
    according = f"依照{(title or _Titles())()}第十七条"
    return [f"{according}的规定，{name}同志自本决定作出之日起，{'；'.join(parts)}。"]


def _appeal_section(
    party: CaseParty,
    decision: Decision,
    organ: dict[str, str],
    outcome: str,
    issued_on: date,
    *,
    title: _Titles,
) -> dict[str, str]:
    name = party.person.name
    if outcome != Outcome.PURSUE:
        return {"text": "", "deadline_text": ""}
    version = version_in_force(decision.decided_on)
    text = (
        f"{name}同志如对本决定不服，可以依照{title()}{typeset(version.appeal_ref)}的规定，"
        f"自接到本决定之日起{version.appeal_days}日内，"
        f"向{organ['name']}或者{organ['superior']}提出书面申诉。"
        "申诉期间，不停止本决定的执行。"
    )
    deadline_text = ""
    # Once delivered, a document made on or after the delivery states the deadline.
    delivery = decision.deliveries.filter(
        recipient=Delivery.Recipient.PERSON, delivered_on__lte=issued_on, withdrawn_at__isnull=True
    ).first()
    if delivery is not None and decision.appeal_deadline is not None:
        deadline_text = (
            f"本决定于{cn_date(delivery.delivered_on)}送达本人，"
            f"申诉期限至{cn_date(decision.appeal_deadline)}届满。"
        )
    return {"text": text, "deadline_text": deadline_text}


def _facts_paragraphs(party: CaseParty, case: Case) -> list[str]:
    """经查 and the facts as found; the officer's own 经查 is not doubled."""
    facts = paragraphs(party.facts) or paragraphs(case.summary) or ["（事实认定未填写）"]
    if not facts[0].startswith("经查"):
        facts[0] = f"经查，{facts[0]}"
    return facts


def decision(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case, party = subject.case, subject.party
    assert party is not None
    organ = organ_for(case.handling_organ)
    row = _decision(party)
    assert row is not None and row.current_version is not None  # check_ready
    version_row = _version_on(row, issued_on)
    person = _person(party)
    name = person["name"]
    assessment = dict(version_row.assessment or {})
    inputs = dict(version_row.inputs or {}) or {
        "role": party.role,
        "circumstance": party.circumstance,
        "severity": party.severity,
        "violates_discipline": party.violates_discipline,
        "lighter": list(party.lighter or []),
        "heavier": list(party.heavier or []),
    }
    rules = _version_for(assessment, row.decided_on)
    title = _Titles()
    finding, refs = _finding(name, inputs, assessment, rules, title)
    meeting = f"{cn_date(row.meeting.held_on)}{organ['committee']}会议"
    measures = list(version_row.measures or [])
    tier = str(assessment.get("tier") or inputs.get("severity") or "")
    decision_text = [
        _decision_sentence(
            name,
            version_row.outcome,
            measures,
            rules,
            refs=refs,
            tier=tier,
            meeting=meeting,
            title=title,
        )
    ]
    # The rectification as it stood on the document's date (a later review may cancel it).
    rectification = (
        Rectification.objects.filter(decision=row)
        .filter(Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=issued_on))
        .order_by("deadline")
        .first()
    )
    if (
        rectification is not None
        and version_row.outcome == Outcome.PURSUE
        and RECTIFICATION_MEASURE in measures
    ):
        decision_text.append(
            f"责令{name}同志于{cn_date(rectification.deadline)}前完成整改，"
            f"并向{organ['office']}书面报告整改情况。"
        )
    if "移送司法机关依法处理" in measures:
        decision_text.append(f"{name}同志涉嫌犯罪的问题，移送司法机关依法处理。")
    restrictions = (
        _restriction_lines(name, assessment, row.decided_on, title=title)
        if version_row.outcome == Outcome.PURSUE
        else []
    )
    context = _common(
        organ,
        number=number,
        issued_on=issued_on,
        copy_to=[organ["archive_department"], organ["superior_office"], person["unit"]],
    )
    context.update(
        {
            "title": "责任追究决定书",
            "person": {**person, "particulars": particulars(party.person)},
            "facts": _facts_paragraphs(party, case),
            "statement": _statement(party),
            "finding": finding,
            "decision_text": decision_text,
            "restrictions": restrictions,
            "appeal": _appeal_section(
                party, row, organ, version_row.outcome, issued_on, title=title
            ),
            "decided_on": cn_date(row.decided_on),
        }
    )
    return context


# --- the assessment sheet: how the decision was measured --------------------------------

CERTAINTY_WORDS = {
    "V": "已核对上位规定原文",
    "P": "依据公开资料转引的上位规定",
    "U": "未查到上位规定原文，为本版本的设置",
}


def assessment_sheet(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    """责任追究测算表: the case file's record of the measuring of one person's decision."""
    case, party = subject.case, subject.party
    assert party is not None
    organ = organ_for(case.handling_organ)
    row = _decision(party)
    assert row is not None and row.current_version is not None  # check_ready
    version_row = _version_on(row, issued_on)
    assessment = dict(version_row.assessment or {})
    inputs = dict(version_row.inputs or {})
    rules = _version_for(assessment, row.decided_on)
    name = party.person.name
    circumstance = rules.circumstances.get(inputs.get("circumstance") or party.circumstance)
    facts_rows = [
        {"label": "责任主体类别", "text": f"{inputs.get('role') or party.role or '—'}（第五条）"},
        {
            "label": "情形",
            "text": f"{typeset(circumstance.ref)}：{quote_text(circumstance.ref)}"
            if circumstance is not None
            else "—",
        },
        {
            "label": "情节",
            "text": (inputs.get("severity") or party.severity or "—")
            + ("，构成违纪" if inputs.get("violates_discipline") else ""),
        },
    ]
    lighter = [
        rules.lighter[i] for i in sorted(set(inputs.get("lighter") or [])) if i in rules.lighter
    ]
    heavier = [
        rules.heavier[i] for i in sorted(set(inputs.get("heavier") or [])) if i in rules.heavier
    ]
    facts_rows.append(
        {
            "label": "从轻减轻情节",
            "text": "；".join(f"{typeset(f.ref)}：{quote_text(f.ref)}" for f in lighter) or "无",
        }
    )
    facts_rows.append(
        {
            "label": "从重情节",
            "text": "；".join(f"{typeset(f.ref)}：{quote_text(f.ref)}" for f in heavier) or "无",
        }
    )
    facts_rows.append(
        {
            "label": "一年内被追究次数",
            "text": f"{assessment.get('accountable_in_year') or 1}次（含本次）",
        }
    )
    reduced = assessment.get("reduced_measures") or []
    tier = str(assessment.get("tier") or "")
    open_measures = assessment.get("measures") or []
    outcome_rows = [
        {
            "label": "适用档次",
            "text": f"情节{tier}（第十条）" if tier else "—",
        },
        {"label": "可选措施", "text": _measures_text(list(open_measures)) or "—"},
    ]
    if reduced:
        outcome_rows.append({"label": "减轻后可选措施", "text": _measures_text(list(reduced))})
    decided = _outcome_sentence(name, version_row.outcome, list(version_row.measures or []))
    outcome_rows.append({"label": "决定结果", "text": f"{cn_date(row.decided_on)}，{decided}"})
    if version_row.departs:
        outcome_rows.append(
            {
                "label": "与测算不一致的理由",
                "text": typeset(version_row.reason) or "（未填写）",
            }
        )
    restrictions = []
    for item in assessment.get("restrictions") or []:
        if not item.get("until"):
            continue
        start = item.get("start") or row.decided_on.isoformat()
        restrictions.append(
            {
                "label": item.get("label") or f"不得{item['kind']}",
                "period": f"{cn_date(date.fromisoformat(start))}至"
                f"{cn_date(date.fromisoformat(item['until']))}",
                "measure": typeset(item.get("measure") or ""),
                "basis": typeset(str(item.get("basis") or "")),
                "certainty": CERTAINTY_WORDS.get(item.get("certainty") or "", ""),
            }
        )
    deadline = f"{cn_date(row.appeal_deadline)}届满" if row.appeal_deadline else "送达本人后计算"
    appeal_rows = [
        {"label": "作出决定之日", "text": cn_date(row.decided_on)},
        {"label": "申诉期满", "text": deadline},
        {"label": "执行", "text": "申诉期间不停止决定的执行"},
    ]
    version_text = (
        humanise(str(assessment.get("version_reason") or ""))
        or f"《{rules.title}》（{cn_date(rules.effective_from)}起施行）"
    )
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[])
    context.update(
        {
            "case": {"reference": case.number, "title": f"{_names(_parties(case))}有关问题"},
            "person": {**_person(party), "particulars": particulars(party.person)},
            "decision": {
                "number": row.document_number or "（尚未印发）",
                "meeting": f"{cn_date(row.meeting.held_on)}{organ['committee']}会议",
            },
            "rulebook": {"title": typeset(rules.title), "text": version_text},
            "facts_rows": facts_rows,
            "outcome_rows": outcome_rows,
            "restrictions": restrictions,
            "appeal_rows": appeal_rows,
            "steps": [
                {"number": str(index), "text": humanise(sentence)}
                for index, sentence in enumerate(assessment.get("explanation") or [], start=1)
            ],
            "interpretations": [
                {
                    "title": typeset(i.get("title", "")),
                    "ref": typeset(i.get("ref", "")),
                    "text": typeset(i.get("text", "")),
                }
                for i in assessment.get("interpretations") or []
            ],
            "warnings": [typeset(w) for w in assessment.get("warnings") or []],
            "prepared_by": _user_name(actor),
        }
    )
    return context


def delivery_receipt(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case, party = subject.case, subject.party
    assert party is not None
    organ = organ_for(case.handling_organ)
    row = _decision(party)
    assert row is not None
    person = _person(party)
    to_person = subject.recipient == Delivery.Recipient.PERSON
    delivery = row.deliveries.filter(recipient=subject.recipient, withdrawn_at__isnull=True).first()
    if to_person:
        recipient = {
            "name": person["name"],
            "capacity": f"被追究责任者本人（{person['unit']}{person['post']}）",
        }
    else:
        recipient = {
            "name": person["unit"],
            "capacity": f"被追究责任者{person['name']}同志所在单位",
        }
    appeal_note = ""
    if to_person and row.outcome == Outcome.PURSUE:
        version = version_in_force(row.decided_on)
        appeal_note = (
            f"告知：受送达人如对决定不服，可以自接到决定之日起{version.appeal_days}日内，"
            f"向{organ['name']}或者上级机关提出书面申诉。"
        )
        if row.appeal_deadline is not None:
            appeal_note += f"申诉期限至{cn_date(row.appeal_deadline)}届满。"
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[])
    context.update(
        {
            "receipt_no": "",
            "document": {"title": "责任追究决定书", "number": row.document_number},
            "recipient": recipient,
            "place": "",
            "manner": delivery.get_manner_display() if delivery else "",
            "signed_text": delivery.received_by if delivery else "",
            "received_on_text": cn_date(delivery.delivered_on) if delivery else "年　　月　　日",
            "delivered_by": _user_name(delivery.recorded_by) if delivery else "",
            "note": typeset(delivery.note) if delivery else "",
            "appeal_note": appeal_note,
        }
    )
    return context


def filing_report(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case = subject.case
    organ = organ_for(case.handling_organ)
    parties = _parties(case)
    decisions = []
    attachments = []
    meeting_days = set()
    for index, party in enumerate(parties, start=1):
        row = _decision(party)
        assert row is not None
        version = _version_on(row, issued_on)
        outcome = version.outcome if version else ""
        measures = list(version.measures) if version else []
        meeting_days.add(row.meeting.held_on)
        if outcome == Outcome.PURSUE:
            what = f"给予{_given_text(measures)}"
        elif outcome == Outcome.REVOKED:
            what = "原决定已撤销"
        else:
            what = "不予追究责任"
        decisions.append(
            {
                "number": f"{chinese_ordinal(index)}、",
                "text": f"{_person_line(party)}，{what}（{row.document_number}）。",
            }
        )
        attachments.append(f"责任追究决定书（{row.document_number}）")
    body = (
        f"{cn_date(case.received_on)}，{organ['office']}收到反映{_names(parties)}有关问题的线索"
        f"（来源：{case.get_source_display()}），"
    )
    if case.approved_on:
        body += f"经报批于{cn_date(case.approved_on)}受理"
    else:
        body += "经报批后受理"
    if case.team_formed_on:
        body += f"，{cn_date(case.team_formed_on)}成立调查组开展调查核实。"
    else:
        body += "并组织调查核实。"
    if meeting_days:
        days = "、".join(cn_date(d) for d in sorted(meeting_days))
        body += f"{days}，{organ['committee']}会议听取调查情况报告，作出责任追究决定。"
    body += "具体情况如下："
    numbered = [
        f"附件：{index}.{text}" if index == 1 else f"　　　{index}.{text}"
        for index, text in enumerate(attachments, start=1)
    ]
    if len(numbered) == 1:
        numbered = [f"附件：{attachments[0]}"]
    context = _common(
        organ, number=number, issued_on=issued_on, copy_to=[organ["archive_department"]]
    )
    context.update(
        {
            "title": f"关于{_names(parties)}责任追究情况的备案报告",
            "addressee": organ["superior_office"],
            "body": [body],
            "decisions": decisions,
            "closing": (f"根据《{typeset(regulation.TITLE)}》第十三条的规定，现予报备。"),
            "attachments": numbered,
        }
    )
    return context


def _pages(document: Any) -> str:
    """Page count of the document's PDF once the worker has made it (empty until then)."""
    if not document.pdf_ready:
        return ""
    try:
        with document.pdf.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    count = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    return str(count) if count else ""


def dossier_index(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    from accountability.documents.models import IssuedDocument

    case, party = subject.case, subject.party
    assert party is not None
    organ = organ_for(case.handling_organ)
    person = _person(party)
    documents = (
        IssuedDocument.objects.filter(case=case)
        .exclude(kind=DocumentKind.DOSSIER_INDEX)
        .filter(models_q_party(party))
        .select_related("pdf")
        .order_by("issued_at", "id")
    )
    items = []
    for index, document in enumerate(documents, start=1):
        title = document.title
        if document.version > 1:
            title += f"（第{document.version}版）"
        items.append(
            {
                "no": str(index),
                "title": title,
                "number": document.number,
                "date": cn_date(document.issued_on),
                "pages": _pages(document),
            }
        )
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[])
    context.update(
        {
            "case": {"title": f"{_names(_parties(case))}有关问题", "reference": case.number},
            "person": {"name": person["name"], "unit": person["unit"], "post": person["post"]},
            "archive_to": f"{organ['archive_department']}（干部个人档案）",
            "filed_with": organ["superior_office"],
            "items": items,
            "handed_over_by": _user_name(actor),
        }
    )
    return context


def models_q_party(party: CaseParty) -> Any:
    """Documents of the whole case or of this person (not those of the other people)."""
    from django.db.models import Q

    return Q(party__isnull=True) | Q(party=party)


def appeal_review(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    case, appeal = subject.case, subject.appeal
    assert appeal is not None
    row = appeal.decision
    party = row.party
    organ = organ_for(appeal.reviewing_organ)
    original = organ_for(case.handling_organ)
    person = _person(party)
    name = person["name"]
    deciding = "本机关" if appeal.reviewing_organ_id == case.handling_organ_id else original["name"]
    original_number = f"（{row.document_number}）" if row.document_number else ""
    timing = (
        "，在规定的申诉期限内"
        if not appeal.late
        else (
            f"，已超过申诉期限（{cn_date(appeal.deadline)}届满），"
            f"因{typeset(appeal.late_acceptance_reason)}予以受理"
        )
    )
    intro = (
        f"申诉人{name}不服{deciding}{cn_date(row.decided_on)}作出的《责任追究决定书》"
        f"{original_number}，于{cn_date(appeal.filed_on)}提出书面申诉{timing}。"
        f"本机关依照第十六条的规定进行了复查，现决定如下。"
    )
    new_version = row.current_version
    if appeal.outcome == Appeal.ReviewOutcome.UPHELD:
        outcome = ["决定维持原责任追究决定。"]
    elif appeal.outcome == Appeal.ReviewOutcome.REVOKED:
        outcome = ["决定撤销原责任追究决定。"]
    else:
        measures = list(new_version.measures) if new_version else []
        changed = new_version.outcome if new_version else Outcome.PURSUE
        outcome = [f"决定变更原责任追究决定，改为{_outcome_sentence(name, changed, measures)}"]
    if appeal.reviewed_on:
        outcome[0] = f"经{cn_date(appeal.reviewed_on)}复查，{outcome[0]}"
    findings = paragraphs(appeal.review_reason) or ["（复查理由未填写）"]
    if new_version is not None and new_version.appeal_id == appeal.pk:
        assessment = dict(new_version.assessment or {})
        findings += [
            humanise(s)
            for s in assessment.get("explanation") or []
            if not ({_APPEAL_REF, _RESTRICTION_REF} & set(refs_in(s)))
        ]
    copy_to = [organ["archive_department"], person["unit"]]
    if deciding != "本机关":
        copy_to.insert(0, original["name"])
    context = _common(organ, number=number, issued_on=issued_on, copy_to=copy_to)
    context.update(
        {
            "person": person,
            "intro": intro,
            "grounds": paragraphs(appeal.content),
            "findings": findings,
            "articles": [article(_APPEAL_REF)],
            "outcome": outcome,
        }
    )
    return context


def transfer_letter(subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    from accountability.documents.models import IssuedDocument

    case = subject.case
    organ = organ_for(case.handling_organ)
    criminal = [p for p in _parties(case) if p.severity == CRIMINAL]
    persons = []
    for index, party in enumerate(criminal, start=1):
        facts = paragraphs(party.facts)
        persons.append(
            {
                "number": f"{chinese_ordinal(index)}、",
                "text": f"{_person_line(party)}。{''.join(facts[:2])}",
            }
        )
    issued = IssuedDocument.objects.filter(case=case).exclude(kind=DocumentKind.TRANSFER_LETTER)
    attachments = ["附件：1.案件材料目录（目录.csv）"]
    if issued.exists():
        attachments.append(f"　　　2.已印发文书{issued.count()}份及案件附件")
    context = _common(organ, number=number, issued_on=issued_on, copy_to=[organ["superior_office"]])
    context.update(
        {
            "title": f"关于移送{join_cn([p.person.name for p in criminal])}涉嫌犯罪问题的函",
            "addressee": organ["judicial_organ"],
            "body": [
                f"我委在对纪检监察干部履职问题开展责任追究调查中发现，下列人员的行为涉嫌犯罪。"
                f"依照《{typeset(regulation.TITLE)}》第十条“涉嫌犯罪的，移送司法机关依法处理”的规定，"
                f"现将有关问题及材料移送你单位依法处理："
            ],
            "persons": persons,
            "closing": "请依法处理，并将处理结果函告我委。",
            "attachments": attachments,
            "contact": _user_name(actor),
        }
    )
    return context


BUILDERS = {
    DocumentKind.INTAKE_APPROVAL: intake_approval,
    DocumentKind.INVESTIGATION_REPORT: investigation_report,
    DocumentKind.DECISION: decision,
    DocumentKind.DELIVERY_RECEIPT: delivery_receipt,
    DocumentKind.FILING_REPORT: filing_report,
    DocumentKind.DOSSIER_INDEX: dossier_index,
    DocumentKind.APPEAL_REVIEW: appeal_review,
    DocumentKind.TRANSFER_LETTER: transfer_letter,
    DocumentKind.ASSESSMENT_SHEET: assessment_sheet,
}


def build(kind: str, subject: Subject, *, number: str, issued_on: date, actor: Any) -> dict:
    """The context of `kind` for `subject`; call check_ready first."""
    return BUILDERS[DocumentKind(kind)](subject, number=number, issued_on=issued_on, actor=actor)
