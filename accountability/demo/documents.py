"""Demo documents for `accountability seed_demo`: the paperwork of the demo's decided cases.

Idempotent: a document already issued is left alone. Issued through the service as the
case's own officer would, dated when the step happened. Decisions the demo left waiting for
their document stay waiting: only decisions already recorded as issued get their decision
document, with the number recorded for them.

Their PDFs come through the queue, as for any issued document, but all in one job (one
LibreOffice run per DOCUMENTS_PDF_BATCH_SIZE documents): the worker that ``make run`` starts
beside the server makes them within a minute or so of the seeding, and the documents pages
show their progress meanwhile. Without LibreOffice no PDF is asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountability.cases import access
from accountability.cases.models import Appeal, Case, Decision, Delivery
from accountability.cases.workflow import DECIDED_STATES, Role
from accountability.common.errors import DomainError
from accountability.documents import conversion, services
from accountability.documents.context import CRIMINAL, Subject
from accountability.documents.kinds import DocumentKind
from accountability.documents.roles import ISSUER_ROLES


def _issuer(case: Case) -> Any:
    from accountability.accounts.models import User

    for role in (Role.CASE_OFFICER, Role.CITY_OFFICER, Role.OFFICE_HEAD):
        for user in User.objects.filter(role=role, is_active=True).order_by("id"):
            if access.case_roles(case=case, user=user) & ISSUER_ROLES:
                return user
    return None


def _requests(case: Case) -> list[tuple[str, dict[str, Any], date | None]]:
    """(kind, subject arguments, date) of every document the case's progress calls for."""
    wanted: list[tuple[str, dict[str, Any], date | None]] = [
        (DocumentKind.INTAKE_APPROVAL, {}, case.approved_on),
    ]
    report = case.reports.filter(returned_at__isnull=True).order_by("-number").first()
    if report is not None:
        wanted.append((DocumentKind.INVESTIGATION_REPORT, {}, report.submitted_on))
    decisions = list(
        Decision.objects.filter(party__case=case).select_related("party").order_by("party_id")
    )
    for decision in decisions:
        if not decision.document_number:
            continue
        party = decision.party
        wanted.append((DocumentKind.DECISION, {"party": party}, decision.issued_on))
        # The case file's record of how the decision was measured, made with it.
        wanted.append((DocumentKind.ASSESSMENT_SHEET, {"party": party}, decision.issued_on))
        for recipient in (Delivery.Recipient.PERSON, Delivery.Recipient.UNIT):
            wanted.append(
                (
                    DocumentKind.DELIVERY_RECEIPT,
                    {"party": party, "recipient": str(recipient)},
                    decision.issued_on,
                )
            )
    if decisions and all(d.document_number for d in decisions):
        filing = getattr(case, "city_filing", None)  # None when not yet filed
        wanted.append(
            (DocumentKind.FILING_REPORT, {}, filing.filed_on if filing else decisions[0].issued_on)
        )
    for appeal in Appeal.objects.filter(decision__party__case=case, status=Appeal.Status.REVIEWED):
        wanted.append((DocumentKind.APPEAL_REVIEW, {"appeal": appeal}, appeal.reviewed_on))
    if decisions and case.parties.filter(severity=CRIMINAL).exists():
        wanted.append((DocumentKind.TRANSFER_LETTER, {}, decisions[0].decided_on))
    archive = getattr(case, "archive", None)
    if archive is not None:
        for decision in decisions:
            if decision.document_number:
                wanted.append(
                    (DocumentKind.DOSSIER_INDEX, {"party": decision.party}, archive.archived_on)
                )
    return wanted


def seed_documents(*, with_pdf: bool = True) -> str:
    """Issue the documents the demo cases call for, and queue one job for their PDFs;
    return a line for the command to print."""
    created = existing = 0
    issued = []
    today = timezone.localdate()
    cases = Case.objects.filter(state__in=DECIDED_STATES).order_by("received_on", "id")
    for case in cases:
        actor = _issuer(case)
        if actor is None:
            continue
        for kind, arguments, day in _requests(case):
            subject = Subject(
                case=case,
                party=arguments.get("party"),
                recipient=arguments.get("recipient", ""),
                appeal=arguments.get("appeal"),
            )
            if services.existing_document(DocumentKind(kind), subject) is not None:
                existing += 1
                continue
            try:
                document = services.document_issue(
                    case=case,
                    kind=kind,
                    actor=actor,
                    issued_on=min(day or today, today),
                    with_pdf=False,
                    # The demo enters its cases one after another, each with its own dates:
                    # a number out of the order of the dates is confirmed (and audited).
                    confirm_order=True,
                    **arguments,
                )
            except DomainError:
                continue  # not ready for this case: the demo shows it as such
            issued.append(document)
            created += 1
    if with_pdf and issued:
        with transaction.atomic():
            conversion.pdf_request(documents=issued, actor=None)
    return f"演示文书：新增{created}份，已有{existing}份。"


__all__ = ["seed_documents"]
