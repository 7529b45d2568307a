"""Named personas for tests: an organisation tree, one user per role and a few cadres.

    personas = make_personas()
    personas.case_officer            # users, also under personas.users
    personas.orgs.supervision_office # organisations, also as personas.supervision_office
    personas.people.handler          # Person rows (Art 5 roles), iterate with list(personas.people)

pytest: the root conftest.py exposes the fixture `personas`. Django TestCase:
subclass `PersonasTestCase` (or mix `PersonasMixin` into a TestCase), which
builds them once in setUpTestData and sets `cls.personas` plus one attribute
per user (`self.case_officer`).

Every persona user has the password PERSONA_PASSWORD. Those whose role needs a second factor
(settings.ACCOUNTS_OTP_REQUIRED_ROLES) have a TOTP device with a fixed key
(accountability.accounts.testing: `totp_code(persona_totp_device(user))` gives its code), and
the test client of PersonasTestCase logs in fully with `force_login` (TwoFactorClient).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.test import TestCase

from accountability.accounts.testing import TwoFactorClient

PERSONA_PASSWORD = "Persona#2026"  # noqa: S105

_password_hash: str | None = None


class Bunch(SimpleNamespace):
    """A namespace that also iterates over its values (in insertion order)."""

    def __iter__(self):
        return iter(vars(self).values())

    def __len__(self) -> int:
        return len(vars(self))


# (attribute, code, name, kind, parent attribute)
ORGANISATIONS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("city", "ZT", "昭通市纪委监委", "city_commission", None),
    ("city_supervision_office", "ZT-JGS", "市纪委纪检监察干部监督室", "office", "city"),
    ("county", "ZX", "镇雄县纪委监委", "county_commission", "city"),
    ("leading_group", "ZX-LD", "县纪委监委领导班子", "leading_group", "county"),
    ("general_office", "ZX-BGS", "县纪委监委办公室", "office", "county"),
    ("organisation_department", "ZX-ZZB", "县纪委监委组织部", "office", "county"),
    ("supervision_office", "ZX-JGS", "纪检监察干部监督室", "office", "county"),
    ("trial_office", "ZX-SLS", "案件审理室", "office", "county"),
    ("first_inspection_office", "ZX-JJ1", "第一监督检查室", "office", "county"),
    ("conduct_office", "ZX-DFZF", "党风政风监督室", "office", "county"),
    ("dispatched", "ZX-PZ1", "县纪委监委派驻第一纪检监察组", "dispatched", "county"),
    ("inspection", "ZX-XCB", "县委巡察办", "inspection", "county"),
    ("township", "ZX-WF", "乌峰街道纪工委", "township", "county"),
    ("second_township", "ZX-YG", "以古镇纪委", "township", "county"),
)

# (attribute = username, role, full name, organisation attribute)
USERS: tuple[tuple[str, str, str, str], ...] = (
    ("case_officer", "case_officer", "张明", "supervision_office"),
    ("office_head", "office_head", "李红", "supervision_office"),
    ("leader", "leader", "王强", "leading_group"),
    ("team_member", "team_member", "赵磊", "first_inspection_office"),
    ("committee_secretary", "committee_secretary", "陈静", "general_office"),
    ("archivist", "archivist", "刘芳", "organisation_department"),
    ("city_officer", "city_officer", "孙浩", "city_supervision_office"),
    ("township_officer", "township_officer", "周丽", "township"),
    ("subject", "subject", "吴刚", "conduct_office"),
    ("system_admin", "system_admin", "郑涛", "general_office"),
    ("security_admin", "security_admin", "冯雪", "general_office"),
    ("audit_admin", "audit_admin", "何平", "general_office"),
)

# (attribute, 工号, name, unit attr, post, Art 5 role, managed_by attr, account attr)
PEOPLE: tuple[tuple[str, str, str, str, str, str, str, str | None], ...] = (
    (
        "deputy_secretary",
        "ZX0001",
        "钱伟",
        "leading_group",
        "县纪委副书记",
        "分管领导",
        "city",
        None,
    ),
    ("leader", "ZX0002", "王强", "leading_group", "县纪委常委", "分管领导", "county", "leader"),
    (
        "office_head",
        "ZX0003",
        "马骏",
        "first_inspection_office",
        "主任",
        "部门负责人",
        "county",
        None,
    ),
    ("dispatched_head", "ZX0004", "杨帆", "dispatched", "组长", "派驻机构负责人", "county", None),
    ("inspection_head", "ZX0005", "黄涛", "inspection", "主任", "巡察机构负责人", "county", None),
    (
        "township_secretary",
        "ZX0006",
        "徐敏",
        "township",
        "纪工委书记",
        "乡镇纪委书记",
        "county",
        None,
    ),
    ("direct", "ZX0007", "朱磊", "first_inspection_office", "副主任", "直接负责人", "county", None),
    ("handler", "ZX0008", "吴刚", "conduct_office", "科员", "具体承办人", "county", "subject"),
    ("township_handler", "ZX0009", "胡静", "township", "干事", "具体承办人", "county", None),
)


def persona_password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(PERSONA_PASSWORD)
    return _password_hash


def _persona_devices(users: list[Any]) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accountability.accounts.otp import second_factor_required
    from accountability.accounts.testing import persona_totp_key

    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="动态口令", confirmed=True, key=persona_totp_key(u.username))
        for u in users
        if second_factor_required(u)
    )


def make_personas() -> Bunch:
    """Create the organisation tree, one user per role and the people; return them by name."""
    from accountability.accounts.models import User
    from accountability.people.models import Organisation, Person

    orgs = Bunch()
    for attr, code, name, kind, parent in ORGANISATIONS:
        org = Organisation.objects.create(
            code=code, name=name, kind=kind, parent=getattr(orgs, parent) if parent else None
        )
        setattr(orgs, attr, org)

    users = Bunch()
    password = persona_password_hash()
    for username, role, full_name, org_attr in USERS:
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            organisation=getattr(orgs, org_attr),
        )
        user.password = password
        user.save()
        setattr(users, username, user)
    _persona_devices(list(users))

    people = Bunch()
    for attr, number, name, unit, post, role, managed_by, account in PEOPLE:
        person = Person.objects.create(
            id_number=number,
            name=name,
            unit=getattr(orgs, unit),
            post=post,
            role=role,
            managed_by=getattr(orgs, managed_by),
            account=getattr(users, account) if account else None,
        )
        setattr(people, attr, person)

    result: dict[str, Any] = {}
    result.update(vars(orgs))
    result.update(vars(users))
    return Bunch(orgs=orgs, users=users, people=people, password=PERSONA_PASSWORD, **result)


class PersonasMixin:
    """For django.test.TestCase: `cls.personas`, one attribute per persona user, and a test
    client whose `force_login` also passes the second factor."""

    personas: Bunch
    client_class = TwoFactorClient

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.personas = make_personas()
        for name, user in vars(cls.personas.users).items():
            setattr(cls, name, user)


class PersonasTestCase(PersonasMixin, TestCase):
    pass
