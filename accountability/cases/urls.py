from django.urls import include, path

from accountability.cases import extensions, views
from accountability.cases.views import actions

app_name = "cases"

# <pk> is always the case; <obj> the person concerned, decision, appeal or rectification
# of that case named by the segment before it.
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export/", views.case_list_export, name="export"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.clue_create, name="clue_create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/informant/", views.informant, name="informant"),
    path("<int:pk>/attachments/<int:obj>/", views.attachment_download, name="attachment_download"),
    # 13(1) 线索受理
    path("<int:pk>/approve/", actions.ClueApproveView.as_view(), name="clue_approve"),
    path("<int:pk>/reject/", actions.ClueRejectView.as_view(), name="clue_reject"),
    path("<int:pk>/take-over/", actions.CaseTakeOverView.as_view(), name="case_take_over"),
    path("<int:pk>/parties/add/", actions.PartyAddView.as_view(), name="party_add"),
    path("<int:pk>/parties/<int:obj>/facts/", actions.PartyFactsView.as_view(), name="party_facts"),
    path("<int:pk>/conflicts/add/", actions.ConflictDeclareView.as_view(), name="conflict_declare"),
    path("<int:pk>/attachments/add/", actions.AttachmentAddView.as_view(), name="attachment_add"),
    # 13(2) 调查核实
    path("<int:pk>/team/", actions.TeamFormView.as_view(), name="team_form"),
    path("<int:pk>/team/add/", actions.TeamMemberAddView.as_view(), name="team_member_add"),
    path("<int:pk>/evidence/add/", actions.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "<int:pk>/parties/<int:obj>/hearing/",
        actions.HearingRecordView.as_view(),
        name="hearing_record",
    ),
    path(
        "<int:pk>/parties/<int:obj>/refusal/",
        actions.HearingRefusalView.as_view(),
        name="hearing_refusal",
    ),
    path(
        "<int:pk>/hearings/<int:obj>/correct/",
        actions.HearingCorrectView.as_view(),
        name="hearing_correct",
    ),
    path(
        "<int:pk>/hearings/<int:obj>/withdraw/",
        actions.HearingWithdrawView.as_view(),
        name="hearing_withdraw",
    ),
    path(
        "<int:pk>/evidence/<int:obj>/correct/",
        actions.EvidenceCorrectView.as_view(),
        name="evidence_correct",
    ),
    path(
        "<int:pk>/evidence/<int:obj>/withdraw/",
        actions.EvidenceWithdrawView.as_view(),
        name="evidence_withdraw",
    ),
    path("<int:pk>/report/", actions.ReportSubmitView.as_view(), name="report_submit"),
    path("<int:pk>/report/return/", actions.ReportReturnView.as_view(), name="report_return"),
    # 13(3) 研究决定
    path("<int:pk>/meeting/", actions.MeetingRecordView.as_view(), name="meeting_record"),
    path(
        "<int:pk>/parties/<int:obj>/decision/",
        actions.DecisionRecordView.as_view(),
        name="decision_record",
    ),
    # 13(4) 执行决定
    # 印发 and 纸质文书补录 (cases:decision_issue, cases:decision_issue_paper) are the documents
    # app's pages, joined below (cases.extensions).
    path(
        "<int:pk>/decisions/<int:obj>/delivery/",
        actions.DeliveryRecordView.as_view(),
        name="delivery_record",
    ),
    path(
        "<int:pk>/deliveries/<int:obj>/correct/",
        actions.DeliveryCorrectView.as_view(),
        name="delivery_correct",
    ),
    path(
        "<int:pk>/deliveries/<int:obj>/withdraw/",
        actions.DeliveryWithdrawView.as_view(),
        name="delivery_withdraw",
    ),
    path("<int:pk>/archive/", actions.ArchiveRecordView.as_view(), name="archive_record"),
    path("<int:pk>/filing/", actions.CityFilingView.as_view(), name="city_filing"),
    # Art 16 申诉, Art 10 责令限期整改, 办结
    path(
        "<int:pk>/decisions/<int:obj>/appeal/",
        actions.AppealRegisterView.as_view(),
        name="appeal_register",
    ),
    path(
        "<int:pk>/appeals/<int:obj>/review/",
        actions.AppealReviewView.as_view(),
        name="appeal_review",
    ),
    path(
        "<int:pk>/rectifications/<int:obj>/complete/",
        actions.RectificationCompleteView.as_view(),
        name="rectification_complete",
    ),
    path("<int:pk>/close/", actions.CaseCloseView.as_view(), name="case_close"),
    # Pages other apps add under this namespace (documents: the decision's issue pages).
    *[path("", include(module)) for module in extensions.url_modules()],
]
