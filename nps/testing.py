"""Plain helpers that make test data. Used by the tests only."""

import datetime
import itertools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from nps.accounts import two_factor
from nps.accounts.models import Membership, Role, User
from nps.core.outbox import send_due
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Kind, Organisation, Region
from nps.settings import PACKAGE_DIR

NPS_2018_FILE = PACKAGE_DIR / "frameworks" / "data" / "nps-2018.yaml"
SAMPLE_FRAMEWORK_FILE = PACKAGE_DIR / "frameworks" / "tests" / "fixtures" / "sample-framework.yaml"
_numbers = itertools.count(1)


def emails_sent() -> list[EmailMessage]:
    """Run the email worker once, as `nps send_email` would, and return every email sent in the test so far."""
    send_due()
    return mail.outbox


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
    from playwright.sync_api import Error

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for attempt in range(3):  # a click just before may still be replacing the document: wait for it, then look again
        page.wait_for_load_state()
        try:
            results = Axe().run(page, options=options)
            break
        except Error:
            if attempt == 2:
                raise
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


HOME_PAGE = re.compile(r"^https?://[^/]+/$")


def sign_in(page: Any, email: str, password: str = "correct-horse-battery") -> None:
    """Sign in through the sign-in page, as a person would (signing out whoever was), and wait for the home page it
    lands on."""
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(HOME_PAGE)


def make_open_round(
    *organisations: Organisation,
    version: FrameworkVersion | None = None,
    name: str = "2026 diagnostic",
    prefill_from: Any = None,
    requires_sign_off: bool = False,
    allow_unconfirmed_prefill: bool = False,
) -> Any:
    """An open national round inviting the given organisations' types, on NPS 2018 unless told otherwise.

    It opens on 1 November of the year in its name (2026 if none), so rounds named for years come in order. Editors
    submit its returns themselves unless `requires_sign_off` (the default for rounds the national team creates)."""
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
        requires_sign_off=requires_sign_off,
        allow_unconfirmed_prefill=allow_unconfirmed_prefill,
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


def nps_2026_text() -> str:
    """A made-up successor to NPS 2018: talent renamed, SMEs and VCSEs merged, risk split, partners reworded."""
    import yaml

    document = yaml.safe_load(NPS_2018_FILE.read_text())
    document["version"] = {
        "code": "2026",
        "title": "NPS 2026 (test)",
        "status": "published",
        "published_on": datetime.date(2026, 4, 1),
        "follows": {"framework": "nps", "version": "2018"},
    }
    themes = {theme["code"]: theme for theme in document["themes"]}
    levels = {
        name: f"{name.title()} level text." for name in ("minimum", "developing", "mature", "leader", "innovator")
    }

    def index(code: str, title: str) -> dict[str, object]:
        return {
            "code": code,
            "title": title,
            "description": f"{title}.",
            "what_it_is": "What.",
            "why_it_is_important": "Why.",
            "levels": dict(levels),
        }

    talent = next(e for e in document["enablers"] if e["code"] == "developing-talent")
    talent["code"], talent["title"] = "growing-talent", "Growing talent"
    community = themes["achieving-community-benefits"]["key_areas"]
    community[:] = [k for k in community if k["code"] not in {"engaging-smes", "enabling-vcse-engagement"}]
    community.append(index("local-economy", "Engaging the local economy"))
    commercial = themes["behaving-commercially"]["key_areas"]
    commercial[:] = [k for k in commercial if k["code"] != "managing-strategic-risk"]
    commercial += [index("supplier-risk", "Managing supplier risk"), index("market-risk", "Managing market risk")]
    partners = next(k for k in themes["showing-leadership"]["key_areas"] if k["code"] == "working-with-partners")
    partners["description"] = "Working with partners, reworded for 2026."
    partners["levels"]["mature"] = "Designing and implementing solutions as a single team in most projects."
    document["replacements"] = [
        {"retired": "developing-talent", "replaced_by": ["growing-talent"]},
        {"retired": "engaging-smes", "replaced_by": ["local-economy"]},
        {"retired": "enabling-vcse-engagement", "replaced_by": ["local-economy"]},
        {"retired": "managing-strategic-risk", "replaced_by": ["supplier-risk", "market-risk"]},
    ]
    return yaml.safe_dump(document, sort_keys=False)


def regional_text(group_gss_code: str, *, version: str = "1") -> str:
    """A made-up regional strategy derived from NPS 2018: two indices of its own, one national index retired."""
    import yaml

    national = yaml.safe_load(NPS_2018_FILE.read_text())
    levels = {name: f"{name.title()}." for name in ("minimum", "developing", "mature", "leader", "innovator")}
    themes = [
        {
            "code": theme["code"],
            "title": theme["title"],
            "key_areas": [
                {
                    "code": key_area["code"],
                    "inherit": True,
                    **({"priority": True} if key_area["code"] == "obtaining-social-value" else {}),
                }
                for key_area in theme["key_areas"]
                if key_area["code"] != "engaging-strategic-suppliers"
            ],
        }
        for theme in national["themes"]
    ]
    themes.append(
        {
            "code": "ethical-procurement",
            "title": "Ethical procurement",
            "key_areas": [
                {
                    "code": "modern-slavery",
                    "title": "Tackling modern slavery",
                    "description": "Voluntary compliance with the Modern Slavery Act 2015.",
                    "what_it_is": "What.",
                    "why_it_is_important": "Why.",
                    "levels": dict(levels),
                },
                {
                    "code": "green-social-value",
                    "title": "Green social value",
                    "description": "The green part of social value.",
                    "what_it_is": "What.",
                    "why_it_is_important": "Why.",
                    "levels": dict(levels),
                },
            ],
        }
    )
    document = {
        "format": "nps-framework/1",
        "framework": {"code": "regional", "title": "A regional procurement strategy", "owner": group_gss_code},
        "version": {
            "code": version,
            "title": f"Regional strategy {version}",
            "status": "published",
            "published_on": datetime.date(2026, 5, 1),
            "derives_from": {"framework": "nps", "version": "2018"},
        },
        "themes": themes,
        "enablers": [{"code": enabler["code"], "inherit": True} for enabler in national["enablers"]],
    }
    return yaml.safe_dump(document, sort_keys=False)


REFUSE_TRIGGER = {
    "sqlite": "CREATE TRIGGER nps_refuse BEFORE {operation} ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END",
    "postgresql": "CREATE FUNCTION nps_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END $$; "
    "CREATE TRIGGER nps_refuse BEFORE {operation} ON {table} FOR EACH ROW EXECUTE FUNCTION nps_refuse()",
}
DROP_TRIGGER = {
    "sqlite": "DROP TRIGGER nps_refuse",
    "postgresql": "DROP TRIGGER nps_refuse ON {table}; DROP FUNCTION nps_refuse()",
}


@contextmanager
def database_refuses(operation: str, model: Any) -> Iterator[None]:
    """While inside, the database itself refuses every INSERT, UPDATE or DELETE of the model's rows with an
    IntegrityError, as a broken constraint would: a real failure of a later step, for the tests that show a change
    is all or nothing."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(REFUSE_TRIGGER[connection.vendor].format(operation=operation, table=table))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(DROP_TRIGGER[connection.vendor].format(table=table))


SIGN_IN_BOOKKEEPING = {"sessions.Session", "accounts.SignedInSession"}


def database_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to compare before and after a change that must leave nothing behind; but for the
    sessions and where they are signed in, which any signed-in request notes."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.label not in SIGN_IN_BOOKKEEPING
    }


def set_up_two_factor(user: User) -> list[str]:
    """Two-factor authentication for the person, as if they had set it up; returns their recovery codes."""
    return two_factor.turn_on(user, random_hex(20), by=user)[1]


def authenticator_code(user_or_secret: User | str, *, seconds_later: int = 0) -> str:
    """The code the person's authenticator app shows now (or that many seconds later): a real time-based code."""
    secret = TOTPDevice.objects.get(user=user_or_secret).key if isinstance(user_or_secret, User) else user_or_secret
    one_time_password = TOTP(bytes.fromhex(secret))
    one_time_password.time = time.time() + seconds_later
    return f"{one_time_password.token():06d}"
