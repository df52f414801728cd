import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from nps.frameworks.models import FrameworkVersion
from nps.frameworks.tests.files import REFUSED
from nps.testing import NPS_2018_FILE

pytestmark = pytest.mark.django_db


def test_load_framework_then_export_it(tmp_path):
    output = io.StringIO()
    call_command("load_framework", str(NPS_2018_FILE), stdout=output)
    assert "Loaded National Procurement Strategy for Local Government in England 2018 (published, 14 indices)" in (
        output.getvalue()
    )
    exported = io.StringIO()
    call_command("export_framework", "nps", "2018", stdout=exported)
    assert yaml.safe_load(exported.getvalue())["version"]["code"] == "2018"


def test_load_framework_lists_every_problem_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(NPS_2018_FILE.read_text().replace("innovator:", "innovatr:", 2))
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(bad))
    assert "was not loaded; 4 problem(s)" in str(error.value)
    assert "levels.innovator: level is missing" in str(error.value)
    assert not FrameworkVersion.objects.exists()


@pytest.mark.parametrize("case", REFUSED)
def test_load_framework_names_the_problem_and_its_place_without_a_traceback(tmp_path, case):
    data, problem = REFUSED[case]
    path = tmp_path / "strategy.yaml"
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path))
    assert str(error.value) == f"{path} was not loaded; 1 problem(s):\n  {problem}"
    assert error.value.returncode == 1  # what `nps load_framework` exits with, after printing the message alone
    assert not FrameworkVersion.objects.exists()


def test_load_framework_says_when_the_path_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="cannot be read: Is a directory"):
        call_command("load_framework", str(tmp_path))


def test_export_of_an_unknown_version_says_so():
    with pytest.raises(CommandError, match="There is no version '2030' of framework 'nps'"):
        call_command("export_framework", "nps", "2030")
