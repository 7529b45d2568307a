"""What goes into an assessment (Facts) and what comes out (Assessment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

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
    kind: str
    until: date
    basis: str
    measure: str
    certainty: str

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "until": self.until.isoformat(),
            "basis": self.basis,
            "measure": self.measure,
            "certainty": self.certainty,
        }


@dataclass(slots=True)
class Trace:
    """The steps of an assessment: sentences, the articles and interpretations used."""

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

    def freeze(self) -> Part:
        refs = (tuple(self.citations), tuple(self.interpretations))
        return Part(
            tuple(self.explanation),
            refs[0],
            refs[1],
            tuple(self.warnings),
            _SIGNATURES.setdefault(refs, len(_SIGNATURES)),
        )


@dataclass(frozen=True, slots=True)
class Part:
    """A finished piece of a trace, kept for reuse: rules are pure functions of their input."""

    explanation: tuple[str, ...]
    citations: tuple[str, ...]
    interpretations: tuple[str, ...]
    warnings: tuple[str, ...]
    #: Parts with the same citations and interpretations share a signature.
    signature: int = 0


# (citations, interpretations) → a small number; there are only a few hundred such pairs.
_SIGNATURES: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}


class Assessment(NamedTuple):
    """The rulebook's result for one person (immutable); to_dict() is the JSON contract."""

    rulebook: str
    tier: str
    measures: tuple[str, ...]
    adjustments: tuple[str, ...]
    reduced_measures: tuple[str, ...]
    accountable_in_year: int
    citations: tuple[str, ...]
    appeal_deadline: date | None
    restrictions: tuple[Restriction, ...]
    interpretations: tuple[Interpretation, ...]
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    version_reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rulebook": self.rulebook,
            "tier": self.tier,
            "measures": list(self.measures),
            "adjustments": list(self.adjustments),
            "reduced_measures": list(self.reduced_measures),
            "accountable_in_year": self.accountable_in_year,
            "citations": list(self.citations),
            "appeal_deadline": self.appeal_deadline.isoformat() if self.appeal_deadline else None,
            "restrictions": [r.as_dict() for r in self.restrictions],
            "interpretations": [dict(i.json) for i in self.interpretations],
            "explanation": list(self.explanation),
            "warnings": list(self.warnings),
            "version_reason": self.version_reason,
        }
