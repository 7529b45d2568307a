"""Roster import and export: row-level errors, nothing half-imported, round trip."""

import pytest

from accountability.audit.models import AuditEntry
from accountability.common.errors import PermissionDenied
from accountability.people import roster
from accountability.people.models import Person
from accountability.people.services import (
    IMPORT_FAILED,
    NOT_ALLOWED,
    RosterImportError,
    roster_export,
    roster_import,
)
from accountability.people.tests.helpers import row, workbook_bytes

pytestmark = pytest.mark.django_db


def errors_of(content, actor=None):
    with pytest.raises(RosterImportError) as excinfo:
        roster_import(content=content, actor=actor)
    return [(e.row, e.column, e.message) for e in excinfo.value.errors]


def test_import_creates_and_updates(personas):
    """New 工号 create people, known ones are updated; the import is audited."""
    content = workbook_bytes(
        [
            row(),
            row(
                **{
                    "姓名": "吴刚",
                    "工号": "ZX0008",
                    "所在单位": "ZX-DFZF",
                    "职务": "副主任",
                    "责任主体类别": "具体承办人",
                    "干部管理机关": "镇雄县纪委监委",
                }
            ),
        ]
    )
    result = roster_import(content=content, actor=personas.case_officer, filename="a.xlsx")
    assert result.created == ["ZX1001"]
    assert result.updated == ["ZX0008"]
    new = Person.objects.get(id_number="ZX1001")
    assert (new.unit, new.managed_by, new.birth_year, new.gender) == (
        personas.trial_office,
        personas.county,
        1990,
        "女",
    )
    handler = Person.objects.get(id_number="ZX0008")
    assert handler.post == "副主任"
    assert handler.account == personas.subject
    entry = AuditEntry.objects.get(action="import")
    assert entry.target_repr == "a.xlsx"
    # Who changed and how is registry content: the audit keeps the number of records and
    # the changed fields in clear, the records themselves as a keyed hash.
    assert entry.changes["records"] == 2
    assert "post" in entry.changes["fields"]
    assert entry.changes["file"]["size"] > 0
    assert set(entry.sealed["fields"]) == {"records"}
    # No 工号 (a record's key) is shown in clear.
    assert "ZX0008" not in str(entry.changes)


def test_errors_reported_by_row_and_column_and_nothing_saved(personas):
    """Every bad cell is reported with row and column; the good rows are not saved either."""
    content = workbook_bytes(
        [
            row(),
            row(**{"工号": "ZX1002", "姓名": "", "所在单位": "不存在的单位"}),
            row(**{"工号": "ZX1003", "责任主体类别": "科员", "性别": "M", "出生年份": 1800}),
            row(**{"工号": "ZX1001", "中共党员": "也许"}),
        ]
    )
    errors = errors_of(content)
    assert errors == [
        (3, "姓名", roster.REQUIRED.format(column="姓名")),
        (3, "所在单位", roster.UNKNOWN_ORG.format(value="不存在的单位")),
        (
            4,
            "责任主体类别",
            roster.BAD_ROLE.format(
                value="科员",
                choices="分管领导、派驻机构负责人、巡察机构负责人、部门负责人、"
                "乡镇纪委书记、直接负责人、具体承办人",
            ),
        ),
        (4, "性别", roster.BAD_GENDER),
        (
            4,
            "出生年份",
            roster.BAD_YEAR.format(
                min_year=1940, max_year=__import__("datetime").date.today().year
            ),
        ),
        (5, "中共党员", roster.BAD_BOOL.format(column="中共党员")),
        (5, "工号", roster.DUPLICATE_NUMBER.format(value="ZX1001", other=2)),
    ]
    assert not Person.objects.filter(id_number__startswith="ZX10").exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_failure_message_counts_errors(personas):
    """The refusal's message says how many errors and that nothing was imported."""
    with pytest.raises(RosterImportError) as excinfo:
        roster_import(content=workbook_bytes([row(**{"姓名": ""})]))
    assert excinfo.value.message == IMPORT_FAILED.format(count=1)


def test_missing_header(personas):
    """A sheet without a required column is refused at row 1."""
    headers = [h for h in roster.HEADERS if h != "干部管理机关"]
    content = workbook_bytes([row()[: len(headers)]], headers=headers)
    assert errors_of(content) == [
        (1, "干部管理机关", roster.MISSING_HEADER.format(column="干部管理机关"))
    ]


def test_not_a_workbook(personas):
    """Bytes that are not an .xlsx are refused with one message."""
    assert errors_of(b"hello") == [(0, "", roster.NOT_XLSX)]


def test_empty_roster(personas):
    """A header without data rows is refused."""
    assert errors_of(workbook_bytes([])) == [(0, "", roster.NO_ROWS)]


def test_ambiguous_name_needs_code(personas):
    """A unit name shared by two units must be given as a code."""
    from accountability.people.models import Organisation

    Organisation.objects.create(
        code="ZX-SLS2", name="案件审理室", kind="office", parent=personas.county
    )
    assert errors_of(workbook_bytes([row()])) == [
        (2, "所在单位", roster.AMBIGUOUS_ORG.format(value="案件审理室"))
    ]


def test_authority_limits_importer(personas):
    """A county officer cannot assign the city as managing organ nor change city-managed people."""
    content = workbook_bytes(
        [
            row(**{"干部管理机关": "ZT"}),
            row(**{"工号": "ZX0001", "姓名": "钱伟", "干部管理机关": "ZX"}),
        ]
    )
    assert errors_of(content, actor=personas.case_officer) == [
        (2, "干部管理机关", roster.OUT_OF_AUTHORITY.format(value="ZT")),
        (3, "工号", roster.PERSON_OUT_OF_AUTHORITY.format(value="ZX0001")),
    ]


def test_only_registry_managers(personas):
    """Other roles may not import or export."""
    for user in (personas.leader, personas.audit_admin):
        with pytest.raises(PermissionDenied, match=str(NOT_ALLOWED)):
            roster_import(content=workbook_bytes([row()]), actor=user)
        with pytest.raises(PermissionDenied, match=str(NOT_ALLOWED)):
            roster_export(actor=user)


def test_round_trip(personas):
    """Importing an export changes nothing."""
    Person.objects.filter(pk=personas.people.handler.pk).update(
        gender="男", birth_year=1988, is_party_member=False, rank="二级主任科员"
    )
    before = list(Person.objects.order_by("id_number").values())
    content, count = roster_export(actor=personas.system_admin)
    assert count == len(personas.people)
    result = roster_import(content=content, actor=personas.system_admin)
    assert result.created == [] and result.updated == []
    assert len(result.unchanged) == count
    assert list(Person.objects.order_by("id_number").values()) == before


def test_export_layout_and_audit(personas):
    """The export has the import's header row, names for units, and is audited."""
    import io

    from openpyxl import load_workbook

    content, count = roster_export(actor=personas.case_officer)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == roster.HEADERS
    assert len(rows) == count + 1
    handler = next(r for r in rows if r[1] == "ZX0008")
    assert handler[2] == "党风政风监督室"
    assert handler[6] == "镇雄县纪委监委"
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["count"] == count
