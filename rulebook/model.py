"""What goes into an assessment (Facts) and what comes out (Assessment).

An Assessment holds the outcome (tier, measures, adjustments, the count within
one year, the appeal deadline, the restrictions) and a compact trace of what
the rules found. Its explanation, citations, interpretations and warnings are
told from that trace the first time they are asked for, so that a batch that
needs only the outcome never renders a sentence (assess(..., explain=False)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from rulebook.versions import Interpretation


class Facts(NamedTuple):
    """The facts of one person's case, in the regulation's words (immutable)."""

    role: str
    circumstance: int
    severity: str
    decided_on: date
    conditions: tuple[str, ...] = ()
    violates_discipline: bool = False
    lighter: tuple[int, ...] = ()
    heavier: tuple[int, ...] = ()
    earlier_decisions: tuple[date, ...] = ()
    occurred_on: date | None = None
    received_on: date | None = None
    imposed: tuple[str, ...] = ()

    @property
    def conduct_date(self) -> date:
        return self.occurred_on or self.decided_on


class Restriction(NamedTuple):
    """One restriction after a measure (第十七条): its kind, its period and its source.

    `kind` is a stable machine name (restrictions.toml [[kind]]); `label` says it in the
    source's words; `bars` tells whether it bars a promotion, an award, both or neither;
    the restriction runs from `start` to `until`, both days included.
    """

    kind: str
    label: str
    bars: tuple[str, ...]
    basis: str
    measure: str
    certainty: str
    start: date
    until: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "bars": list(self.bars),
            "start": self.start.isoformat(),
            "until": self.until.isoformat(),
            "basis": self.basis,
            "measure": self.measure,
            "certainty": self.certainty,
        }


@dataclass(slots=True)
class Narrative:
    """An explanation being told: sentences, the articles and interpretations they use."""

    explanation: list[str] = field(default_factory=list)
    citations: dict[str, None] = field(default_factory=dict)
    interpretations: dict[str, None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def step(self, sentence: str, *refs: str, interpretations: tuple[str, ...] = ()) -> None:
        self.explanation.append(sentence)
        for ref in refs:
            self.citations[ref] = None
        for key in interpretations:
            self.interpretations[key] = None


@dataclass(frozen=True, slots=True)
class Told:
    """An assessment's explanation, as rendered."""

    explanation: tuple[str, ...]
    citations: tuple[str, ...]
    interpretations: tuple[Interpretation, ...]
    warnings: tuple[str, ...]
    version_reason: str


class Trace(Protocol):
    """What the rules found, kept to tell the explanation later (rulebook.engine.Trace)."""

    def tell(self, result: Assessment) -> Told: ...


class Assessment(NamedTuple):
    """The rulebook's result for one person (immutable); to_dict() is the JSON contract."""

    rulebook: str
    tier: str
    measures: tuple[str, ...]
    adjustments: tuple[str, ...]
    reduced_measures: tuple[str, ...]
    accountable_in_year: int
    appeal_deadline: date | None
    restrictions: tuple[Restriction, ...]
    trace: Trace

    def outcome(self) -> tuple[Any, ...]:
        """Everything but the explanation: what a batch compares and stores."""
        return self[:-1]

    @property
    def told(self) -> Told:
        return self.trace.tell(self)

    @property
    def explanation(self) -> tuple[str, ...]:
        return self.told.explanation

    @property
    def citations(self) -> tuple[str, ...]:
        return self.told.citations

    @property
    def interpretations(self) -> tuple[Interpretation, ...]:
        return self.told.interpretations

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.told.warnings

    @property
    def version_reason(self) -> str:
        return self.told.version_reason

    def to_dict(self) -> dict[str, Any]:
        told = self.told
        return {
            "rulebook": self.rulebook,
            "tier": self.tier,
            "measures": list(self.measures),
            "adjustments": list(self.adjustments),
            "reduced_measures": list(self.reduced_measures),
            "accountable_in_year": self.accountable_in_year,
            "citations": list(told.citations),
            "appeal_deadline": self.appeal_deadline.isoformat() if self.appeal_deadline else None,
            "restrictions": [r.as_dict() for r in self.restrictions],
            "interpretations": [dict(i.json) for i in told.interpretations],
            "explanation": list(told.explanation),
            "warnings": list(told.warnings),
            "version_reason": told.version_reason,
        }
