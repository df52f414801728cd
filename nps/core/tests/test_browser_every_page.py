"""Every page type, as each kind of person who can see it, on a phone 320 CSS pixels wide: nothing scrolls sideways
(WCAG 2.2, 1.4.10 Reflow; a wide data table may scroll inside its own labelled region) and axe-core finds no
violation of any impact.

The pages are found, not listed: as each demonstration person, over the data `nps setup` and `nps demo` make, the
test follows every link on the site from the home page (never a download, the admin or sign-out) and visits the first
address of each page type, by its URL name; then the pages people reach only from an email. A page added to the site
is covered as soon as a link leads to it, and the test fails while a page type in the URLconf is never reached."""

import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from playwright.sync_api import Error as PlaywrightError

from nps.testing import WCAG_TAGS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
PASSWORD = "demo-password-2018"
# Each person's email address, and the pages to start from before the home page (the first address of a page type
# is the one visited, so these lead to the open round's pages rather than a past round's).
PEOPLE = {
    "the public": (None, []),
    "a council editor": ("editor@demo.example", ["/returns/"]),
    "a council viewer": ("viewer@demo.example", ["/returns/"]),
    "a council approver": ("approver@demo.example", ["/returns/"]),
    "a peer reviewer at Wigan": ("editor.e08000010@demo.example", ["/returns/"]),
    "a council the national team asked a question": ("editor.e08000003@demo.example", ["/returns/"]),
    "a group lead": ("group.lead@demo.example", []),
    "the national team": ("national.admin@demo.example", ["/strategy/manage/import/"]),
}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/account/sign-out/")
DOWNLOADS = (".csv", ".xlsx", ".json", ".pdf", ".svg", ".yaml", ".txt")
# Page types no link leads to by GET: actions that take a POST only, downloads, and the API's JSON.
NOT_PAGES = {
    "accounts:new_recovery_codes",
    "accounts:remove_member",
    "accounts:revoke_api_token",
    "accounts:sign_out_other_sessions",
    "accounts:sign_out_session",
    "accounts:single_sign_on",
    "accounts:single_sign_on_callback",
    "accounts:turn_off_two_factor",
    "assessments:ask_query",
    "assessments:confirm_answer",
    "assessments:deadline",
    "assessments:delete_evidence",
    "assessments:evidence",
    "assessments:open_round",
    "assessments:resend_emails",
    "assessments:review_evidence",
    "assessments:send_for_sign_off",
    "assessments:send_invitations",
    "assessments:share_early",
    "assessments:sign_off",
    "assessments:upload_evidence",
    "assessments:workbook_download",
    "community:publish_case_study",
    "community:remove_mark",
    "community:withdraw",
    "frameworks:derive",
    "frameworks:make_current",
    "frameworks:move_index",
    "frameworks:move_statement",
    "frameworks:publish",
    "frameworks:rebase",
    "frameworks:remove_statement",
    "frameworks:version_file",
    "healthz",
    "insights:council_report_pdf",
    "insights:group_report_pdf",
    "insights:national_report_pdf",
    "insights:results_csv",
    "insights:results_json",
    "insights:results_schema_json",
    "insights:return_actions_csv",
    "insights:return_csv",
    "insights:return_json",
    "insights:return_xlsx",
    "insights:round_csv",
    "insights:round_json",
    "insights:round_xlsx",
    "logout",
}
# Pages reached only part way through signing in with a second factor, which no demonstration account has set up:
# nps/accounts/tests/test_browser_two_factor.py checks them with axe-core.
SIGNING_IN_PAGES = {"accounts:sign_in_code", "accounts:sign_in_recovery_code"}
# The innermost elements that stick out of the phone's width or out of their own box, outside scrolling regions.
WIDE_ELEMENTS = """(limit) => {
    const wide = element => element.getBoundingClientRect().right > limit + 0.5
        || element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1
           && getComputedStyle(element).overflowX === 'visible';
    return [...document.querySelectorAll('body *')]
        .filter(element => wide(element) && ![...element.children].some(wide))
        .filter(element => !element.parentElement.closest('.app-table-scroll'))
        .slice(0, 5)
        .map(element => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent.slice(0, 40)}"`);
}"""


def page_type(address: str) -> str | None:
    """The URL name an address resolves to, or None for one the test does not visit."""
    path = urlsplit(address).path
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(DOWNLOADS):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def all_page_types(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every URL name in the URLconf but the admin's and the API's."""
    found = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in {"admin", "api"}:
                found |= all_page_types(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            found.add(namespace + pattern.name)
    return found


def same_site_links(page) -> list[str]:
    """The addresses on this site the page links to, with their query strings but not their fragments."""
    links = [urlsplit(href) for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")]
    site = urlsplit(page.url).netloc
    return [link._replace(scheme="", netloc="", fragment="").geturl() for link in links if link.netloc == site]


def problems_on(page, axe) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{width}px wide: {page.evaluate(WIDE_ELEMENTS, PHONE['width'])}")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    if results.violations_count:
        found.append(results.generate_report())
    return found


def main_content(page) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.inner_html("main"))


class Visit:
    """One person's visit to the site: the first address of each page type they reached, and the problems found.

    A page whose main content was checked already, as someone else saw it, is not checked again: the header and footer
    around it are checked on the person's first page (axe-core takes most of the test's time)."""

    def __init__(self, page, axe, checked: set[str]) -> None:
        self.page, self.axe, self.checked = page, axe, checked
        self.addresses: dict[str, str] = {}
        self.problems: dict[str, list[str]] = {}

    def check(self) -> None:
        """Check the page as it stands, under the page type of its address."""
        address = urlsplit(self.page.url)._replace(scheme="", netloc="").geturl()
        self.addresses.setdefault(str(page_type(address)), address)
        content = main_content(self.page)
        if content in self.checked and len(self.addresses) > 1:
            return
        self.checked.add(content)
        if found := problems_on(self.page, self.axe):
            self.problems[address] = found

    def crawl(self, start: list[str]) -> None:
        """Visit the start addresses, then the first address of every page type reachable from them."""
        queue, first = deque((address, "the start") for address in start), set(start)
        while queue:
            address, referrer = queue.popleft()
            kind = page_type(address)
            if kind is None or kind in self.addresses and address not in first:
                continue
            first.discard(address)
            self.addresses.setdefault(kind, address)
            try:
                response = self.page.goto(address)
            except PlaywrightError as error:  # a file, not a page, or a link that leads nowhere
                if "Download is starting" not in error.message:
                    self.problems[address] = [f"linked from {referrer}: {error.message.splitlines()[0]}"]
                    self.page.close()  # the browser's own error page is still loading: carry on in a new tab
                    self.page = self.page.context.new_page()
                continue
            if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            if response.status >= 400:
                self.problems[address] = [f"linked from {referrer}: status {response.status}"]
                continue
            self.check()
            queue.extend((link, address) for link in same_site_links(self.page))


def national_team_start(page) -> list[str]:
    """The national team starts a draft of the strategy, so that the pages that edit one can be reached; it starts
    from the draft, a closed round and the open one's submitted returns."""
    page.goto("/strategy/manage/")
    page.get_by_role("link", name="Start a new version").first.click()
    page.get_by_label("Version code").fill("2027")
    page.get_by_label("Title").fill("National Procurement Strategy 2027 (draft)")
    page.get_by_role("button", name="Start the draft").click()
    page.wait_for_load_state()
    draft = urlsplit(page.url).path
    page.goto("/rounds/")

    def first_round(status: str) -> str:
        return str(page.get_by_role("row").filter(has_text=status).get_by_role("link").first.get_attribute("href"))

    return [draft, first_round("Closed"), first_round("Open") + "?status=submitted"]


def send_emails_with_links(editor: Visit, public: Visit) -> None:
    """An editor invites a colleague and asks to be connected with an exemplar; someone asks to reset a password."""
    editor.page.goto(editor.addresses["accounts:team"])
    editor.page.get_by_label("Email address").fill("new.colleague@demo.example")
    editor.page.get_by_label("Council viewer").check()
    editor.page.get_by_role("button", name="Send invitation").click()
    editor.page.goto(editor.addresses["community:connect"])
    editor.page.get_by_role("button", name="Ask to be connected").click()
    public.page.goto("/account/password-reset/")
    public.page.get_by_label("Email").fill("other.editor@demo.example")
    public.page.get_by_role("button", name="Send the link").click()
    public.page.wait_for_load_state()
    public.check()


def complete_a_review_with_a_suggestion(reviewer: Visit, editor: Visit) -> None:
    """The peer reviewer suggests a different level for the first answer and agrees with the rest; the council's
    editor opens the suggestion to resolve it."""
    page = reviewer.page
    page.goto(reviewer.addresses["assessments:complete_review"])
    indices = [str(link.get_attribute("href")) for link in page.get_by_role("link", name="Change").all()]
    for number, path in enumerate(indices):
        page.goto(path)
        if number == 0:
            page.get_by_label("Suggest a different level").check()
            page.get_by_role("group", name="The level you suggest").get_by_role("radio").last.check()
            page.get_by_label("Comment").fill("Demonstration comment: the evidence supports a higher level.")
        else:
            page.get_by_label("Agree", exact=True).check()
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(reviewer.addresses["assessments:complete_review"])
    page.get_by_role("button", name="Complete the review").click()
    editor.page.goto(editor.addresses["assessments:return_reviews"])
    editor.page.get_by_role("link", name="Resolve").first.click()
    editor.page.wait_for_load_state()
    editor.check()


def answer_a_query_with_nothing(council: Visit) -> None:
    """A council sends an empty answer to the national team's question: the page that explains what is wrong."""
    council.page.goto(council.addresses["assessments:overview"])
    council.page.get_by_role("button", name="Send your answer").first.click()
    council.page.wait_for_load_state()
    council.check()


def follow_links_in_emails(public: Visit, emails: list) -> None:
    """Open the first link of each page type in the emails, as whoever received it would, signed out."""
    links = [urlsplit(link).path for email in emails for link in re.findall(r"https?://\S+", email.body)]
    for path in links:
        kind = page_type(path)
        if kind is None or kind in public.addresses:
            continue
        public.page.goto(path)
        public.check()
        if kind == "password_reset_confirm":
            public.page.get_by_label("New password", exact=True).fill("a-new-demonstration-password")
            public.page.get_by_label("New password confirmation").fill("a-new-demonstration-password")
            public.page.get_by_role("button", name="Save password").click()
            public.page.wait_for_load_state()
            public.check()


def test_every_page_reflows_at_320_pixels_and_passes_axe(browser, live_server, mailoutbox):
    from axe_playwright_python.sync_playwright import Axe

    call_command("setup", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    visits, checked = {}, set()
    for person, (email, start) in PEOPLE.items():
        page = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
        if email:
            sign_in(page, email, PASSWORD)
        if person == "the national team":
            start = [*national_team_start(page), *start]
        visits[person] = Visit(page, Axe(), checked)
        visits[person].crawl([*start, "/"])
    complete_a_review_with_a_suggestion(visits["a peer reviewer at Wigan"], visits["a council editor"])
    answer_a_query_with_nothing(visits["a council the national team asked a question"])
    send_emails_with_links(visits["a council editor"], visits["the public"])
    follow_links_in_emails(visits["the public"], mailoutbox)
    for visit in visits.values():
        visit.page.context.close()

    problems = [f"{who}, {path}: {found}" for who, visit in visits.items() for path, found in visit.problems.items()]
    assert problems == [], "\n".join(problems)
    reached = {kind for visit in visits.values() for kind in visit.addresses}
    assert all_page_types() - NOT_PAGES - SIGNING_IN_PAGES - reached == set(), (
        "no link leads to these: give someone a start address"
    )
