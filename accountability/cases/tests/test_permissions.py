"""Who may open which case page: every role against every page and action (issue 3).

The table below is the specification, written by hand from DOMAIN.md and the workflow table:
200 the page opens, 302 the anonymous visitor is sent to the login page (or a user who may
take the action, but not in the case's current state, is sent back to the case page), 403 the
user may see the case but not do this (or is an administrator: 三员分立), 404 the case is
not within the user's reach (its existence is not revealed).

Each row names the page and the case it is opened on; each cell becomes one test
(``test_<row>__<role>``) through Django's test client with a GET.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.cases import services
from accountability.cases.models import Appeal, Rectification
from accountability.cases.tests.factories import Flow, ago, committee
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin

ROLES = (
    "anonymous",
    "case_officer",
    "office_head",
    "leader",
    "team_member",
    "committee_secretary",
    "archivist",
    "city_officer",
    "township_officer",
    "subject",
    "system_admin",
    "security_admin",
    "audit_admin",
)

# page                    anon  case  head  lead  team  secr  arch  city  town  subj  sys  sec  aud
TABLE = """
queue                     302   200   200   200   200   200   200   200   200   200   403  403  403
list                      302   200   200   200   200   200   200   200   200   403   403  403  403
clue_create               302   200   403   403   403   403   403   200   403   403   403  403  403
detail@clue               302   200   200   200   404   200   404   404   404   404   403  403  403
informant@clue            302   200   200   403   404   403   404   404   404   404   403  403  403
clue_approve@clue         302   403   200   200   404   403   404   404   404   404   403  403  403
clue_reject@clue          302   403   200   200   404   403   404   404   404   404   403  403  403
party_add@clue            302   200   403   403   404   403   404   404   404   404   403  403  403
clue_approve@accepted     302   403   302   302   404   403   404   404   404   404   403  403  403
conflict_declare@accepted 302   200   200   200   404   200   404   404   404   404   403  403  403
case_take_over@accepted   302   403   403   403   404   403   404   404   404   404   403  403  403
team_form@accepted        302   200   200   403   404   403   404   404   404   404   403  403  403
detail@investigating      302   200   200   200   200   200   404   404   404   404   403  403  403
attachment@investigating  302   200   200   200   200   200   404   404   404   404   403  403  403
party_facts@investigating 302   200   403   403   200   403   404   404   404   404   403  403  403
team_member_add@investig. 302   200   200   403   403   403   404   404   404   404   403  403  403
evidence_add@investigating 302  200   403   403   200   403   404   404   404   404   403  403  403
attachment_add@investig.  302   200   403   403   200   403   404   404   404   404   403  403  403
hearing_record@investig.  302   200   403   403   200   403   404   404   404   404   403  403  403
hearing_refusal@investig. 302   200   403   403   200   403   404   404   404   404   403  403  403
report_submit@investig.   302   200   403   403   200   403   404   404   404   404   403  403  403
report_return@reported    302   403   200   200   403   200   404   404   404   404   403  403  403
meeting_record@reported   302   403   403   403   403   200   404   404   404   404   403  403  403
decision_record@reported  302   403   403   403   403   200   404   404   404   404   403  403  403
report_submit@reported    302   302   403   403   302   403   404   404   404   404   403  403  403
detail@decided            302   200   200   200   200   200   200   404   404   404   403  403  403
decision_issue@decided    302   200   403   403   403   403   403   404   404   404   403  403  403
decision_issue_paper@decided 302 200  403   403   403   403   403   404   404   404   403  403  403
decision_issue@issued     302   302   403   403   403   403   403   404   404   404   403  403  403
rectification@decided     302   200   403   403   403   403   403   404   404   404   403  403  403
delivery_record@issued    302   200   403   403   403   403   403   404   404   404   403  403  403
archive_record@delivered  302   200   403   403   403   403   200   404   404   404   403  403  403
city_filing@delivered     302   200   403   403   403   403   403   404   404   404   403  403  403
appeal_register@delivered 302   200   403   403   403   403   403   404   404   404   403  403  403
case_close@delivered      302   302   302   403   403   403   403   404   404   404   403  403  403
appeal_review@appealed    302   403   200   403   403   200   403   404   404   404   403  403  403
appeal_review@city_appeal 302   403   403   403   403   403   403   200   404   404   403  403  403
detail@city_appeal        302   200   200   200   200   200   200   200   404   404   403  403  403
detail@filed              302   200   200   200   200   200   200   200   404   404   403  403  403
informant@filed           302   200   200   403   403   403   403   403   404   404   403  403  403
case_close@filed          302   200   200   403   403   403   403   403   404   404   403  403  403
"""

# The page of each row: (URL name, the kind of record after the case in the URL, if any).
PAGES: dict[str, tuple[str, str | None]] = {
    "queue": ("cases:queue", None),
    "list": ("cases:list", None),
    "clue_create": ("cases:clue_create", None),
    "detail": ("cases:detail", ""),
    "informant": ("cases:informant", ""),
    "attachment": ("cases:attachment_download", "attachment"),
    "clue_approve": ("cases:clue_approve", ""),
    "clue_reject": ("cases:clue_reject", ""),
    "party_add": ("cases:party_add", ""),
    "conflict_declare": ("cases:conflict_declare", ""),
    "case_take_over": ("cases:case_take_over", ""),
    "team_form": ("cases:team_form", ""),
    "party_facts": ("cases:party_facts", "party"),
    "team_member_add": ("cases:team_member_add", ""),
    "evidence_add": ("cases:evidence_add", ""),
    "attachment_add": ("cases:attachment_add", ""),
    "hearing_record": ("cases:hearing_record", "party"),
    "hearing_refusal": ("cases:hearing_refusal", "party"),
    "report_submit": ("cases:report_submit", ""),
    "report_return": ("cases:report_return", ""),
    "meeting_record": ("cases:meeting_record", ""),
    "decision_record": ("cases:decision_record", "party"),
    "decision_issue": ("cases:decision_issue", "decision"),
    "decision_issue_paper": ("cases:decision_issue_paper", "decision"),
    "rectification": ("cases:rectification_complete", "rectification"),
    "delivery_record": ("cases:delivery_record", "decision"),
    "archive_record": ("cases:archive_record", ""),
    "city_filing": ("cases:city_filing", ""),
    "appeal_register": ("cases:appeal_register", "decision"),
    "appeal_review": ("cases:appeal_review", "appeal"),
    "case_close": ("cases:case_close", ""),
}

# Abbreviated case names in the table.
CASE_ALIASES = {"investig.": "investigating"}


def parse_table(text: str) -> list[tuple[str, str, str, str, int]]:
    """(row name, page, case name, expected status) for every cell."""
    cells = []
    for line in text.strip().splitlines():
        name, *statuses = line.split()
        assert len(statuses) == len(ROLES), f"{name}: {len(statuses)} columns"
        page, _, case = name.partition("@")
        case = CASE_ALIASES.get(case, case)
        assert page in PAGES, page
        for role, status in zip(ROLES, statuses, strict=True):
            cells.append((name, page, case, role, int(status)))
    return cells


MEDIA = tempfile.mkdtemp(prefix="cases-permissions-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class PermissionTable(PersonasMixin, TestCase):
    """One case in each state the table names, built once through the services."""

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        committee(p)
        handler = p.people.handler

        def flow(state: State | None = None, **kwargs: Any) -> Flow:
            walk = Flow.register(p, handler, informant_name="群众甲", **kwargs)
            return walk.to(state) if state else walk

        cls.cases = {
            "clue": flow(),
            "accepted": flow(State.ACCEPTED),
            "investigating": flow(State.INVESTIGATING),
            "reported": flow(State.REPORTED),
            "decided": flow(State.DECIDED),
            "issued": flow(State.ISSUED),
            "delivered": flow(State.DELIVERED),
            "appealed": flow(State.DELIVERED),
            "city_appeal": flow(State.DELIVERED),
            "filed": flow(State.FILED),
        }
        cls.attachment = services.attachment_add(
            case=cls.cases["investigating"].case,
            actor=p.case_officer,
            file=SimpleUploadedFile("台账.txt", "信访件办理台账".encode()),
            title="信访件办理台账",
        )
        for name, organ in (("appealed", p.orgs.county), ("city_appeal", p.orgs.city)):
            decision = cls.cases[name].decisions[0]
            services.appeal_register(
                decision=decision,
                actor=p.case_officer,
                received_on=ago(75),
                content="认为情节认定过重，请求复查。",
                reviewing_organ=organ,
            )

    def url(self, page: str, case_name: str) -> str:
        url_name, kind = PAGES[page]
        if kind is None:
            return reverse(url_name)
        flow = self.cases[case_name]
        case = flow.case
        if kind == "":
            return reverse(url_name, args=[case.pk])
        decision = flow.decisions[0] if flow.decisions else None
        target = {
            "party": lambda: flow.parties[0],
            "decision": lambda: decision,
            "appeal": lambda: Appeal.objects.get(decision=decision),
            "rectification": lambda: Rectification.objects.get(decision=decision),
            "attachment": lambda: self.attachment,
        }[kind]()
        return reverse(url_name, args=[case.pk, target.pk])


def _make_test(page: str, case_name: str, role: str, expected: int) -> Callable[[Any], None]:
    def test(self: PermissionTable) -> None:
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        response = self.client.get(self.url(page, case_name))
        self.assertEqual(
            response.status_code,
            expected,
            f"{role} on {page}@{case_name}: expected {expected}, got {response.status_code}",
        )
        if expected == 302 and role == "anonymous":
            self.assertIn(reverse("accounts:login"), response["Location"])

    test.__doc__ = f"{role} opening {page} on the {case_name or 'no'} case gets {expected}."
    return test


CELLS = parse_table(TABLE)
for _row, _page, _case, _role, _expected in CELLS:
    _name = f"test_{_row.replace('@', '_at_').replace('.', '')}__{_role}"
    setattr(PermissionTable, _name, _make_test(_page, _case, _role, _expected))


class TableShape(TestCase):
    def test_every_page_and_role_is_in_the_table(self) -> None:
        """The table covers every case page and every account role (plus anonymous)."""
        from accountability.accounts.models import User

        pages = {page for _, page, _, _, _ in CELLS}
        self.assertEqual(pages, set(PAGES))
        self.assertEqual(set(ROLES) - {"anonymous"}, set(User.Role.values))
