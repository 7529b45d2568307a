"""Severity and the measures open at each tier (第十条).

第十条 出现第八条所列情形之一,情节较轻的,对相关人员进行批评教育,提醒约谈,诫勉谈话并责令
限期整改;情节较重的,给予通报,诫勉等问责处理,并根据情况给予停职检查、调整职务、责令辞职、
降职、免职等组织处理;情节严重或构成违纪的,按照有关规定给予党政纪处分;涉嫌犯罪的,移送司法
机关依法处理。

Exception (interpretation discipline_floor): 构成违纪 lifts 较轻 and 较重 to the
严重 tier; 涉嫌犯罪 keeps the sanctions of the 严重 tier open beside the referral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rulebook.errors import RulebookError
from rulebook.model import Facts, Narrative
from rulebook.versions import RulebookVersion, Tier

if TYPE_CHECKING:
    from rulebook.compiled import Rules, TierRule


def applicable_tier(version: RulebookVersion, severity: str, violates_discipline: bool) -> Tier:
    """The tier whose measures apply: the severity, lifted by 构成违纪."""
    tier = version.tiers[severity]
    if violates_discipline:
        floor = version.tiers[version.discipline_floor]
        if tier.rank < floor.rank:
            return floor
    return tier


def tier_rule(rules: Rules, facts: Facts) -> TierRule:
    """The compiled 第十条 for this severity (applicable_tier, looked up)."""
    found = rules.tiers.get((facts.severity, bool(facts.violates_discipline)))
    if found is None:
        raise RulebookError(
            "severity",
            f"未知的情节“{facts.severity}”,可选:{'、'.join(rules.version.severities)}",
        )
    return found


def explain_tier(version: RulebookVersion, facts: Facts, tier: Tier, story: Narrative) -> None:
    measures = "、".join(tier.measures)
    if tier.name != facts.severity:
        story.step(
            f"情节认定为“{facts.severity}”,但构成违纪,依第十条“情节严重或构成违纪的,按照有关"
            f"规定给予党政纪处分”,按“{tier.name}”档处理,可适用:{measures}。",
            tier.ref,
            version.discipline_ref,
            interpretations=("discipline_floor",),
        )
        return
    if tier.required:
        story.step(
            f"涉嫌犯罪,依第十条移送司法机关依法处理({'、'.join(tier.required)});"
            f"同时可依规给予党政纪处分,可适用:{measures}。",
            tier.ref,
            interpretations=("discipline_floor",),
        )
        return
    reading = ("discipline_floor",) if facts.violates_discipline else ()
    refs = (tier.ref, version.discipline_ref) if facts.violates_discipline else (tier.ref,)
    discipline = "且构成违纪," if facts.violates_discipline else ""
    story.step(
        f"情节认定为“{facts.severity}”,{discipline}依第十条适用“{tier.name}”档措施:{measures}。",
        *refs,
        interpretations=reading,
    )
