"""Demo cases for `accountability seed_demo`: a county commission's year, one case per state.

Idempotent: a case whose summary already exists is left alone, so running it again adds only
what is missing. Every case is made through the services (so it has its log, audit entries and
stored assessments), with dates relative to today. Run after the registry demo
(accountability.demo.registry.seed_registry), whose people and accounts it uses.

The cases, by state: two clues (one with a confidential informant), a rejected clue, an
accepted clue, an investigation under way, a report awaiting the committee, a decision awaiting
its document, a document awaiting delivery, a decision under appeal, a refusal to speak with a
late appeal, an overdue rectification, an appeal that changed a decision, a closed file about
three people, and a case the city commission took over (Art 11).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountability.cases import services
from accountability.cases.models import Case, CaseParty, CommitteeMeeting, Decision

# Standing committee members beyond those of the registry demo (县纪委常委), by 工号.
COMMITTEE = (
    ("ZXCW01", "罗建国"),
    ("ZXCW02", "田晓燕"),
    ("ZXCW03", "龙海"),
    ("ZXCW04", "邓丽"),
    ("ZXCW05", "卢志刚"),
    ("ZXCW06", "宋洁"),
)


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


@dataclass(frozen=True)
class PartySpec:
    """A person concerned and the facts the team found (rulebook input fields)."""

    id_number: str
    circumstance: int
    severity: str
    facts: str
    kind: str = "直接责任"
    lighter: tuple[int, ...] = ()
    heavier: tuple[int, ...] = ()
    conditions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()  # the committee's; () = 不予追究 with ``reason``
    reason: str = ""
    refuses: bool = False


@dataclass
class CaseSpec:
    summary: str
    source: str
    received: int  # days ago
    parties: Sequence[PartySpec]
    informant: tuple[str, str] = ("", "")
    steps: list[Callable[[_Seeder], None]] = field(default_factory=list)


class _Seeder:
    """Walks one demo case through the services as the demo users would."""

    def __init__(self, spec: CaseSpec, users: dict[str, Any], members: list[Any]) -> None:
        self.spec = spec
        self.u = users
        self.members = members
        self.case: Case | None = None
        self.meeting: CommitteeMeeting | None = None

    # The dates of each step, days ago, derived from when the clue came in.
    def day(self, offset: int) -> date:
        return _ago(max(self.spec.received - offset, 0))

    def party(self, spec: PartySpec) -> CaseParty:
        return self.case.parties.get(person__id_number=spec.id_number)

    def decisions(self) -> list[Decision]:
        return list(
            Decision.objects.filter(party__case=self.case)
            .select_related("party__person", "current_version")
            .order_by("party_id")
        )

    def register(self, persons: list[Any], *, actor: Any = None) -> None:
        self.case = services.clue_register(
            actor=actor or self.u["case_officer"],
            source=self.spec.source,
            summary=self.spec.summary,
            received_on=_ago(self.spec.received),
            handling_opinion="建议按程序报批受理，由纪检监察干部监督室组织相关部室调查核实。",
            informant_name=self.spec.informant[0],
            informant_contact=self.spec.informant[1],
            persons=persons,
        )
        for spec in self.spec.parties:
            party = self.party(spec)
            party.responsibility_kind = spec.kind
            party.save(update_fields=["responsibility_kind"])


def _accept(s: _Seeder) -> None:
    services.clue_approve(
        case=s.case,
        actor=s.u["office_head"],
        opinion="同意受理，请监督室抓紧组织调查核实。",
        approved_on=s.day(3),
    )


def _reject(s: _Seeder) -> None:
    services.clue_reject(
        case=s.case,
        actor=s.u["office_head"],
        reason="经初步了解，反映问题属于个人生活作风范畴，不属于本办法第三条规定的履职责任行为，"
        "转相关部门按规定处理。",
        approved_on=s.day(3),
    )


def _investigate(s: _Seeder) -> None:
    members = [s.u["team_member"], s.u["case_officer"]]
    services.team_form(
        case=s.case,
        actor=s.u["case_officer"],
        members=members,
        leader=members[0],
        formed_on=s.day(7),
    )
    for spec in s.spec.parties:
        services.party_facts_update(
            party=s.party(spec),
            actor=s.u["team_member"],
            role=s.party(spec).person.role,
            circumstance=spec.circumstance,
            severity=spec.severity,
            conditions=spec.conditions,
            lighter=spec.lighter,
            heavier=spec.heavier,
            occurred_on=s.day(-30),
            facts=spec.facts,
        )
    services.evidence_add(
        case=s.case,
        actor=s.u["team_member"],
        title="相关工作台账及审批记录",
        collected_on=s.day(12),
        description="调取的工作台账、审批单及系统操作日志，证明相关事实。",
    )


def _hear(s: _Seeder, only: Sequence[PartySpec] | None = None) -> None:
    for spec in only if only is not None else s.spec.parties:
        if spec.refuses:
            services.hearing_refusal_record(
                party=s.party(spec),
                actor=s.u["team_member"],
                held_on=s.day(18),
                refusal_record="调查组书面通知本人陈述和申辩，本人明确表示拒绝陈述和申辩，"
                "拒绝在谈话笔录上签字；调查人员二人在场并签字确认。",
            )
        else:
            services.hearing_record(
                party=s.party(spec),
                actor=s.u["team_member"],
                held_on=s.day(18),
                statement="对调查认定的基本事实无异议。",
                defence="当时同时承担多项工作任务，对程序要求重视不够，愿意接受组织处理。",
            )


def _report(s: _Seeder) -> None:
    findings = [
        services.FindingInput(
            party=s.party(spec),
            recommendation="追究" if spec.measures else "不予追究",
            measures=spec.measures,
            departure_reason=spec.reason,
        )
        for spec in s.spec.parties
    ]
    services.report_submit(
        case=s.case,
        actor=s.u["team_member"],
        summary="调查组调取了相关台账和审批记录，听取了被调查人的陈述和申辩，"
        "认定的事实清楚、证据确实充分，现将调查情况和处理建议报告如下。",
        findings=findings,
        submitted_on=s.day(25),
    )


def _meet(s: _Seeder) -> None:
    s.meeting = services.meeting_record(
        case=s.case,
        actor=s.u["committee_secretary"],
        held_on=s.day(32),
        members_present=s.members,
        votes_for=len(s.members),
        minutes="常委会听取了调查组关于本案的调查情况报告，经研究，同意调查组的处理建议。",
    )


def _decide(s: _Seeder) -> None:
    if s.meeting is None:
        _meet(s)
    for spec in s.spec.parties:
        services.decision_record(
            party=s.party(spec),
            meeting=s.meeting,
            actor=s.u["committee_secretary"],
            outcome="追究" if spec.measures else "不予追究",
            measures=spec.measures,
            reason=spec.reason,
            rectification_deadline=s.day(32 + 30) if "责令限期整改" in spec.measures else None,
        )


def _issue(s: _Seeder) -> None:
    for index, decision in enumerate(s.decisions(), start=1):
        services.decision_mark_issued(
            decision=decision,
            actor=s.u["case_officer"],
            document_number=f"镇纪监干〔{s.day(35).year}〕{s.case.pk * 3 + index}号",
            issued_on=s.day(35),
        )


def _deliver(s: _Seeder) -> None:
    for decision in s.decisions():
        for recipient, manner in (("person", "direct"), ("unit", "entrusted")):
            services.delivery_record(
                decision=decision,
                actor=s.u["case_officer"],
                recipient=recipient,
                delivered_on=s.day(37),
                manner=manner,
                received_by=decision.party.person.name if recipient == "person" else "单位办公室",
            )


def _archive(s: _Seeder) -> None:
    services.archive_record(
        case=s.case,
        actor=s.u["archivist"],
        archived_on=s.day(60),
        received_by="刘芳",
        note="决定书、调查报告及送达回证归入干部个人档案。",
    )


def _file(s: _Seeder) -> None:
    services.city_filing_record(
        case=s.case,
        actor=s.u["case_officer"],
        filed_on=s.day(60),
        reference=f"镇纪干监备〔{s.day(60).year}〕{s.case.pk}号",
        note="报市纪委纪检监察干部监督室备案。",
    )


def _rectify(s: _Seeder) -> None:
    for decision in s.decisions():
        for row in decision.rectifications.filter(completed_on=None, cancelled_on=None):
            services.rectification_complete(
                rectification=row,
                actor=s.u["case_officer"],
                completed_on=s.day(55),
                evidence="本人提交书面整改报告，补办了审批手续，所在部门出具整改情况说明。",
            )


def _close(s: _Seeder) -> None:
    services.case_close(
        case=s.case, actor=s.u["case_officer"], reason="决定已生效并执行完毕，材料已归档备案。"
    )


def _appeal_pending(s: _Seeder) -> None:
    services.appeal_register(
        decision=s.decisions()[0],
        actor=s.u["case_officer"],
        received_on=s.day(40),
        content="本人认为情节认定为“较重”依据不足，当时已及时报告并主动纠正，请求复查。",
    )


def _appeal_late(s: _Seeder) -> None:
    services.appeal_register(
        decision=s.decisions()[0],
        actor=s.u["case_officer"],
        received_on=s.day(70),
        manner="post",
        postmark_on=s.day(68),
        content="对责任追究决定不服，申请复查。",
    )


def _appeal_changed(s: _Seeder) -> None:
    appeal = services.appeal_register(
        decision=s.decisions()[0],
        actor=s.u["case_officer"],
        received_on=s.day(42),
        content="本人对问题发现后及时报告并主动纠正，未造成严重后果，请求从轻处理。",
    )
    services.appeal_review_record(
        appeal=appeal,
        actor=s.u["committee_secretary"],
        reviewed_on=s.day(52),
        outcome="changed",
        measures=["通报"],
        reason="经复查，申诉人及时报告并主动纠正，符合第十四条第(一)项情形，"
        "变更为给予通报，不再调整职务。",
    )


def _take_over(s: _Seeder) -> None:
    services.case_take_over(
        case=s.case,
        actor=s.u["city_officer"],
        reason="被调查人系县纪委监委管理的乡镇纪委书记，涉及县纪委监委领导班子成员联系工作，"
        "根据第十一条由市纪委直接进行责任追究。",
        taken_over_on=s.day(5),
    )
    services.team_form(
        case=s.case,
        actor=s.u["city_officer"],
        members=[s.u["city_officer"]],
        leader=s.u["city_officer"],
        formed_on=s.day(7),
    )


def _specs() -> list[CaseSpec]:
    light = ("批评教育", "责令限期整改")
    return [
        CaseSpec(
            "网帖反映芒部镇纪委书记孔亮对群众反映的低保优亲厚友问题线索推诿扯皮，两个月未作处置。",
            Case.Source.MEDIA,
            3,
            [PartySpec("ZX0530", 4, "较轻", "对监督对象的苗头性问题未及时提醒教育处理。")],
        ),
        CaseSpec(
            "群众来信反映信访室工作人员冯刚在接访时向被反映人透露举报人姓名。",
            Case.Source.PETITION,
            1,
            [PartySpec("ZX0151", 3, "较重", "违反保密纪律，泄露举报人信息。")],
            informant=("杨某某", "镇雄县乌峰街道，电话138****6721"),
        ),
        CaseSpec(
            "群众反映案件监督管理室工作人员彭程工作日午间在餐馆饮酒。",
            Case.Source.PETITION,
            40,
            [PartySpec("ZX0170", 9, "较轻", "")],
            steps=[_reject],
        ),
        CaseSpec(
            "工作中发现案件审理室2起审理案件超过规定期限，未按规定报批延期。",
            Case.Source.WORK,
            12,
            [PartySpec("ZX0160", 3, "较轻", "")],
            steps=[_accept],
        ),
        CaseSpec(
            "县纪委主要领导批示：派驻第一纪检监察组对驻在单位工程项目问题线索长期未处置，"
            "请监督室核查。",
            Case.Source.INSTRUCTION,
            30,
            [
                PartySpec(
                    "ZX0200",
                    4,
                    "较重",
                    "对驻在单位反映集中的问题线索未组织研究处置。",
                    kind="主要领导责任",
                ),
                PartySpec("ZX0201", 4, "较轻", "承办线索未及时提出处置意见。"),
            ],
            steps=[_accept, _investigate, lambda s: _hear(s, [s.spec.parties[1]])],
        ),
        CaseSpec(
            "巡察工作中发现县委巡察办工作人员余欢在巡察底稿中弄虚作假，隐瞒被巡察单位问题。",
            Case.Source.WORK,
            50,
            [
                PartySpec(
                    "ZX0301", 7, "较重", "在巡察底稿中删改反映问题的记录。", measures=("通报",)
                )
            ],
            steps=[_accept, _investigate, _hear, _report],
        ),
        CaseSpec(
            "第二监督检查室在办理问题线索中未按规定履行报批手续，擅自对被反映人进行谈话。",
            Case.Source.WORK,
            70,
            [
                PartySpec(
                    "ZX0113",
                    1,
                    "较轻",
                    "未履行报批手续，擅自决定谈话。",
                    conditions=("不履行报批手续",),
                    measures=("提醒约谈",),
                )
            ],
            steps=[_accept, _investigate, _hear, _report, _decide],
        ),
        CaseSpec(
            "第二监督检查室主任林涛对室内重大问题线索调研不够、情况不清，未及时报告。",
            Case.Source.INSTRUCTION,
            80,
            [
                PartySpec(
                    "ZX0114",
                    1,
                    "较重",
                    "对重大问题线索情况不清、未及时报告。",
                    conditions=("调研不够", "情况不清"),
                    kind="主要领导责任",
                    measures=("诫勉",),
                )
            ],
            steps=[_accept, _investigate, _hear, _report, _decide, _issue],
        ),
        CaseSpec(
            "党风政风监督室副主任唐丽在作风督查中对发现的问题未如实记录，影响督查结果客观公正。",
            Case.Source.WORK,
            43,
            [PartySpec("ZX0141", 7, "较重", "督查记录中隐瞒问题。", measures=("通报",))],
            steps=[
                _accept,
                _investigate,
                _hear,
                _report,
                _decide,
                _issue,
                _deliver,
                _appeal_pending,
            ],
        ),
        CaseSpec(
            "以古镇纪委干事吕斌在审查调查中违反工作纪律，擅自复制案卷材料带离办案场所。",
            Case.Source.WORK,
            120,
            [
                PartySpec(
                    "ZX0521",
                    3,
                    "较重",
                    "违反审查调查工作纪律。",
                    heavier=(2,),
                    measures=("通报",),
                    refuses=True,
                )
            ],
            steps=[
                _accept,
                _investigate,
                _hear,
                _report,
                _decide,
                _issue,
                _deliver,
                _appeal_late,
                _archive,
            ],
        ),
        CaseSpec(
            "党风政风监督室工作人员吴刚在办理信访件时未按规定报批，擅自答复信访人。",
            Case.Source.PETITION,
            110,
            [
                PartySpec(
                    "ZX0142",
                    1,
                    "较轻",
                    "不履行报批手续，擅自答复。",
                    conditions=("不请示报告",),
                    measures=light,
                )
            ],
            informant=("匿名", ""),
            steps=[
                _accept,
                _investigate,
                _hear,
                _report,
                _decide,
                _issue,
                _deliver,
                _archive,
                _file,
            ],
        ),
        CaseSpec(
            "乌峰街道纪工委书记徐敏对上级交办的专项整治工作无故拖延，导致工作贻误。",
            Case.Source.INSTRUCTION,
            130,
            [
                PartySpec(
                    "ZX0500",
                    2,
                    "较重",
                    "专项整治工作无故拖延两个月。",
                    kind="主要领导责任",
                    measures=("通报", "调整职务"),
                )
            ],
            steps=[
                _accept,
                _investigate,
                _hear,
                _report,
                _decide,
                _issue,
                _deliver,
                _appeal_changed,
                _archive,
                _file,
            ],
        ),
        CaseSpec(
            "第一监督检查室在一起审查调查中未按规定执行工作制度，导致证据材料缺失、"
            "案件被退回补充调查。",
            Case.Source.WORK,
            200,
            [
                PartySpec(
                    "ZX0110",
                    3,
                    "较重",
                    "对本室调查工作组织协调、把关审批不力。",
                    kind="重要领导责任",
                    measures=("诫勉",),
                ),
                PartySpec(
                    "ZX0112",
                    3,
                    "较轻",
                    "未按规定调取和保存证据材料。",
                    lighter=(1,),
                    measures=light,
                ),
                PartySpec(
                    "ZX0121",
                    3,
                    "较轻",
                    "负责材料流转登记，经查已按规定履行职责。",
                    reason="经查其已按规定登记并提示，不属于本人原因未履行职责。",
                ),
            ],
            informant=("刘某", "镇雄县南台街道，电话139****2210"),
            steps=[
                _accept,
                _investigate,
                _hear,
                _report,
                _decide,
                _issue,
                _deliver,
                _rectify,
                _archive,
                _file,
                _close,
            ],
        ),
        CaseSpec(
            "市纪委接群众举报，反映南台街道纪工委书记潘强对辖区干部违规问题有案不查。",
            Case.Source.PETITION,
            20,
            [PartySpec("ZX0510", 4, "较重", "")],
            steps=[_accept, _take_over],
        ),
    ]


def _users() -> dict[str, Any] | None:
    from accountability.accounts.models import User

    users: dict[str, Any] = {}
    for role in (
        "case_officer",
        "office_head",
        "team_member",
        "committee_secretary",
        "archivist",
        "city_officer",
    ):
        user = User.objects.filter(role=role, is_active=True).order_by("id").first()
        if user is None:
            return None
        users[role] = user
    return users


def _committee() -> list[Any]:
    from accountability.people.models import Organisation, Person

    county = Organisation.objects.filter(kind=Organisation.Kind.COUNTY_COMMISSION).first()
    group = Organisation.objects.filter(parent=county, kind=Organisation.Kind.LEADING_GROUP).first()
    if group is None:
        return []
    city = county.parent or county
    have = Person.objects.filter(unit=group).count()
    for number, name in COMMITTEE[: max(services.committee_size() - have, 0)]:
        Person.objects.get_or_create(
            id_number=number,
            defaults={
                "name": name,
                "unit": group,
                "post": "县纪委常委",
                "role": "分管领导",
                "managed_by": city,
            },
        )
    return list(Person.objects.filter(unit=group).order_by("id_number"))[
        : services.committee_size()
    ]


def seed_cases() -> str:
    """Create the demo cases that are not there yet; return a line for the command to print."""
    from accountability.people.models import Person

    users = _users()
    if users is None:
        return "演示案件：缺少演示账号，未创建。"
    members = _committee()
    created = existing = skipped = 0
    for spec in _specs():
        if Case.objects.filter(summary=spec.summary).exists():
            existing += 1
            continue
        persons = [Person.objects.filter(id_number=p.id_number).first() for p in spec.parties]
        if None in persons or not members:
            skipped += 1
            continue
        with transaction.atomic():
            seeder = _Seeder(spec, users, members)
            seeder.register(persons)
            for step in spec.steps:
                step(seeder)
        created += 1
    line = f"演示案件：新增{created}件，已有{existing}件。"
    if skipped:
        line += f"（{skipped}件因缺少人员未创建）"
    return line


__all__ = ["seed_cases"]
