"""Who takes part in integrity vetting (党风廉政意见回复), by account role.

The organisation department asks; the supervision office confirms the answer from the records
it holds; the leader in charge signs it. None of the three administrators takes part (三员分立),
and the one who confirms is never the one who signs.

The request comes from the organisation department: of the account roles, the 组织部 archivist
is its user in the system (accounts.User.Role.ARCHIVIST). A role of its own
(组织部干部监督工作人员) would be added to VETTING_REQUESTERS here.
"""

from __future__ import annotations

from accountability.accounts.models import User

Role = User.Role

#: Submit a list and read the replies: the organisation department.
VETTING_REQUESTERS = frozenset({Role.ARCHIVIST})
#: Resolve ambiguous matches and confirm the supervision office's part.
VETTING_CONFIRMERS = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})
#: Sign the reply.
VETTING_SIGNERS = frozenset({Role.LEADER})
#: Every role that sees the requests of its commission.
VETTING_ROLES = VETTING_REQUESTERS | VETTING_CONFIRMERS | VETTING_SIGNERS
