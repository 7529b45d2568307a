"""Who is held accountable, and for what (第五条, 第八条).

第五条 责任主体按照职责划分为:县纪委监委班子成员中的分管(联系)领导、各派驻机构、县委巡察
机构、机关各室(部、中心)负责人、乡镇(街道)纪委书记、直接负责人、具体承办人。
第八条 有下列情形之一的,追究相关责任人责任:(一)……(九)有其他情形需要追究责任的。

第八条第(一)项 names a distinct failing for each role; the failings given must
be the role's own. 第九条's kinds of responsibility (集体/个人, 主要领导/重要领导/
直接责任) are recorded by the case, not decided here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rulebook.errors import RulebookError
from rulebook.model import Facts, Narrative
from rulebook.versions import RulebookVersion

if TYPE_CHECKING:
    from rulebook.compiled import Rules


def check_subject(rules: Rules, facts: Facts) -> None:
    """Refuse a role, circumstance or condition this version does not know."""
    if facts.role not in rules.roles:
        raise RulebookError(
            "role", f"未知的责任主体“{facts.role}”(第五条),可选:{'、'.join(rules.version.roles)}"
        )
    if facts.circumstance not in rules.circumstances:
        items = sorted(rules.circumstances)
        raise RulebookError(
            "circumstance",
            f"第八条没有第{facts.circumstance}项,情形须为 {items[0]}–{items[-1]} 的整数",
        )
    if facts.circumstance != rules.conditions_item:
        if facts.conditions:
            raise RulebookError(
                "conditions", "具体情形(conditions)只适用于第八条第(一)项,本案情形不是第(一)项"
            )
        return
    allowed = rules.conditions[facts.role]
    if not facts.conditions:
        raise RulebookError(
            "conditions",
            f"第八条第(一)项须写明{facts.role}的具体情形,可选:{_allowed(rules, facts)}",
        )
    for condition in facts.conditions:
        if condition not in allowed:
            raise RulebookError(
                "conditions",
                f"“{condition}”不是第八条第(一)项对{facts.role}规定的情形,"
                f"可选:{_allowed(rules, facts)}",
            )


def _allowed(rules: Rules, facts: Facts) -> str:
    return "、".join(rules.version.conditions[facts.role])


def explain_subject(version: RulebookVersion, facts: Facts, story: Narrative) -> None:
    role = version.role_info[facts.role]
    circumstance = version.circumstances[facts.circumstance]
    story.step(
        f"被追究责任者为{role.label}(第五条),其工作责任内容见{role.duties_ref}。",
        role.ref,
        role.duties_ref,
    )
    if facts.conditions:
        group = role.condition_group
        reading: tuple[str, ...] = ()
        note = ""
        if group != facts.role:
            reading = ("head_roles_in_8_1",)
            note = f"(按“{group}”认定)"
        story.step(
            f"其行为属{circumstance.ref}所列情形{note}:{'、'.join(facts.conditions)},"
            "造成工作失误或不良后果。",
            circumstance.ref,
            interpretations=reading,
        )
    else:
        story.step(
            f"其行为属{circumstance.ref}所列情形:“{circumstance.text}”",
            circumstance.ref,
        )
