"""Which version applies (第十九条, 从旧兼从轻).

第十九条 本办法自印发之日起施行。

The version in force when the conduct occurred applies, unless the version in
force at the decision is lighter for this case (interpretation version_choice):
compared by tier, then the heaviest open measure, then the number of measures.
"""

from __future__ import annotations

from rulebook.dates import zh
from rulebook.model import Facts
from rulebook.versions import RulebookVersion


def lighter_version(
    old: RulebookVersion,
    new: RulebookVersion,
    old_key: tuple[int, int, int],
    new_key: tuple[int, int, int] | None,
) -> RulebookVersion:
    """The version at the decision if it is lighter for this case (its key None: it cannot
    assess these facts), else the version at the conduct."""
    return new if new_key is not None and new_key < old_key else old


def reason(
    chosen: RulebookVersion, old: RulebookVersion, new: RulebookVersion, facts: Facts
) -> str:
    """The first sentence of every explanation: which version, and why."""
    decided = zh(facts.decided_on)
    if old is new:
        if facts.occurred_on is None:
            when = f"未载明行为发生日期,按决定时({decided})施行的版本"
        else:
            when = f"行为发生时({zh(facts.occurred_on)})与决定时({decided})施行的均为该版本"
        return f"依第十九条及从旧兼从轻原则,适用规则版本{old.label()}:{when}。"
    conduct = zh(facts.conduct_date)
    head = (
        f"依第十九条及从旧兼从轻原则:行为发生时({conduct})施行版本{old.label()},"
        f"决定时({decided})施行版本{new.label()};"
    )
    if chosen is new:
        return head + "新版本对本案处理较轻,适用新版本。"
    return head + "新版本对本案处理不轻于旧版本,适用行为时的版本。"
