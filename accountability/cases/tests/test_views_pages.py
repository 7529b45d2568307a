"""The case pages through Django's test client: home, work queue, list, clue form, case page,
informant and attachments."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases import forms, services
from accountability.cases import views as case_views
from accountability.cases.models import Case
from accountability.cases.tests.factories import Flow, ago, committee, today
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin
from accountability.documents import services as document_services
from accountability.documents.pdf import pdf_available

MEDIA = tempfile.mkdtemp(prefix="cases-views-media-")


class ViewTestCase(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def flow(self, state: State | None = None, *people, **kwargs) -> Flow:
        walk = Flow.register(self.personas, *(people or (self.personas.people.handler,)), **kwargs)
        return walk.to(state) if state else walk

    def messages(self, response) -> list[str]:
        return [str(m) for m in response.context["messages"]] if response.context else []


class HomeTests(ViewTestCase):
    def test_anonymous_visitor_goes_to_the_rulebook_page(self):
        """Without logging in, the site root shows the public assessment page."""
        response = self.client.get("/")
        self.assertRedirects(response, reverse("assessment:assess"), fetch_redirect_response=False)

    def test_case_worker_goes_to_the_work_queue(self):
        """A logged-in case worker lands on their work queue."""
        self.client.force_login(self.case_officer)
        response = self.client.get("/")
        self.assertRedirects(response, reverse("cases:queue"), fetch_redirect_response=False)

    def test_administrator_goes_to_the_administration_pages(self):
        """An administrator (三员分立) never lands on case pages."""
        self.client.force_login(self.system_admin)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("/cases/", response["Location"])


class QueueTests(ViewTestCase):
    def test_office_head_sees_the_clue_waiting_for_approval(self):
        """A registered clue waits in the office head's queue with a link to approve it."""
        flow = self.flow()
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("cases:queue"))
        self.assertContains(response, "待审批线索")
        self.assertContains(response, flow.case.number)
        self.assertContains(response, reverse("cases:clue_approve", args=[flow.case.pk]))

    def test_case_officer_sees_the_overdue_rectification(self):
        """An open rectification past its deadline is listed as overdue (逾期)."""
        flow = self.flow(State.DELIVERED)
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("cases:queue"))
        self.assertContains(response, "整改逾期")
        self.assertContains(response, "is-overdue")
        self.assertContains(response, flow.case.number)

    def test_empty_queue_says_so(self):
        """With nothing to do, the queue says so instead of showing empty tables."""
        self.client.force_login(self.township_officer)
        response = self.client.get(reverse("cases:queue"))
        self.assertContains(response, "目前没有等待您办理的事项。")

    def test_subject_sees_only_their_own_decision(self):
        """The person held accountable sees their issued decision, not the case file."""
        flow = self.flow(State.DELIVERED)
        self.client.force_login(self.subject)
        response = self.client.get(reverse("cases:queue"))
        self.assertTemplateUsed(response, "cases/my_decisions.html")
        decision = flow.decisions[0]
        self.assertContains(response, decision.document_number)
        self.assertContains(response, "批评教育")
        self.assertNotContains(response, flow.case.summary)

    def test_administrator_is_refused(self):
        """Administrators do not see case work (三员分立)."""
        self.client.force_login(self.audit_admin)
        response = self.client.get(reverse("cases:queue"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, case_views.MSG_ADMIN_NO_CASES, status_code=403)


class CaseListTests(ViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        cls.light = Flow.register(p, p.people.handler, received_days_ago=150).to(State.REPORTED)
        cls.direct = Flow.register(
            p, p.people.direct, summary="第一监督检查室未及时处置问题线索。", received_days_ago=30
        )
        cls.township = Flow.register(
            p, p.people.township_handler, summary="乡镇纪委干事泄露工作信息。", received_days_ago=10
        ).to(State.ACCEPTED)

    def get(self, **params):
        self.client.force_login(self.case_officer)
        return self.client.get(reverse("cases:list"), params)

    def numbers(self, response) -> set[str]:
        return {row["case"].number for row in response.context["rows"]}

    def test_lists_every_case_of_the_commission(self):
        """Without filters the list shows every case the user may see, newest first."""
        response = self.get()
        self.assertEqual(response.context["count"], 3)
        self.assertEqual(
            [row["case"] for row in response.context["rows"]],
            [self.township.case, self.direct.case, self.light.case],
        )

    def test_filters_by_state(self):
        """The state filter keeps the cases in that state."""
        self.assertEqual(self.numbers(self.get(state="accepted")), {self.township.case.number})

    def test_filters_by_person_name(self):
        """The person filter matches part of a concerned person's name."""
        self.assertEqual(self.numbers(self.get(person="朱")), {self.direct.case.number})

    def test_filters_by_unit(self):
        """The unit filter keeps cases whose people work in that unit or below it."""
        response = self.get(unit=self.personas.orgs.township.pk)
        self.assertEqual(self.numbers(response), {self.township.case.number})

    def test_filters_by_circumstance_and_severity(self):
        """Circumstance and severity filter on the facts found for a person."""
        self.assertEqual(
            self.numbers(self.get(circumstance=3, severity="较轻")), {self.light.case.number}
        )
        self.assertEqual(self.numbers(self.get(severity="严重")), set())

    def test_filters_by_date_range_and_keyword(self):
        """Dates bound the day the clue was received; the keyword searches the summary."""
        response = self.get(received_from=ago(40).isoformat(), received_to=today().isoformat())
        self.assertEqual(
            self.numbers(response), {self.direct.case.number, self.township.case.number}
        )
        self.assertEqual(self.numbers(self.get(q="泄露")), {self.township.case.number})

    def test_reversed_date_range_is_reported(self):
        """A start after the end is shown as an error on the filter, not a 500."""
        response = self.get(received_from=today().isoformat(), received_to=ago(10).isoformat())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, forms.MSG_DATE_RANGE)

    def test_paginates(self):
        """More cases than a page holds are split into pages that keep the filters."""
        for _ in range(case_views.PAGE_SIZE):
            Flow.register(self.personas, self.personas.people.handler)
        response = self.get(person="吴")
        self.assertEqual(len(response.context["rows"]), case_views.PAGE_SIZE)
        self.assertContains(response, "page=2")
        self.assertContains(response, "person=%E5%90%B4")
        second = self.get(person="吴", page=2)
        self.assertEqual(len(second.context["rows"]), 1)

    def test_team_member_sees_only_their_cases(self):
        """A team member's list holds only the cases whose team they are on."""
        self.client.force_login(self.team_member)
        response = self.client.get(reverse("cases:list"))
        self.assertEqual(self.numbers(response), {self.light.case.number})

    def test_subject_is_refused(self):
        """The person held accountable has no case list."""
        self.client.force_login(self.subject)
        response = self.client.get(reverse("cases:list"))
        self.assertEqual(response.status_code, 403)


class ClueCreateTests(ViewTestCase):
    def post(self, **overrides):
        data = {
            "source": Case.Source.PETITION,
            "received_on": ago(3).isoformat(),
            "summary": "群众反映某干部办理信访件时未报批。",
            "persons": [self.personas.people.handler.pk],
            "handling_opinion": "建议受理。",
            "informant_name": "举报人甲",
            "informant_contact": "13800000000",
        }
        data.update(overrides)
        self.client.force_login(self.case_officer)
        return self.client.post(reverse("cases:clue_create"), data)

    def test_registers_the_clue_and_opens_it(self):
        """A valid clue is registered with its people and the informant encrypted."""
        response = self.post()
        case = Case.objects.get()
        self.assertRedirects(
            response, reverse("cases:detail", args=[case.pk]), fetch_redirect_response=False
        )
        self.assertEqual(case.state, State.CLUE_REGISTERED)
        self.assertEqual([p.person for p in case.parties.all()], [self.personas.people.handler])
        self.assertNotIn("举报人甲", case.informant_name_enc)
        followed = self.client.get(response["Location"])
        self.assertContains(followed, case_views.MSG_CLUE_SAVED.format(number=case.number))

    def test_missing_summary_is_named(self):
        """A clue without a summary is refused with a message naming the field."""
        response = self.post(summary="")
        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"], "summary", forms.MSG_REQUIRED.format(label="问题线索摘要")
        )
        self.assertFalse(Case.objects.exists())

    def test_future_date_is_refused_by_the_service(self):
        """A receipt date in the future comes back on its field with the service's message."""
        response = self.post(received_on=(today() + timedelta(days=1)).isoformat())
        self.assertFormError(
            response.context["form"],
            "received_on",
            services.MSG_FUTURE_DATE.format(label="收到线索日期"),
        )
        self.assertFalse(Case.objects.exists())

    def test_bad_date_format_is_explained(self):
        """A date that is not a date says how to write one."""
        response = self.post(received_on="2025-13-40")
        self.assertFormError(
            response.context["form"],
            "received_on",
            forms.MSG_INVALID_DATE.format(label="收到线索日期"),
        )

    def test_office_head_may_not_register(self):
        """Only the supervision office's case officers (and the city) register clues."""
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("cases:clue_create"))
        self.assertEqual(response.status_code, 403)


@override_settings(MEDIA_ROOT=MEDIA)
class CaseDetailTests(ViewTestCase):
    def get(self, user, case):
        self.client.force_login(user)
        return self.client.get(reverse("cases:detail", args=[case.pk]))

    def test_shows_state_timeline_and_the_allowed_actions(self):
        """The office head sees the state, the log and the approval buttons; nothing else."""
        flow = self.flow(informant_name="举报人甲")
        response = self.get(self.office_head, flow.case)
        self.assertContains(response, "线索登记")
        self.assertContains(response, "登记问题线索")
        self.assertContains(response, reverse("cases:clue_approve", args=[flow.case.pk]))
        self.assertContains(response, reverse("cases:clue_reject", args=[flow.case.pk]))
        self.assertNotContains(response, reverse("cases:party_add", args=[flow.case.pk]))

    def test_case_officer_sees_other_actions_than_the_head(self):
        """The case officer may add people but not approve the clue."""
        flow = self.flow()
        response = self.get(self.case_officer, flow.case)
        self.assertContains(response, reverse("cases:party_add", args=[flow.case.pk]))
        self.assertNotContains(response, reverse("cases:clue_approve", args=[flow.case.pk]))

    def test_shows_the_assessment_with_the_cited_article_text(self):
        """Each person's assessment explains itself and quotes the articles it cites."""
        flow = self.flow(State.DECIDED)
        response = self.get(self.case_officer, flow.case)
        self.assertContains(response, "决定所依据的测算")
        self.assertContains(response, "第八条第(三)项")
        self.assertContains(response, "执纪问责、调查处置工作中不认真执行工作制度")
        self.assertContains(response, "从旧兼从轻")
        self.assertContains(response, "责令限期整改")

    def test_documents_section_lists_the_issued_documents(self):
        """Each issued document with its number, version, date, hash prefix and downloads;
        the case officer is offered the other papers and the dossier package."""
        flow = self.flow(State.DECIDED)
        decision = document_services.document_issue(
            case=flow.case,
            kind="decision",
            actor=self.case_officer,
            party=flow.parties[0],
            issued_on=ago(80),
            with_pdf=False,
        )
        response = self.get(self.case_officer, flow.case)
        section = response.content.decode().split('id="documents"', 1)[1]
        self.assertIn("责任追究决定书（吴刚）", section)
        self.assertIn(decision.number, section)
        self.assertIn("第1版", section)
        self.assertIn(ago(80).isoformat(), section)
        self.assertIn(decision.docx_sha256[:12], section)
        self.assertIn(reverse("documents:download", args=[decision.pk, "docx"]), section)
        if pdf_available():  # issued without a PDF: the officer may ask the worker for one
            self.assertIn(reverse("documents:pdf", args=[decision.pk]), section)
        self.assertIn(reverse("documents:case_documents", args=[flow.case.pk]), section)
        self.assertIn("可印发的其他文书", section)
        self.assertIn("调查报告", section)
        self.assertIn(reverse("documents:dossier", args=[flow.case.pk]), section)

    def test_documents_section_offers_only_what_the_user_may_do(self):
        """A team member downloads the issued documents but issues and exports nothing;
        before any document exists, the section is not shown to them at all."""
        flow = self.flow(State.INVESTIGATING)
        response = self.get(self.team_member, flow.case)
        self.assertNotContains(response, 'id="documents"')
        flow.to(State.DECIDED)
        document = document_services.document_issue(
            case=flow.case,
            kind="decision",
            actor=self.case_officer,
            party=flow.parties[0],
            issued_on=ago(80),
            with_pdf=False,
        )
        response = self.get(self.team_member, flow.case)
        self.assertContains(response, reverse("documents:download", args=[document.pk, "docx"]))
        self.assertNotContains(response, reverse("documents:pdf", args=[document.pk]))
        self.assertContains(response, "全部文书与草稿")
        self.assertNotContains(response, "可印发的其他文书")
        self.assertNotContains(response, reverse("documents:dossier", args=[flow.case.pk]))

    def test_shows_decision_versions_after_an_appeal_changes_it(self):
        """A changed decision keeps every version on the page."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        appeal = services.appeal_register(
            decision=decision, actor=self.case_officer, received_on=ago(75), content="请求复查。"
        )
        services.appeal_review_record(
            appeal=appeal,
            actor=self.office_head,
            reviewed_on=ago(70),
            outcome="changed",
            reason="情节较轻，改为批评教育。",
            measures=["批评教育"],
        )
        response = self.get(self.case_officer, flow.case)
        self.assertContains(response, "决定的各个版本(2)")
        self.assertContains(response, "申诉复查")
        self.assertContains(response, "变更原决定")

    def test_late_appeal_is_flagged(self):
        """A late appeal is shown as late, not silently accepted."""
        flow = self.flow(State.DELIVERED)
        services.appeal_register(
            decision=flow.decisions[0],
            actor=self.case_officer,
            received_on=ago(5),
            content="请求复查。",
        )
        response = self.get(self.case_officer, flow.case)
        self.assertContains(response, "逾期申诉(期限")
        self.assertContains(response, "逾期不予受理")

    def test_informant_button_only_for_the_named_roles(self):
        """The leader and the committee secretary see that there is an informant, not who."""
        flow = self.flow(informant_name="举报人甲")
        informant_url = reverse("cases:informant", args=[flow.case.pk])
        self.assertContains(self.get(self.office_head, flow.case), informant_url)
        for user in (self.leader, self.committee_secretary):
            response = self.get(user, flow.case)
            self.assertNotContains(response, informant_url)
            self.assertContains(response, "已登记，依规保密")
            self.assertNotContains(response, "举报人甲")

    def test_renders_in_english_too(self):
        """With an English browser the page renders in English (Django i18n), never a 500."""
        flow = self.flow(State.DECIDED)
        self.client.force_login(self.case_officer)
        response = self.client.get(
            reverse("cases:detail", args=[flow.case.pk]), headers={"accept-language": "en"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="en"')

    def test_hidden_case_is_not_found(self):
        """A case outside the user's reach answers 404, without saying it exists."""
        flow = self.flow()
        self.assertEqual(self.get(self.township_officer, flow.case).status_code, 404)

    def test_informant_view_is_audited(self):
        """Opening the informant's identity writes a view_confidential audit entry."""
        flow = self.flow(informant_name="举报人甲", informant_contact="13800000000")
        self.client.force_login(self.office_head)
        before = AuditEntry.objects.filter(action="view_confidential").count()
        response = self.client.get(reverse("cases:informant", args=[flow.case.pk]))
        self.assertContains(response, "举报人甲")
        self.assertContains(response, "13800000000")
        entries = AuditEntry.objects.filter(action="view_confidential")
        self.assertEqual(entries.count(), before + 1)
        self.assertEqual(entries.order_by("-seq").first().actor, self.office_head)

    def test_informant_refused_to_other_roles(self):
        """The committee secretary may not open the informant page, and nothing is shown."""
        flow = self.flow(informant_name="举报人甲")
        self.client.force_login(self.committee_secretary)
        response = self.client.get(reverse("cases:informant", args=[flow.case.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "举报人甲", status_code=403)

    def test_attachment_download_is_audited(self):
        """A case file downloads for those who may see the case, with an audit entry."""
        flow = self.flow(State.INVESTIGATING)
        attachment = services.attachment_add(
            case=flow.case,
            actor=self.case_officer,
            file=SimpleUploadedFile("台账.txt", "台账内容".encode()),
            title="台账",
        )
        self.client.force_login(self.team_member)
        url = reverse("cases:attachment_download", args=[flow.case.pk, attachment.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), "台账内容".encode())
        self.assertTrue(
            AuditEntry.objects.filter(action="download", actor=self.team_member).exists()
        )

    def test_attachment_of_another_case_is_not_found(self):
        """An attachment id of another case answers 404 under this case."""
        flow = self.flow(State.INVESTIGATING)
        other = self.flow(State.INVESTIGATING)
        attachment = services.attachment_add(
            case=other.case,
            actor=self.case_officer,
            file=SimpleUploadedFile("a.txt", b"x"),
        )
        self.client.force_login(self.case_officer)
        url = reverse("cases:attachment_download", args=[flow.case.pk, attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
