"""Which version applies (第十九条, 从旧兼从轻).

第十九条 本办法自印发之日起施行。

The version in force when the conduct occurred applies, unless the version in
force at the decision is lighter for this case (interpretation version_choice):
compared by tier, then the heaviest open measure, then the number of measures.
"""

from __future__ import annotations

from typing import Protocol

from rulebook.dates import zh
from rulebook.versions import RulebookVersion


class Outcome(Protocol):
    tier_rank: int
    heaviest_rank: int
    measure_count: int


def severity_key(outcome: Outcome) -> tuple[int, int, int]:
    return (outcome.tier_rank, outcome.heaviest_rank, outcome.measure_count)


def same_version_reason(version: RulebookVersion, conduct: str | None, decided: str) -> str:
    if conduct is None:
        when = f"未载明行为发生日期,按决定时({decided})施行的版本"
    else:
        when = f"行为发生时({conduct})与决定时({decided})施行的均为该版本"
    return f"依第十九条及从旧兼从轻原则,适用规则版本{version.label()}:{when}。"


def choice_reason(
    chosen: RulebookVersion, old: RulebookVersion, new: RulebookVersion, conduct: str, decided: str
) -> str:
    if chosen is new:
        return (
            f"依第十九条及从旧兼从轻原则:行为发生时({conduct})施行版本{old.label()},"
            f"决定时({decided})施行版本{new.label()};新版本对本案处理较轻,适用新版本。"
        )
    return (
        f"依第十九条及从旧兼从轻原则:行为发生时({conduct})施行版本{old.label()},"
        f"决定时({decided})施行版本{new.label()};新版本对本案处理不轻于旧版本,适用行为时的版本。"
    )


__all__ = ["choice_reason", "same_version_reason", "severity_key", "zh"]
