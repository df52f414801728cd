"""Plain helpers that make test data. Used by the tests only."""

import itertools
from typing import Any

from nps.accounts.models import Membership, Role, User
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Kind, Organisation, Region
from nps.settings import PACKAGE_DIR

NPS_2018_FILE = PACKAGE_DIR / "frameworks" / "data" / "nps-2018.yaml"
SAMPLE_FRAMEWORK_FILE = PACKAGE_DIR / "frameworks" / "tests" / "fixtures" / "sample-framework.yaml"
_numbers = itertools.count(1)


def make_region(name: str = "North West", code: str = "E12000002") -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_organisation(
    name: str, kind: str = Kind.DISTRICT_COUNCIL, region: Region | None = None, **fields: object
) -> Organisation:
    gss_code = str(fields.pop("gss_code", None) or f"E99{next(_numbers):06d}")
    return Organisation.objects.create(
        gss_code=gss_code,
        name=name,
        official_name=f"{name} Council",
        kind=kind,
        region=region or make_region(),
        **fields,
    )


def make_user(
    email: str, *, organisation: Organisation | None = None, role: str | None = None, **fields: object
) -> User:
    user = User.objects.create_user(email, "correct-horse-battery", **fields)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role or Role.EDITOR)
    return user


def load_nps_2018() -> FrameworkVersion:
    return load_framework_file(NPS_2018_FILE.read_text(encoding="utf-8"))


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_accessible(page: Any) -> None:
    """axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA violations on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
