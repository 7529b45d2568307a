"""`accountability import_roster` through call_command."""

import pytest
from django.core.management import CommandError, call_command

from accountability.people.models import Person
from accountability.people.roster import REQUIRED
from accountability.people.services import IMPORT_FAILED
from accountability.people.tests.helpers import row, workbook_bytes

pytestmark = pytest.mark.django_db


def test_import_roster_command(personas, tmp_path, capsys):
    """A good file is imported and the counts printed."""
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_bytes([row()]))
    call_command("import_roster", str(path))
    assert "新增 1 人" in capsys.readouterr().out
    assert Person.objects.filter(id_number="ZX1001").exists()


def test_import_roster_command_errors(personas, tmp_path, capsys):
    """A bad file prints each error by row and fails, saving nothing."""
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_bytes([row(), row(**{"工号": "ZX1002", "姓名": ""})]))
    with pytest.raises(CommandError, match=IMPORT_FAILED.format(count=1)):
        call_command("import_roster", str(path))
    assert f"第 3 行【姓名】{REQUIRED.format(column='姓名')}" in capsys.readouterr().err
    assert not Person.objects.filter(id_number="ZX1001").exists()
