"""Demo data for `accountability seed_demo`: a plausible county commission.

Idempotent: organisations by code, people by 工号 and users by username are
created or brought back to these values; nothing is duplicated. The demo
passwords are public, so the command refuses to run with DEBUG off unless
forced.

The demo users whose role needs a second factor get a TOTP device with a known
key (derived from the username), so that a person trying the demo without a
phone can read the current code with `accountability demo-otp USERNAME`
(refused unless DEBUG is on).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accountability.audit.services import audit_log

DEMO_PASSWORD = "Demo@2026"  # noqa: S105
DEMO_TOTP_PREFIX = "demo-totp:"

# (code, name, kind, parent code)
ORGANISATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("ZT", "昭通市纪委监委", "city_commission", None),
    ("ZT-JGS", "市纪委纪检监察干部监督室", "office", "ZT"),
    ("ZX", "镇雄县纪委监委", "county_commission", "ZT"),
    ("ZX-LD", "县纪委监委领导班子", "leading_group", "ZX"),
    ("ZX-BGS", "县纪委监委办公室", "office", "ZX"),
    ("ZX-ZZB", "县纪委监委组织部", "office", "ZX"),
    ("ZX-XJB", "县纪委监委宣传部", "office", "ZX"),
    ("ZX-JGS", "纪检监察干部监督室", "office", "ZX"),
    ("ZX-XFS", "信访室", "office", "ZX"),
    ("ZX-AGS", "案件监督管理室", "office", "ZX"),
    ("ZX-SLS", "案件审理室", "office", "ZX"),
    ("ZX-JJ1", "第一监督检查室", "office", "ZX"),
    ("ZX-JJ2", "第二监督检查室", "office", "ZX"),
    ("ZX-DFZF", "党风政风监督室", "office", "ZX"),
    ("ZX-PZ1", "县纪委监委派驻第一纪检监察组", "dispatched", "ZX"),
    ("ZX-PZ2", "县纪委监委派驻第二纪检监察组", "dispatched", "ZX"),
    ("ZX-XCB", "县委巡察办", "inspection", "ZX"),
    ("ZX-WF", "乌峰街道纪工委", "township", "ZX"),
    ("ZX-NT", "南台街道纪工委", "township", "ZX"),
    ("ZX-YG", "以古镇纪委", "township", "ZX"),
    ("ZX-MB", "芒部镇纪委", "township", "ZX"),
)

# (username, role, full name, organisation code, 工号 of their Person row or None)
USERS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("officer", "case_officer", "张明", "ZX-JGS", "ZX0101"),
    ("head", "office_head", "李红", "ZX-JGS", "ZX0100"),
    ("leader", "leader", "王强", "ZX-LD", "ZX0002"),
    ("member", "team_member", "赵磊", "ZX-JJ1", "ZX0111"),
    ("secretary", "committee_secretary", "陈静", "ZX-BGS", "ZX0120"),
    ("archivist", "archivist", "刘芳", "ZX-ZZB", "ZX0130"),
    ("city", "city_officer", "孙浩", "ZT-JGS", None),
    ("township", "township_officer", "周丽", "ZX-WF", "ZX0501"),
    ("subject", "subject", "吴刚", "ZX-DFZF", "ZX0142"),
    ("sysadmin", "system_admin", "郑涛", "ZX-BGS", None),
    ("secadmin", "security_admin", "冯雪", "ZX-BGS", None),
    ("auditor", "audit_admin", "何平", "ZX-BGS", None),
)

# (工号, name, gender, birth year, unit code, post, rank, Art 5 role, managed_by code)
PEOPLE: tuple[tuple[str, str, str, int, str, str, str, str, str], ...] = (
    (
        "ZX0001",
        "钱伟",
        "男",
        1972,
        "ZX-LD",
        "县纪委副书记、县监委副主任",
        "正科级",
        "分管领导",
        "ZT",
    ),
    ("ZX0002", "王强", "男", 1975, "ZX-LD", "县纪委常委", "副科级", "分管领导", "ZX"),
    ("ZX0003", "罗敏", "女", 1978, "ZX-LD", "县纪委常委", "副科级", "分管领导", "ZX"),
    ("ZX0100", "李红", "女", 1980, "ZX-JGS", "主任", "副科级", "部门负责人", "ZX"),
    ("ZX0101", "张明", "男", 1988, "ZX-JGS", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0102", "邓欣", "女", 1992, "ZX-JGS", "科员", "二级科员", "具体承办人", "ZX"),
    ("ZX0110", "马骏", "男", 1979, "ZX-JJ1", "主任", "副科级", "部门负责人", "ZX"),
    ("ZX0111", "赵磊", "男", 1986, "ZX-JJ1", "副主任", "一级主任科员", "直接负责人", "ZX"),
    ("ZX0112", "朱磊", "男", 1990, "ZX-JJ1", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0113", "高洁", "女", 1993, "ZX-JJ2", "科员", "二级科员", "具体承办人", "ZX"),
    ("ZX0114", "林涛", "男", 1982, "ZX-JJ2", "主任", "副科级", "部门负责人", "ZX"),
    ("ZX0120", "陈静", "女", 1987, "ZX-BGS", "副主任", "一级主任科员", "直接负责人", "ZX"),
    ("ZX0121", "何佳", "女", 1995, "ZX-BGS", "科员", "二级科员", "具体承办人", "ZX"),
    ("ZX0130", "刘芳", "女", 1984, "ZX-ZZB", "副部长", "一级主任科员", "直接负责人", "ZX"),
    ("ZX0131", "谢军", "男", 1977, "ZX-XJB", "部长", "副科级", "部门负责人", "ZX"),
    ("ZX0140", "宋平", "男", 1981, "ZX-DFZF", "主任", "副科级", "部门负责人", "ZX"),
    ("ZX0141", "唐丽", "女", 1989, "ZX-DFZF", "副主任", "二级主任科员", "直接负责人", "ZX"),
    ("ZX0142", "吴刚", "男", 1991, "ZX-DFZF", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0150", "韩梅", "女", 1983, "ZX-XFS", "主任", "副科级", "部门负责人", "ZX"),
    ("ZX0151", "冯刚", "男", 1994, "ZX-XFS", "科员", "二级科员", "具体承办人", "ZX"),
    ("ZX0160", "曹宇", "男", 1985, "ZX-SLS", "副主任", "一级主任科员", "直接负责人", "ZX"),
    ("ZX0170", "彭程", "男", 1990, "ZX-AGS", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0200", "杨帆", "男", 1976, "ZX-PZ1", "组长", "副科级", "派驻机构负责人", "ZX"),
    ("ZX0201", "袁媛", "女", 1991, "ZX-PZ1", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0210", "蒋涛", "男", 1980, "ZX-PZ2", "组长", "副科级", "派驻机构负责人", "ZX"),
    ("ZX0300", "黄涛", "男", 1978, "ZX-XCB", "主任", "副科级", "巡察机构负责人", "ZX"),
    ("ZX0301", "余欢", "女", 1992, "ZX-XCB", "科员", "一级科员", "具体承办人", "ZX"),
    ("ZX0500", "徐敏", "女", 1982, "ZX-WF", "纪工委书记", "副科级", "乡镇纪委书记", "ZX"),
    ("ZX0501", "周丽", "女", 1993, "ZX-WF", "干事", "二级科员", "具体承办人", "ZX"),
    ("ZX0510", "潘强", "男", 1981, "ZX-NT", "纪工委书记", "副科级", "乡镇纪委书记", "ZX"),
    ("ZX0520", "胡静", "女", 1986, "ZX-YG", "纪委书记", "副科级", "乡镇纪委书记", "ZX"),
    ("ZX0521", "吕斌", "男", 1995, "ZX-YG", "干事", "二级科员", "具体承办人", "ZX"),
    ("ZX0530", "孔亮", "男", 1984, "ZX-MB", "纪委书记", "副科级", "乡镇纪委书记", "ZX"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str
    full_name: str
    password: str
    second_factor: bool = False


def demo_totp_key(username: str) -> str:
    """The demo account's TOTP key (hex): public, like the demo password."""
    return hashlib.new("sm3", (DEMO_TOTP_PREFIX + username).encode()).hexdigest()[:40]


def _seed_second_factor(user) -> bool:
    """Give the demo user a TOTP device with the known key where their role needs one."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accountability.accounts import throttle
    from accountability.accounts.otp import TOTP_DEVICE_NAME, second_factor_required

    throttle.throttle_clear_account(username=user.username)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if not second_factor_required(user):
        return False
    TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, confirmed=True, key=demo_totp_key(user.username)
    )
    return True


def demo_totp_code(username: str) -> str | None:
    """The code a demo account's device accepts now (the next time step if the current one
    was used), or None for an account outside the demo or without a device."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if username not in {u[0] for u in USERS}:
        return None
    device = TOTPDevice.objects.filter(
        user__username=username, confirmed=True, key=demo_totp_key(username)
    ).first()
    if device is None:
        return None
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        ahead = max(device.last_t + 1 - totp.t(), 0)
        if ahead <= device.tolerance:
            totp.drift += ahead
            return str(totp.token()).zfill(device.digits)
        # Every code in the accepted window was used: wait for the next time step.
        time.sleep(device.step - (totp.time - device.t0) % device.step + 0.05)


@transaction.atomic
def seed_registry() -> list[DemoLogin]:
    """Create or refresh the demo organisations, people and one user per role."""
    from accountability.accounts.models import User
    from accountability.people.models import Organisation, Person

    orgs: dict[str, Organisation] = {}
    for code, name, kind, parent in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": orgs.get(parent) if parent else None},
        )
        orgs[code] = org

    people: dict[str, Person] = {}
    for number, name, gender, year, unit, post, rank, role, managed_by in PEOPLE:
        person, _ = Person.objects.update_or_create(
            id_number=number,
            defaults={
                "name": name,
                "gender": gender,
                "birth_year": year,
                "unit": orgs[unit],
                "post": post,
                "rank": rank,
                "role": role,
                "managed_by": orgs[managed_by],
                "is_party_member": True,
                "is_active": True,
            },
        )
        people[number] = person

    logins = []
    for username, role, full_name, org_code, number in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.full_name = full_name
        user.organisation = orgs[org_code]
        user.is_active = True
        user.must_change_password = False
        user.set_password(DEMO_PASSWORD)
        user.password_changed_at = timezone.now()
        user.save()
        if number:
            Person.objects.filter(account=user).exclude(id_number=number).update(account=None)
            person = people[number]
            person.account = user
            person.save(update_fields=["account"])
        second_factor = _seed_second_factor(user)
        logins.append(
            DemoLogin(
                username, str(user.get_role_display()), full_name, DEMO_PASSWORD, second_factor
            )
        )

    audit_log(
        actor=None,
        action="import",
        target=("demo", "", "演示数据"),
        changes={
            "organisations": len(ORGANISATIONS),
            "people": len(PEOPLE),
            "users": [u[0] for u in USERS],
        },
        detail="加载演示数据(seed_demo)",
    )
    return logins
