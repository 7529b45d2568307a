"""The indexes the statistics queries rely on, on the tables of the cases app.

Django indexes belong to the model's app, so they are declared here as a proposal for the
models' ``Meta.indexes`` (the cases app adds them with a migration of its own); until then
``bench/reports.py --indexes`` creates them in the benchmark's database to measure what they
bring. Each names the query (in ``selectors.py``) that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class ProposedIndex:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    name: str
    query: str

    def index(self) -> models.Index:
        return models.Index(fields=list(self.fields), name=self.name)

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


PROPOSED: tuple[ProposedIndex, ...] = (
    ProposedIndex(
        "cases.Decision",
        ("decided_on",),
        "cases_decision_decided_idx",
        "_decisions: every figure about people (month, unit, circumstance, tier, measure, kind, "
        "totals) filters the decisions by decided_on in the period",
    ),
    ProposedIndex(
        "cases.Case",
        ("received_on", "handling_organ"),
        "cases_case_recv_organ_idx",
        "_cases: clues by month, by source and by organ filter received_on in the period and "
        "handling_organ_id in the organ's tree",
    ),
    ProposedIndex(
        "cases.TransitionLog",
        ("case", "at"),
        "cases_log_case_at_idx",
        "_step_figures: LEAD(at) OVER (PARTITION BY case_id ORDER BY at, id) over the changes "
        "of the cases with a change in the period, at before its end",
    ),
    ProposedIndex(
        "cases.Appeal",
        ("received_on",),
        "cases_appeal_received_idx",
        "_appeal_figures: appeals by outcome and review deadline, received_on in the period",
    ),
    ProposedIndex(
        "cases.Rectification",
        ("deadline",),
        "cases_rect_deadline_idx",
        "_rectification_figures: rectifications by outcome, deadline in the period",
    ),
)


def missing(connection) -> list[ProposedIndex]:  # type: ignore[no-untyped-def]
    """The proposed indexes the database does not have (by name)."""
    result = []
    with connection.cursor() as cursor:
        for proposal in PROPOSED:
            table = proposal.model_class()._meta.db_table
            names = connection.introspection.get_constraints(cursor, table)
            if proposal.name not in names:
                result.append(proposal)
    return result


def create(connection) -> list[str]:  # type: ignore[no-untyped-def]
    """Create the missing proposed indexes (the benchmark's database only); their names."""
    made = []
    with connection.schema_editor() as editor:
        for proposal in missing(connection):
            editor.add_index(proposal.model_class(), proposal.index())
            made.append(proposal.name)
    return made
