from django.core.management import call_command
from django.core.management.base import BaseCommand

from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.schema import read_framework
from nps.organisations.loader import DATA_DIR as ORGANISATIONS_DATA_DIR
from nps.settings import PACKAGE_DIR

FRAMEWORK_FILES = sorted((PACKAGE_DIR / "frameworks" / "data").glob("*.yaml"))


class Command(BaseCommand):
    help = "Load the reference data: the organisations (updated in place) and any framework version not yet loaded."

    def handle(self, *args: object, **options: object) -> None:
        call_command("load_organisations", data_dir=ORGANISATIONS_DATA_DIR, stdout=self.stdout)
        for path in FRAMEWORK_FILES:
            text = path.read_text(encoding="utf-8")
            data = read_framework(text)
            if FrameworkVersion.objects.filter(framework__code=data.framework_code, code=data.version_code).exists():
                self.stdout.write(f"Framework {data.framework_code} {data.version_code}: already loaded.")
                continue
            version = load_framework_file(text)
            self.stdout.write(f"Framework {data.framework_code} {data.version_code}: loaded {version}.")
