from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "accountability.documents"
    label = "documents"

    def ready(self) -> None:
        # The documents' pages and panels on the case pages: cases does not import documents.
        from accountability.cases import extensions

        extensions.register_urls("accountability.documents.urls_case")
        extensions.register_case_panel("accountability.documents.views_case.case_panel")
        extensions.register_decision_panel("accountability.documents.views_case.decision_panel")
        extensions.register_subject_documents(
            "accountability.documents.views_case.subject_documents"
        )
