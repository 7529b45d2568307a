"""Rows and walks for the case tests, on the named personas (accountability.demo.testing).

``Flow`` takes a case from clue to any later state through the real services, with dates in
the past so that appeal periods can have run out: every step is the one a user would take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accountability.cases import services
from accountability.cases.models import Case, CaseParty, CommitteeMeeting, Decision, Delivery
from accountability.cases.workflow import State
from accountability.people.models import Person

COMMITTEE_SIZE = 9
# Members of the county standing committee beyond those in the personas.
EXTRA_COMMITTEE = ("罗建国", "田晓燕", "龙海", "邓丽", "卢志刚", "宋洁", "彭勇")

# Facts by Art 5 role that the rulebook assesses at a known tier (rulebook input fields).
FACTS: dict[str, dict[str, Any]] = {
    "较轻": {"circumstance": 3, "severity": "较轻"},
    "较重": {"circumstance": 3, "severity": "较重"},
}
LIGHT_MEASURES = ["批评教育", "责令限期整改"]
SERIOUS_MEASURES = ["通报"]


def today() -> date:
    return timezone.localdate()


def ago(days: int) -> date:
    return today() - timedelta(days=days)


def committee(personas: Any) -> list[Person]:
    """The nine members of the county standing committee (two come with the personas)."""
    group = personas.orgs.leading_group
    have = list(Person.objects.filter(unit=group).order_by("id_number"))
    for index, name in enumerate(EXTRA_COMMITTEE[: COMMITTEE_SIZE - len(have)]):
        Person.objects.get_or_create(
            id_number=f"ZXC{index + 1:03d}",
            defaults={
                "name": name,
                "unit": group,
                "post": "县纪委常委",
                "role": "分管领导",
                "managed_by": personas.orgs.city,
            },
        )
    return list(Person.objects.filter(unit=group).order_by("id_number"))


class Flow:
    """One case walked through the services; each step defaults to a plausible record."""

    def __init__(self, personas: Any, case: Case) -> None:
        self.p = personas
        self.case = case

    # -- 13(1)
    @classmethod
    def register(
        cls,
        personas: Any,
        *persons: Person,
        summary: str = "群众反映某室干部在审查调查中未按规定履行报批手续。",
        source: str = Case.Source.PETITION,
        received_days_ago: int = 150,
        informant_name: str = "",
        informant_contact: str = "",
        actor: Any = None,
    ) -> Flow:
        case = services.clue_register(
            actor=actor or personas.case_officer,
            source=source,
            summary=summary,
            received_on=ago(received_days_ago),
            handling_opinion="建议受理，由纪检监察干部监督室组织调查核实。",
            informant_name=informant_name,
            informant_contact=informant_contact,
            persons=persons or (personas.people.handler,),
        )
        return cls(personas, case)

    def refresh(self) -> Flow:
        self.case.refresh_from_db()
        return self

    @property
    def parties(self) -> list[CaseParty]:
        return list(self.case.parties.select_related("person").order_by("id"))

    def party(self, person: Person) -> CaseParty:
        return self.case.parties.get(person=person)

    def accept(self, *, days_ago: int | None = None) -> Flow:
        """Approve the clue on the day it was received (``days_ago`` when given)."""
        on = ago(days_ago) if days_ago is not None else self.case.received_on
        services.clue_approve(
            case=self.case, actor=self.p.office_head, opinion="同意受理。", approved_on=on
        )
        return self

    # -- 13(2)
    def investigate(self, members: Sequence[Any] = (), *, days_ago: int | None = None) -> Flow:
        """Form the team on the day of the approval (``days_ago`` when given)."""
        members = list(members) or [self.p.team_member]
        self.case.refresh_from_db()
        on = ago(days_ago) if days_ago is not None else self.case.approved_on
        services.team_form(
            case=self.case,
            actor=self.p.case_officer,
            members=members,
            leader=members[0],
            formed_on=on,
        )
        return self

    def facts(self, severities: Mapping[Person, str] | None = None, **extra: Any) -> Flow:
        for party in self.parties:
            severity = (severities or {}).get(party.person, "较轻")
            services.party_facts_update(
                party=party,
                actor=self.p.team_member,
                role=party.person.role,
                occurred_on=ago(200),
                facts=f"{party.person.name}在办理信访件时未按规定报批。",
                **{**FACTS[severity], **extra},
            )
        return self

    def hear(self, parties: Iterable[CaseParty] | None = None, *, days_ago: int = 120) -> Flow:
        for party in parties if parties is not None else self.parties:
            services.hearing_record(
                party=party,
                actor=self.p.team_member,
                held_on=ago(days_ago),
                statement="对未报批的事实无异议。",
                defence="当时工作量大，系疏忽所致。",
            )
        return self

    def report(
        self,
        recommendations: Mapping[Person, tuple[str, Sequence[str], str]] | None = None,
        *,
        days_ago: int = 100,
    ) -> Flow:
        findings = []
        for party in self.parties:
            rec = (recommendations or {}).get(party.person)
            if rec is None:
                measures = SERIOUS_MEASURES if party.severity == "较重" else LIGHT_MEASURES
                rec = ("追究", measures, "")
            findings.append(
                services.FindingInput(
                    party=party,
                    recommendation=rec[0],
                    measures=rec[1],
                    departure_reason=rec[2],
                )
            )
        services.report_submit(
            case=self.case,
            actor=self.p.team_member,
            summary="经调查核实，反映问题基本属实。",
            findings=findings,
            submitted_on=ago(days_ago),
        )
        return self

    def meet(
        self,
        *,
        days_ago: int = 90,
        present: Sequence[Person] | None = None,
        recused: Sequence[Person] = (),
    ) -> CommitteeMeeting:
        members = list(present) if present is not None else committee(self.p)
        voting = len([m for m in members if m not in recused])
        return services.meeting_record(
            case=self.case,
            actor=self.p.committee_secretary,
            held_on=ago(days_ago),
            members_present=members,
            members_recused=recused,
            votes_for=voting,
            minutes="会议听取了调查组的报告，同意调查组的建议。",
        )

    def decide(
        self,
        meeting: CommitteeMeeting | None = None,
        decisions: Mapping[Person, tuple[str, Sequence[str], str]] | None = None,
        *,
        rectification_days: int = 30,
    ) -> Flow:
        meeting = meeting or self.meet()
        for party in self.parties:
            chosen = (decisions or {}).get(party.person)
            if chosen is None:
                measures = SERIOUS_MEASURES if party.severity == "较重" else LIGHT_MEASURES
                chosen = ("追究", measures, "")
            services.decision_record(
                party=party,
                meeting=meeting,
                actor=self.p.committee_secretary,
                outcome=chosen[0],
                measures=chosen[1],
                reason=chosen[2],
                rectification_deadline=meeting.held_on + timedelta(days=rectification_days),
            )
        return self

    # -- 13(4)
    @property
    def decisions(self) -> list[Decision]:
        return list(
            Decision.objects.filter(party__case=self.case)
            .select_related("party__person", "current_version")
            .order_by("party_id")
        )

    def issue(self, *, days_ago: int = 85) -> Flow:
        for index, decision in enumerate(self.decisions, start=1):
            if decision.issued_on:
                continue
            services.decision_mark_issued(
                decision=decision,
                actor=self.p.case_officer,
                document_number=f"镇纪监干〔{ago(days_ago).year}〕{self.case.pk * 10 + index}号",
                issued_on=ago(days_ago),
            )
        return self

    def deliver(self, *, days_ago: int = 80) -> Flow:
        for decision in self.decisions:
            for recipient in (Delivery.Recipient.PERSON, Delivery.Recipient.UNIT):
                services.delivery_record(
                    decision=decision,
                    actor=self.p.case_officer,
                    recipient=recipient,
                    delivered_on=ago(days_ago),
                    manner=Delivery.Manner.DIRECT,
                    received_by=decision.party.person.name,
                )
        return self

    def archive_and_file(self, *, days_ago: int = 60) -> Flow:
        services.archive_record(case=self.case, actor=self.p.archivist, archived_on=ago(days_ago))
        services.city_filing_record(
            case=self.case,
            actor=self.p.case_officer,
            filed_on=ago(days_ago),
            reference="镇纪干监备〔2026〕1号",
        )
        return self

    def complete_rectifications(self, *, days_ago: int = 65) -> Flow:
        for decision in self.decisions:
            for row in decision.rectifications.filter(completed_on=None, cancelled_on=None):
                services.rectification_complete(
                    rectification=row,
                    actor=self.p.case_officer,
                    completed_on=ago(days_ago),
                    evidence="已提交整改报告，补办报批手续。",
                )
        return self

    def to(self, state: State) -> Flow:
        """Walk the standard path up to ``state`` (from wherever the case is)."""
        steps = [
            (State.ACCEPTED, self.accept),
            (State.INVESTIGATING, lambda: self.investigate().facts()),
            (State.REPORTED, lambda: self.hear().report()),
            (State.DECIDED, self.decide),
            (State.ISSUED, self.issue),
            (State.DELIVERED, self.deliver),
            (State.FILED, self.archive_and_file),
        ]
        order = [State.CLUE_REGISTERED] + [s for s, _ in steps]
        for target, step in steps:
            if order.index(self.refresh().case.state) >= order.index(target):
                continue
            step()
            if target == state:
                break
        return self.refresh()
