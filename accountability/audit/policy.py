"""What an audit entry shows in clear, and what is case content (kept only as a keyed hash).

The rule (GB/T 22239-2019 level 3: the audit records who did what to which object, when, and
with what outcome; 三员分立: no administrator reads case contents):

* Always in clear: the actor (account, name, role at the time), the time, the event type,
  the outcome, the client's IP address, the object's type and id, the case's number, and the
  *names* of the fields recorded.
* Values in clear only where they are facts of the system's own administration, which the
  audit administrator must be able to judge: accounts (username, name, the role an
  administrator gave, activation, lockouts, the reason a login failed), the security policy,
  the audit log's own filters and anchors, holiday schedules, office templates.
* In the case domain (every model of the cases app, issued documents, the registry of people)
  a value is shown only if it is procedural: the step taken (``action``), the state, the
  fields named, error codes, and the identifiers and integrity hashes of files and documents.
  Everything else (findings of fact, measures, reasons, opinions, summaries, people's names,
  dates entered, votes, the object's own text and the free-text detail) is case content: the
  entry keeps an HMAC-SM3 of it (``AuditEntry.sealed``) and never the value. The case roles
  read the values on the case itself.
* A target type not listed here is treated as case content (the safe default).

The same rule is applied again when an entry is shown (``describe.py``), so rows written
before it (format 1) do not show their content either.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TargetPolicy:
    # Every value in clear (the system's own administration).
    administrative: bool = False
    # Keys whose values are clear in addition to PROCEDURAL_KEYS (case domain only).
    clear_keys: frozenset[str] = field(default_factory=frozenset)
    # The object's own text (str(model)) and the detail are shown in clear.
    clear_label: bool = False
    clear_detail: bool = False
    # Actions whose ``changes`` are keyed by record (a roster import: {number: {field: ...}}):
    # the record keys are content too; the field names inside are kept.
    record_keyed_actions: frozenset[str] = field(default_factory=frozenset)
    # Where those records sit in ``changes`` (None: ``changes`` is the records themselves).
    records_key: str | None = None

    def value_is_clear(self, key: str) -> bool:
        return self.administrative or key in PROCEDURAL_KEYS or key in self.clear_keys


# Procedural facts of a case-domain entry: what step, which state, which fields, which file.
PROCEDURAL_KEYS = frozenset(
    {
        "case",
        "action",
        "state",
        "fields",
        "code",
        "field",
        "report",
        "rulebook",
        "sha256",
        "sm3",
        "size",
        "format",
        "stored",
        "files",
        "transfer",
        "count",
        "document_number",
        "number",
        "version",
        "supersedes",
        "docx_sha256",
        "docx_sm3",
        "pdf_sha256",
        "pdf_sm3",
        "template_sha256",
        # Key rotation (accountability/operations/keys.py): which keys, how many rows.
        "field_key",
        "rows",
        "first_id",
        "last_id",
    }
)

ADMINISTRATIVE = TargetPolicy(administrative=True, clear_label=True, clear_detail=True)
CASE_CONTENT = TargetPolicy()

POLICIES: dict[str, TargetPolicy] = {
    "accounts.user": ADMINISTRATIVE,
    "accounts.accountrequest": ADMINISTRATIVE,
    "jobs.job": TargetPolicy(clear_keys=frozenset({"code"}), clear_label=True),
    "accounts.securitypolicy": ADMINISTRATIVE,
    "audit.log": ADMINISTRATIVE,
    "audit.anchor": ADMINISTRATIVE,
    "assessment.holidayyear": ADMINISTRATIVE,
    "documents.documenttemplate": ADMINISTRATIVE,
    "demo": ADMINISTRATIVE,
    # A refused page: the path is clear; the refusal's message may name a party (回避).
    "url": TargetPolicy(administrative=True, clear_label=True),
    # A number given out of the order of the dates (the number it follows and its date).
    "documents.issueddocument": TargetPolicy(
        clear_keys=frozenset({"kind", "pdf", "document", "out_of_order"})
    ),
    # Statistics exports and system operations (backup, restore) hold no case content.
    "reports.statistics": ADMINISTRATIVE,
    # An export of the case list: how many rows is clear; the filters (names …) are content.
    "cases.caselist": TargetPolicy(clear_keys=frozenset({"total"}), clear_label=True),
    "system": ADMINISTRATIVE,
    "system.field_keys": ADMINISTRATIVE,
    "documents.documentpdf": TargetPolicy(clear_keys=frozenset({"document", "pdf"})),
    "people.organisation": ADMINISTRATIVE,
    # Reports from the public (accountability/public): what a report, a message or a file
    # says is case content; their labels (网上举报第N号, 证据材料1.jpg) and a failed look-up's
    # reason and throttle scope are not.
    "public.publicreport": TargetPolicy(clear_label=True),
    "public.reportmessage": TargetPolicy(clear_label=True),
    "public.reportfile": TargetPolicy(clear_label=True),
    "public.lookup": TargetPolicy(clear_keys=frozenset({"scope"}), clear_label=True),
    "people.roster": TargetPolicy(
        clear_keys=frozenset({"organisation", "file"}),
        records_key="people",
        clear_label=True,
        clear_detail=True,
        record_keyed_actions=frozenset({"import"}),
    ),
}


def policy_for(target_type: str) -> TargetPolicy:
    return POLICIES.get(target_type, CASE_CONTENT)


def is_case_domain(target_type: str) -> bool:
    return not policy_for(target_type).administrative
