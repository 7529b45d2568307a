"""A small county year (2025), built row by row, whose figures are worked out by hand.

The rows are written directly (not through the services) so that every date is the one
stated here; ``test_flow.py`` checks that a case walked through the real services is counted
the same way. The expected figures are in ``test_figures.py``, each with its reasoning.

Cases (handled by the county unless said otherwise; 第八条 item, tier, Art 9 kind):

C1 petition, received 2025-01-10. Decided 2025-03-20:
   handler (党风政风监督室): (三) 较轻 直接责任, 追究 批评教育 + 责令限期整改 (rectification
   due 2025-04-20, done 04-18); appeal received 04-05, upheld 04-25.
   direct (第一监督检查室): (三) 较重 直接责任, 追究 通报; appeal received 04-02, changed
   04-20 to 提醒约谈.
C2 media, received 2025-02-05. Decided 2025-03-28: township_handler (乌峰): (一) 较轻 直接责任,
   追究 提醒约谈 + 责令限期整改 (due 2025-05-01); appeal received 04-10, revoked 06-01 (the
   rectification cancelled that day). Its report was returned once.
C3 work, received 2025-02-15. Decided 2025-06-10: township_secretary (乌峰): (二) 较重
   主要领导责任 集体责任, 追究 通报 + 诫勉 (appeal received 06-20, pending); yg_handler (以古):
   (二) 较轻 直接责任, 不予追究.
C4 petition, received 2025-04-01, rejected 2025-04-04 (21:00).
C5 instruction, received 2025-05-12, awaiting approval.
C6 petition, received 2024-11-20. Decided 2025-01-15: office_head (第一监督检查室): (五) 严重
   主要领导责任, 追究 党内警告.
C7 work, handled by the city (taken over), received 2025-07-01. Decided 2025-09-01:
   deputy_secretary (县纪委监委领导班子): (四) 较重 重要领导责任, 追究 诫勉; a late appeal
   received 09-30, not accepted.
C8 media, received 2025-08-01. Decided 2025-10-10: direct: (六) 较轻 直接责任, 追究
   责令限期整改 (due 2025-11-10, still open).
C9 petition, received 2025-09-05. Decided 2025-11-20: handler: (三) 较轻, kind not recorded,
   追究 批评教育 + 责令限期整改 (due 2025-12-20, done 2026-01-05).

Transition log (each at 09:00 China time unless said otherwise):
C1 registered 01-10, accepted 01-15, investigating 01-20, reported 03-10, decided 03-20.
C2 registered 02-05, accepted 02-07, investigating 02-08, reported 03-01, returned 03-05,
   reported 03-15, decided 03-28.
C4 registered 04-01, rejected 04-04 21:00.   C5 registered 05-12.
C6 registered 2024-11-20, accepted 2024-12-02, investigating 2025-01-02, reported 01-10,
   decided 01-15.
C7 registered 07-01, accepted 07-03.

Today, for the deadlines: 2026-03-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    CommitteeMeeting,
    Decision,
    DecisionVersion,
    Outcome,
    Rectification,
)
from accountability.cases.workflow import Action, State
from accountability.people.models import Person
from accountability.reports.testing import LogRow, insert_log_rows

TODAY = date(2026, 3, 1)
YEAR = 2025

INDIVIDUAL = CaseParty.ResponsibilityScope.INDIVIDUAL
COLLECTIVE = CaseParty.ResponsibilityScope.COLLECTIVE


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


class Builder:
    """Rows of the cases app with the dates given (one meeting per case and day)."""

    def __init__(self, personas: Any) -> None:
        self.p = personas
        self.user = personas.case_officer
        self.count = 0
        self.meetings: dict[tuple[int, date], CommitteeMeeting] = {}

    def case(
        self,
        source: str,
        received_on: date,
        state: str,
        *,
        organ: Any = None,
    ) -> Case:
        self.count += 1
        return Case.objects.create(
            number=f"T{received_on.year}-{self.count:03d}",
            source=source,
            summary=f"测试案件{self.count}",
            received_on=received_on,
            handling_organ=organ or self.p.orgs.county,
            state=state,
            registered_by=self.user,
        )

    def party(
        self,
        case: Case,
        person: Person,
        circumstance: int,
        severity: str,
        kind: str = "直接责任",
        scope: str = INDIVIDUAL,
    ) -> CaseParty:
        return CaseParty.objects.create(
            case=case,
            person=person,
            role=person.role,
            circumstance=circumstance,
            severity=severity,
            responsibility_kind=kind,
            responsibility_scope=scope,
        )

    def decide(
        self,
        party: CaseParty,
        on: date,
        outcome: str = Outcome.PURSUE,
        measures: Sequence[str] = (),
    ) -> Decision:
        key = (party.case_id, on)
        meeting = self.meetings.get(key)
        if meeting is None:
            meeting = CommitteeMeeting.objects.create(
                case=party.case,
                held_on=on,
                committee_size=9,
                quorum_rule=CommitteeMeeting.QuorumRule.MORE_THAN_HALF,
                votes_for=9,
                recorded_by=self.user,
            )
            self.meetings[key] = meeting
        decision = Decision.objects.create(
            party=party, meeting=meeting, decided_on=on, recorded_by=self.user
        )
        self.version(decision, 1, outcome, measures, on)
        return decision

    def version(
        self,
        decision: Decision,
        number: int,
        outcome: str,
        measures: Sequence[str],
        on: date,
        appeal: Appeal | None = None,
    ) -> DecisionVersion:
        version = DecisionVersion.objects.create(
            decision=decision,
            number=number,
            source=DecisionVersion.Source.APPEAL_REVIEW
            if appeal
            else DecisionVersion.Source.COMMITTEE,
            appeal=appeal,
            outcome=outcome,
            measures=list(measures),
            effective_on=on,
            created_by=self.user,
        )
        decision.current_version = version
        decision.save(update_fields=["current_version"])
        return version

    def appeal(
        self,
        decision: Decision,
        received_on: date,
        status: str,
        *,
        outcome: str = "",
        reviewed_on: date | None = None,
        late: bool = False,
        measures: Sequence[str] = (),
    ) -> Appeal:
        appeal = Appeal.objects.create(
            decision=decision,
            received_on=received_on,
            manner=Appeal.Manner.IN_PERSON,
            content="不服决定，申请复查。",
            deadline=received_on,
            late=late,
            status=status,
            reviewing_organ=decision.party.case.handling_organ,
            outcome=outcome,
            reviewed_on=reviewed_on,
            registered_by=self.user,
        )
        if status == Appeal.Status.REVIEWED:
            current = decision.current_version
            new_outcome, new_measures = current.outcome, list(current.measures)
            if outcome == Appeal.ReviewOutcome.REVOKED:
                new_outcome, new_measures = Outcome.REVOKED, []
            elif outcome == Appeal.ReviewOutcome.CHANGED:
                new_measures = list(measures)
            self.version(
                decision, current.number + 1, new_outcome, new_measures, reviewed_on, appeal
            )
        return appeal

    def rectification(
        self,
        decision: Decision,
        deadline: date,
        *,
        completed_on: date | None = None,
        cancelled_on: date | None = None,
    ) -> Rectification:
        return Rectification.objects.create(
            decision=decision,
            deadline=deadline,
            completed_on=completed_on,
            cancelled_on=cancelled_on,
        )

    def log(self, case: Case, *steps: tuple[str, datetime]) -> None:
        """State changes of ``case``: (new state, when), the first one its registration."""
        rows = []
        previous = ""
        for state, when in steps:
            rows.append(
                LogRow(
                    case_id=case.pk,
                    action=ACTIONS[(previous, state)],
                    from_state=previous,
                    to_state=state,
                    actor_id=self.user.pk,
                    at=when,
                )
            )
            previous = state
        insert_log_rows(rows)


S = State
ACTIONS = {
    ("", S.CLUE_REGISTERED): Action.CLUE_REGISTER,
    (S.CLUE_REGISTERED, S.ACCEPTED): Action.CLUE_APPROVE,
    (S.CLUE_REGISTERED, S.REJECTED): Action.CLUE_REJECT,
    (S.ACCEPTED, S.INVESTIGATING): Action.TEAM_FORM,
    (S.INVESTIGATING, S.REPORTED): Action.REPORT_SUBMIT,
    (S.REPORTED, S.INVESTIGATING): Action.REPORT_RETURN,
    (S.REPORTED, S.DECIDED): Action.DECISION_RECORD,
}


def build(personas: Any) -> dict[str, Any]:
    """The data set of the module docstring; returns its cases and extra people by name."""
    p = personas.people
    orgs = personas.orgs
    yg_handler = Person.objects.create(
        id_number="YG0001",
        name="罗敏",
        unit=orgs.second_township,
        post="干事",
        role="具体承办人",
        managed_by=orgs.county,
    )
    b = Builder(personas)
    src = Case.Source
    d = date

    c1 = b.case(src.PETITION, d(2025, 1, 10), S.DELIVERED)
    h1 = b.decide(
        b.party(c1, p.handler, 3, "较轻"), d(2025, 3, 20), measures=["批评教育", "责令限期整改"]
    )
    dr1 = b.decide(b.party(c1, p.direct, 3, "较重"), d(2025, 3, 20), measures=["通报"])
    b.rectification(h1, d(2025, 4, 20), completed_on=d(2025, 4, 18))
    b.appeal(
        h1, d(2025, 4, 5), Appeal.Status.REVIEWED, outcome="upheld", reviewed_on=d(2025, 4, 25)
    )
    b.appeal(
        dr1,
        d(2025, 4, 2),
        Appeal.Status.REVIEWED,
        outcome="changed",
        reviewed_on=d(2025, 4, 20),
        measures=["提醒约谈"],
    )
    b.log(
        c1,
        (S.CLUE_REGISTERED, at(d(2025, 1, 10))),
        (S.ACCEPTED, at(d(2025, 1, 15))),
        (S.INVESTIGATING, at(d(2025, 1, 20))),
        (S.REPORTED, at(d(2025, 3, 10))),
        (S.DECIDED, at(d(2025, 3, 20))),
    )

    c2 = b.case(src.MEDIA, d(2025, 2, 5), S.DELIVERED)
    t2 = b.decide(
        b.party(c2, p.township_handler, 1, "较轻"),
        d(2025, 3, 28),
        measures=["提醒约谈", "责令限期整改"],
    )
    b.rectification(t2, d(2025, 5, 1), cancelled_on=d(2025, 6, 1))
    b.appeal(
        t2, d(2025, 4, 10), Appeal.Status.REVIEWED, outcome="revoked", reviewed_on=d(2025, 6, 1)
    )
    b.log(
        c2,
        (S.CLUE_REGISTERED, at(d(2025, 2, 5))),
        (S.ACCEPTED, at(d(2025, 2, 7))),
        (S.INVESTIGATING, at(d(2025, 2, 8))),
        (S.REPORTED, at(d(2025, 3, 1))),
        (S.INVESTIGATING, at(d(2025, 3, 5))),
        (S.REPORTED, at(d(2025, 3, 15))),
        (S.DECIDED, at(d(2025, 3, 28))),
    )

    c3 = b.case(src.WORK, d(2025, 2, 15), S.DELIVERED)
    s3 = b.decide(
        b.party(c3, p.township_secretary, 2, "较重", "主要领导责任", COLLECTIVE),
        d(2025, 6, 10),
        measures=["通报", "诫勉"],
    )
    b.decide(b.party(c3, yg_handler, 2, "较轻"), d(2025, 6, 10), outcome=Outcome.NOT_PURSUE)
    b.appeal(s3, d(2025, 6, 20), Appeal.Status.PENDING)

    c4 = b.case(src.PETITION, d(2025, 4, 1), S.REJECTED)
    b.party(c4, p.handler, 3, "较轻")
    b.log(c4, (S.CLUE_REGISTERED, at(d(2025, 4, 1))), (S.REJECTED, at(d(2025, 4, 4), 21)))

    c5 = b.case(src.INSTRUCTION, d(2025, 5, 12), S.CLUE_REGISTERED)
    b.log(c5, (S.CLUE_REGISTERED, at(d(2025, 5, 12))))

    c6 = b.case(src.PETITION, d(2024, 11, 20), S.FILED)
    b.decide(
        b.party(c6, p.office_head, 5, "严重", "主要领导责任"), d(2025, 1, 15), measures=["党内警告"]
    )
    b.log(
        c6,
        (S.CLUE_REGISTERED, at(d(2024, 11, 20))),
        (S.ACCEPTED, at(d(2024, 12, 2))),
        (S.INVESTIGATING, at(d(2025, 1, 2))),
        (S.REPORTED, at(d(2025, 1, 10))),
        (S.DECIDED, at(d(2025, 1, 15))),
    )

    c7 = b.case(src.WORK, d(2025, 7, 1), S.DELIVERED, organ=orgs.city)
    dep = b.decide(
        b.party(c7, p.deputy_secretary, 4, "较重", "重要领导责任"), d(2025, 9, 1), measures=["诫勉"]
    )
    b.appeal(dep, d(2025, 9, 30), Appeal.Status.REJECTED_LATE, late=True)
    b.log(c7, (S.CLUE_REGISTERED, at(d(2025, 7, 1))), (S.ACCEPTED, at(d(2025, 7, 3))))

    c8 = b.case(src.MEDIA, d(2025, 8, 1), S.DELIVERED)
    r8 = b.decide(b.party(c8, p.direct, 6, "较轻"), d(2025, 10, 10), measures=["责令限期整改"])
    b.rectification(r8, d(2025, 11, 10))

    c9 = b.case(src.PETITION, d(2025, 9, 5), S.DELIVERED)
    h9 = b.decide(
        b.party(c9, p.handler, 3, "较轻", kind=""),
        d(2025, 11, 20),
        measures=["批评教育", "责令限期整改"],
    )
    b.rectification(h9, d(2025, 12, 20), completed_on=d(2026, 1, 5))

    return {
        "cases": [c1, c2, c3, c4, c5, c6, c7, c8, c9],
        "yg_handler": yg_handler,
    }


def build_many(personas: Any, n: int, *, start: int = 0) -> None:
    """``n`` more cases of 2025 with a bit of everything (for the query-count test): each has
    two people, decisions, an appeal, a rectification and its log."""
    b = Builder(personas)
    b.count = 100 + start
    p = personas.people
    people = [p.handler, p.direct, p.township_handler, p.office_head, p.township_secretary]
    sources = list(Case.Source)
    severities = ["较轻", "较重", "严重", "涉嫌犯罪"]
    for i in range(start, start + n):
        received = date(2025, 1 + i % 12, 1 + i % 27)
        case = b.case(sources[i % 4].value, received, S.DELIVERED)
        first = b.party(case, people[i % 5], 1 + i % 9, severities[i % 4])
        second = b.party(case, people[(i + 1) % 5], 1 + (i + 3) % 9, severities[(i + 1) % 4])
        decided = date(2025, 1 + (i + 1) % 12, 5)
        d1 = b.decide(first, decided, measures=["批评教育", "责令限期整改"])
        b.decide(
            second,
            decided,
            outcome=Outcome.NOT_PURSUE if i % 3 else Outcome.PURSUE,
            measures=[] if i % 3 else ["通报"],
        )
        b.rectification(d1, date(2025, 1 + (i + 2) % 12, 10))
        b.appeal(d1, date(2025, 1 + (i + 1) % 12, 20), Appeal.Status.PENDING)
        b.log(
            case,
            (S.CLUE_REGISTERED, at(received)),
            (S.ACCEPTED, at(received, 15)),
        )
