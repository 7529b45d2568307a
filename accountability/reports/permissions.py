"""Who may see the statistics (第十七条 at a county's or a province's scale), by role.

In the style of ``accounts.permissions`` (whose role sets stay the single source for the
other apps): a role set, and the organ each holder sees, decided as ``cases.access`` decides
for cases (Art 11, 按照干部管理权限分级负责): a user sees the figures of their commission
(the nearest commission above their organisation: township, county or city) and of every
organisation below it, never of a commission beside or above it.

* 监督室工作人员, 监督室负责人: the supervision office keeps the register and reports the year
  (Art 12, 13); 分管(联系)领导: the leadership the figures are for.
* 市纪委监督室工作人员: the city office, for the city and the counties under it (it receives
  every county's filings, 13(4), and may pursue their leading cadres, Art 11).
* 乡镇纪委工作人员: their own township only.

Not: 调查组成员 (works on one case), 常委会秘书 and 组织部档案管理员 (their work is the meeting
and the dossier, not the register), 被追究责任者, and the three administrators (三员分立:
none of them reads case contents, and the figures are drawn from them).
"""

from __future__ import annotations

from accountability.accounts.permissions import Role

#: See the statistics page, its export and the year-end summary (within their organ).
STATISTICS_VIEWERS = frozenset(
    {
        Role.CASE_OFFICER,
        Role.OFFICE_HEAD,
        Role.LEADER,
        Role.CITY_OFFICER,
        Role.TOWNSHIP_OFFICER,
    }
)
#: Ask for the summary tables to be rebuilt now (a background job; they are rebuilt on a
#: schedule anyway): the supervision office, which keeps the register.
STATISTICS_REFRESHERS = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})
