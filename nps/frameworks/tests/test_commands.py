import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from nps.frameworks.models import FrameworkVersion
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


def test_export_of_an_unknown_version_says_so():
    with pytest.raises(CommandError, match="There is no version '2030' of framework 'nps'"):
        call_command("export_framework", "nps", "2030")
