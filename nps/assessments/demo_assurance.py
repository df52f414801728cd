"""Demonstration returns at every stage of assurance in the open round, made through the services themselves (`nps
demo` switches email off while it runs: demonstration data sends none).

- Bolton, the demonstration editor's council: its draft is under peer review by Wigan, one finding saved so far.
- Bury: every answer checked and sent for sign-off, waiting for its approver (the demonstration approver).
- Manchester: signed off and submitted; the national team validated two answers and asked about a third.
- Trafford: peer-reviewed by Stockport (agreeing with all but one level, which the council resolved), signed off
  and submitted.
"""

import random

from nps.accounts.models import Membership, Role, User
from nps.assessments.answers import save_answer
from nps.assessments.models import Return, Round, Verdict
from nps.assessments.reviews import complete_review, request_review, resolve_finding, save_finding
from nps.assessments.signoff import send_for_sign_off, sign_off
from nps.assessments.validation import ask_query, validate_answers
from nps.organisations.models import Organisation

BOLTON, BURY, MANCHESTER, TRAFFORD = "E08000001", "E08000002", "E08000003", "E08000009"
SIGNING_OFF = [BOLTON, MANCHESTER, TRAFFORD]  # approvers made for the stages; Bury's is a demonstration account
WIGAN, STOCKPORT = "E08000010", "E08000007"
VALIDATED = ["engaging-councillors", "obtaining-social-value"]
QUERIED = "managing-strategic-risk"
QUESTION = "Demonstration question: which register of strategic risks does this level rest on?"
VALIDATION_NOTE = "Demonstration note: checked against the published procurement strategy and the annual report."


def person(gss_code: str, role: Role) -> User:
    """The demonstration account with this role at the council."""
    return Membership.objects.select_related("user").filter(organisation__gss_code=gss_code, role=role).first().user  # type: ignore[union-attr]


def council_return(round_: Round, gss_code: str) -> Return:
    return Return.objects.select_related("round", "organisation").get(round=round_, organisation__gss_code=gss_code)


def complete(council_return: Return, editor: User, generator: random.Random) -> None:
    """Every answer given and checked, as a careful editor leaves it: prefilled ones confirmed by saving them."""
    for answer in council_return.answers.select_related("index").order_by("index__position"):
        level = answer.current_level or generator.choice([2, 3, 3, 4])
        values = {
            "current_level": level,
            "target_level": max(answer.target_level or level, min(level + 1, 5)),
            "not_applicable": False,
            "evidence": answer.evidence or "Demonstration evidence: the contract register and the annual report.",
            "rationale": answer.rationale or "Demonstration rationale: in line with the council's plan.",
        }
        save_answer(answer, values, expected_version=answer.version, by=editor)


def signed_off(council_return: Return, editor: User, approver: User) -> None:
    send_for_sign_off(council_return, by=editor)
    sign_off(Return.objects.get(pk=council_return.pk), by=approver)


def create_assurance_stages(round_: Round, national_admin: User) -> None:
    generator = random.Random("nps-demonstration-assurance")
    review_in_progress(round_)
    waiting_for_sign_off(round_, generator)
    validated_and_queried(round_, national_admin, generator)
    peer_reviewed(round_, generator)


def review_in_progress(round_: Round) -> None:
    home = council_return(round_, BOLTON)
    answered = [answer for answer in home.answers.select_related("index") if answer.current_level is not None]
    reviewer = person(WIGAN, Role.EDITOR)
    review = request_review(
        home,
        Organisation.objects.get(gss_code=WIGAN),
        reviewer.email,
        [answer.index for answer in answered[:4]],
        by=person(BOLTON, Role.EDITOR),
    )
    first = answered[0]
    save_finding(
        review,
        first.index,
        verdict=Verdict.AGREE,
        suggested_level=None,
        comment="Demonstration comment: the evidence bears the level out.",
        answer_version=first.version,
        by=reviewer,
    )


def waiting_for_sign_off(round_: Round, generator: random.Random) -> None:
    bury = council_return(round_, BURY)
    complete(bury, person(BURY, Role.EDITOR), generator)
    send_for_sign_off(bury, by=person(BURY, Role.EDITOR))


def validated_and_queried(round_: Round, national_admin: User, generator: random.Random) -> None:
    manchester = council_return(round_, MANCHESTER)
    complete(manchester, person(MANCHESTER, Role.EDITOR), generator)
    signed_off(manchester, person(MANCHESTER, Role.EDITOR), person(MANCHESTER, Role.APPROVER))
    manchester.refresh_from_db()
    validate_answers(manchester, VALIDATED, note=VALIDATION_NOTE, by=national_admin)
    ask_query(manchester.answers.get(index__code=QUERIED), question=QUESTION, by=national_admin)


def peer_reviewed(round_: Round, generator: random.Random) -> None:
    trafford = council_return(round_, TRAFFORD)
    editor, reviewer = person(TRAFFORD, Role.EDITOR), person(STOCKPORT, Role.EDITOR)
    complete(trafford, editor, generator)
    answers = list(trafford.answers.select_related("index").order_by("index__position"))
    review = request_review(
        trafford, Organisation.objects.get(gss_code=STOCKPORT), reviewer.email, [a.index for a in answers], by=editor
    )
    for number, answer in enumerate(answers):
        differs = number == len(answers) - 1
        save_finding(
            review,
            answer.index,
            verdict=Verdict.DIFFERENT_LEVEL if differs else Verdict.AGREE,
            suggested_level=max(1, (answer.current_level or 2) - 1) if differs else None,
            comment="Demonstration comment: the evidence supports a level lower." if differs else "",
            answer_version=answer.version,
            by=reviewer,
        )
    complete_review(review, by=reviewer)
    for finding in review.findings.filter(verdict=Verdict.DIFFERENT_LEVEL):
        resolve_finding(finding, resolution="Demonstration note: kept the level; new evidence added.", by=editor)
    signed_off(trafford, editor, person(TRAFFORD, Role.APPROVER))
