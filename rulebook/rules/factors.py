"""Lighter and heavier factors (第十四条, 第十五条).

第十四条 具有下列情节之一的,可从轻或者减轻追究责任:(一)对出现的问题及时如实报告并主动纠正,
挽回损失或者避免影响的;(二)对存在问题认真整改,成效明显的;(三)有其他应当从轻追究责任情节的。
第十五条 具有下列情节之一的,应当从重追究责任:(一)一年内出现2次以上(含2次)被追究责任的;
(二)不配合或阻碍责任追究工作的;(三)有其他应当从重追究责任情节的。

Item (1) of 第十五条 follows from the dates of this person's decisions
(interpretation repeat_window); 从轻/从重 choose within the tier, 减轻 opens the
tier below (interpretation lighter_and_heavier).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from rulebook.dates import add_months, zh
from rulebook.errors import RulebookError
from rulebook.model import Facts, Narrative
from rulebook.versions import RulebookVersion, Tier

if TYPE_CHECKING:
    from rulebook.compiled import Rules


def check_factors(rules: Rules, facts: Facts) -> None:
    """Refuse factor items this version does not know (the dates are checked apart)."""
    version = rules.version
    for item in facts.lighter:
        if item not in rules.lighter:
            raise RulebookError("lighter", f"第十四条没有第{item}项,可选:{_items(version.lighter)}")
    for item in facts.heavier:
        if item not in rules.heavier:
            manual = {k: f for k, f in version.heavier.items() if not f.automatic}
            auto = "(第(一)项由一年内的追究次数自动认定)" if item == version.repeat_item else ""
            raise RulebookError(
                "heavier", f"第十五条第{item}项不能作为输入{auto},可选:{_items(manual)}"
            )


def check_earlier(facts: Facts) -> None:
    for day in facts.earlier_decisions:
        if day > facts.decided_on:
            raise RulebookError(
                "earlier_decisions",
                f"此前的责任追究决定日期{zh(day)}晚于本次决定日期{zh(facts.decided_on)}",
            )


def _items(table: Mapping[int, object]) -> str:
    return "、".join(str(k) for k in sorted(table))


def repeat_window_start(months: int, decided_on: date) -> date:
    return add_months(decided_on, -months)


def accountable_in_year(rules: Rules, facts: Facts) -> int:
    """This decision plus the earlier ones within the window before it (第十五条第(一)项)."""
    if not facts.earlier_decisions:
        return 1
    decided = facts.decided_on
    start = add_months(decided, -rules.repeat_months)
    count = 1
    for day in facts.earlier_decisions:
        if day > decided:
            check_earlier(facts)  # raises, naming the date
        if start < day or (day == start and rules.repeat_include_start):
            count += 1
    return count


def adjustments(version: RulebookVersion, *, lighter: bool, heavier: bool) -> tuple[str, ...]:
    """The adjustments the factors call for, in the words of factors.toml."""
    found = (version.lighter_adjustment,) if lighter else ()
    return (*found, version.heavier_adjustment) if heavier else found


def reduced_measures(
    version: RulebookVersion, tier: Tier
) -> tuple[Tier | None, tuple[str, ...], tuple[str, ...]]:
    """减轻: the tier below, its measures plus what this tier requires, and those kept."""
    below = version.tier_below(tier.name)
    if below is None:
        return None, (), ()
    kept = tuple(m for m in tier.required if m not in below.measures)
    return below, (*below.measures, *kept), kept


def explain_repeat(version: RulebookVersion, facts: Facts, count: int, story: Narrative) -> bool:
    """Explain 第十五条第(一)项 for this person's earlier decisions; True when it applies."""
    if not facts.earlier_decisions:
        return False
    months = int(version.interpretations["repeat_window"].value.get("months", 12))
    start = repeat_window_start(months, facts.decided_on)
    if count >= version.repeat_threshold:
        story.step(
            f"自{zh(start)}至本次决定,一年内被追究责任{count}次(含本次),依第十五条第"
            f"(一)项“一年内出现2次以上(含2次)被追究责任的”,应当从重追究责任。",
            version.heavier[version.repeat_item].ref,
            interpretations=("repeat_window",),
        )
        return True
    story.step(
        f"此前的责任追究决定均在{zh(start)}之前,一年内被追究责任仅本次1次,"
        "不属第十五条第(一)项情形。",
        interpretations=("repeat_window",),
    )
    return False


def explain_lighter(version: RulebookVersion, facts: Facts, tier: Tier, story: Narrative) -> None:
    """Explain 第十四条's factors and the measures open when reduced (减轻)."""
    lighter_items = sorted(set(facts.lighter))
    if not lighter_items:
        return
    below, reduced, kept = reduced_measures(version, tier)
    refs = [version.lighter[i].ref for i in lighter_items]
    texts = ";".join(f"{version.lighter[i].ref}“{version.lighter[i].text}”" for i in lighter_items)
    if below is None:
        reduced_text = f"“{tier.name}”档已为最轻一档,减轻无下一档措施可适用"
    else:
        keep_text = f",{'、'.join(kept)}不因减轻而免除" if kept else ""
        reduced_text = f"减轻的,可适用“{below.name}”档措施:{'、'.join(reduced)}{keep_text}"
    story.step(
        f"具有{texts}情节,依第十四条可{version.lighter_adjustment}追究责任:从轻的,在“{tier.name}”"
        f"档措施内从轻选择;{reduced_text}。",
        *refs,
        interpretations=("lighter_and_heavier",),
    )


def explain_heavier(version: RulebookVersion, facts: Facts, tier: Tier, story: Narrative) -> None:
    """Explain the heavier factors given by hand (第十五条第(二)、(三)项)."""
    manual = sorted(set(facts.heavier))
    if not manual:
        return
    texts = ";".join(f"{version.heavier[i].ref}“{version.heavier[i].text}”" for i in manual)
    story.step(
        f"具有{texts}情节,依第十五条应当{version.heavier_adjustment}追究责任,"
        f"在“{tier.name}”档措施内从重选择。",
        *(version.heavier[i].ref for i in manual),
        interpretations=("lighter_and_heavier",),
    )


def explain_both(story: Narrative) -> None:
    story.step(
        "同时具有从轻(减轻)和从重情节,两者均予列明,由县纪委常委会综合权衡后决定。",
        interpretations=("lighter_and_heavier",),
    )
