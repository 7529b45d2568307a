from django.urls import path

from accountability.documents import views

app_name = "documents"

urlpatterns = [
    # A case's paperwork: the list of issued documents and what may be issued now.
    path("cases/<int:case_id>/", views.case_documents, name="case_documents"),
    # POST kind=<DocumentKind> [party=<CaseParty id>] [recipient=person|unit] [appeal=<id>]
    path("cases/<int:case_id>/issue/", views.issue, name="issue"),
    # GET ?party=&recipient=&appeal= : a draft, neither stored nor numbered (the shipped
    # template as .docx at once; otherwise a page whose POST has the worker make it).
    path(
        "cases/<int:case_id>/preview/<slug:kind>.<slug:fmt>",
        views.preview,
        name="preview",
    ),
    # POST: the zip of every issued document and attachment, with 目录.csv.
    path("cases/<int:case_id>/dossier/", views.dossier, name="dossier"),
    path("<int:pk>.<slug:fmt>", views.download, name="download"),
    # A draft the worker made (preview or template sample), for the user who asked for it.
    path("drafts/<uuid:draft_id>/", views.draft_download, name="draft"),
    path("<int:pk>/reissue/", views.reissue, name="reissue"),
    # POST: ask (again) for the PDF, made by the worker.
    path("<int:pk>/pdf/", views.pdf_request, name="pdf"),
    # Office templates.
    path("templates/", views.templates, name="templates"),
    path("templates/<slug:kind>.docx", views.template_download, name="template_download"),
    path(
        "templates/<slug:kind>/sample.<slug:fmt>",
        views.template_sample,
        name="template_sample",
    ),
    path("templates/<slug:kind>/upload/", views.template_upload, name="template_upload"),
    path("templates/<slug:kind>/reset/", views.template_reset, name="template_reset"),
]
