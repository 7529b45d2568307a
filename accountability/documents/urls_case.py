"""The decision's issue pages, in the ``cases`` namespace (joined through cases.extensions, so
the names stay ``cases:decision_issue`` and ``cases:decision_issue_paper``)."""

from django.urls import path

from accountability.documents import views_case

urlpatterns = [
    # 13(4) 执行决定: 印发 the decision document through the system.
    path(
        "<int:pk>/decisions/<int:obj>/issue/",
        views_case.DecisionIssueView.as_view(),
        name="decision_issue",
    ),
    # 纸质文书补录: a decision document issued on paper outside the system.
    path(
        "<int:pk>/decisions/<int:obj>/issue/paper/",
        views_case.DecisionPaperRecordView.as_view(),
        name="decision_issue_paper",
    ),
]
