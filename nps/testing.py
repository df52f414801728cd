"""Plain helpers that make test data. Used by the tests only."""

import itertools
import re
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


def make_open_round(
    *organisations: Organisation,
    version: FrameworkVersion | None = None,
    name: str = "2026 diagnostic",
    prefill_from: Any = None,
) -> Any:
    """An open national round inviting the given organisations' types, on NPS 2018 unless told otherwise.

    It opens on 1 November of the year in its name (2026 if none), so rounds named for years come in order."""
    import datetime

    from nps.assessments.models import Round
    from nps.assessments.rounds import create_round, open_round

    version = version or FrameworkVersion.objects.filter(framework__code="nps", code="2018").first() or load_nps_2018()
    year_in_name = re.search(r"\d{4}", name)
    year = int(year_in_name.group()) if year_in_name else 2026
    round_: Round = create_round(
        name=name,
        framework_version=version,
        opens_on=datetime.date(year, 11, 1),
        deadline=datetime.date(year + 1, 1, 31),
        invited_kinds=sorted({o.kind for o in organisations}),
        prefill_from=prefill_from,
        by=None,
    )
    open_round(round_, by=None)
    round_.refresh_from_db()
    return round_


def answer_everything(council_return: Any, user: User, *, level: int = 2, target: int = 3) -> None:
    """Give every index of a return a current and target level, as an editor would."""
    from nps.assessments.answers import save_answer

    for answer in council_return.answers.all():
        save_answer(answer, {"current_level": level, "target_level": target}, expected_version=answer.version, by=user)
