"""Who may do what with documents: issue each kind, export the dossier, manage templates.

Both the writes (services) and the reads (selectors, which show what a user may do) need
these sets, so they live here, in neither.
"""

from __future__ import annotations

from typing import Any

from accountability.cases.workflow import Role
from accountability.documents.kinds import DocumentKind

ISSUER_ROLES = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD, Role.CITY_OFFICER})
KIND_ROLES: dict[str, frozenset[str]] = {
    DocumentKind.DOSSIER_INDEX: ISSUER_ROLES | {Role.ARCHIVIST},
    DocumentKind.APPEAL_REVIEW: ISSUER_ROLES | {Role.COMMITTEE_SECRETARY},
}
DOSSIER_ROLES = ISSUER_ROLES | {Role.ARCHIVIST}
TEMPLATE_ROLES = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})


def issuer_roles(kind: str) -> frozenset[str]:
    """The case roles that may issue a document of ``kind``."""
    return KIND_ROLES.get(kind, ISSUER_ROLES)


def can_manage_templates(user: Any) -> bool:
    return getattr(user, "role", None) in TEMPLATE_ROLES
