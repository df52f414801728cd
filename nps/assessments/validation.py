"""The national team's checks on a submitted return: validating its answers, and asking the council about one.

Only these services give an answer the label "Validated by the national team"; no form, API body or workbook column
of the council's can set it. A validated answer keeps the label until it changes: `save_answer` drops it back to
self-assessed. Queries may be asked about any answer of a submitted return, validated or not (a question found later
does not undo a validation: the label says what was checked, and changes only with the answer). The council answers
a query whether or not its return is submitted, since a response changes no answer.
"""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nps.accounts.models import User
from nps.accounts.permissions import require_national_admin
from nps.assessments.assurance_emails import editors_of, notify, site_link
from nps.assessments.models import Answer, AnswerChange, Assurance, EventKind, Query, Return, Round
from nps.assessments.timeline import record_event
from nps.core.models import record

VALIDATED = Assurance.VALIDATED.label  # "Validated by the national team", as every page says it


class ValidationRefused(Exception):
    """The answers cannot be validated as asked; the message says why, and nothing was validated."""


class QueryRefused(Exception):
    """The query cannot be asked or answered now; the message says why."""


# Looking up -------------------------------------------------------------------------------------------------------


def get_return_for_national_team(user: User, round_id: int, gss_code: str) -> Return:
    """A council's return, for the national team only; 404 for everyone else."""
    require_national_admin(user)
    return get_object_or_404(
        Return.objects.select_related("round__framework_version", "organisation", "submitted_by", "signed_off_by"),
        round_id=round_id,
        organisation__gss_code=gss_code,
    )


def answers_for_validation(council_return: Return) -> list[Answer]:
    """Every answer of the return in the framework's order, with what the national team checks beside it."""
    queries = Query.objects.select_related("asked_by", "answered_by")
    return list(
        council_return.answers.select_related("index", "assured_by")
        .prefetch_related("files", Prefetch("queries", queryset=queries))
        .order_by("index__position")
    )


def open_queries(council_return: Return) -> QuerySet[Query]:
    """The questions about the return that the council has still to answer, in the framework's order."""
    return (
        Query.objects.filter(answer__council_return=council_return, answered_at__isnull=True)
        .select_related("answer__index", "asked_by")
        .order_by("answer__index__position", "asked_at", "pk")
    )


# Validating -------------------------------------------------------------------------------------------------------


def require_submitted(council_return: Return, step: str) -> None:
    if not council_return.is_submitted:
        raise ValidationRefused(
            f"{council_return.organisation.name}'s return is {council_return.get_status_display().lower()}, not "
            f"submitted: only a submitted return can be {step}. If it was reopened, wait until the council submits "
            "it again."
        )


def titles(answers: Sequence[Answer]) -> str:
    return ", ".join(answer.index.title for answer in answers)


def chosen_answers(council_return: Return, index_codes: Sequence[str] | None) -> list[Answer]:
    """The answers to validate: those of the codes given, or with None every answer not yet validated. Refused,
    naming them, if any is validated already or has a question the council has not answered."""
    require_submitted(council_return, "validated")
    answers = list(council_return.answers.select_related("index", "assured_by").order_by("index__position"))
    if index_codes is None:
        chosen = [answer for answer in answers if answer.assurance != Assurance.VALIDATED]
        if not chosen:
            raise ValidationRefused("Every index of this return is already validated.")
    else:
        by_code = {answer.index.code: answer for answer in answers}
        unknown = [code for code in index_codes if code not in by_code]
        if unknown:
            raise ValidationRefused(f"No such index in this return: {', '.join(unknown)}.")
        wanted = set(index_codes)
        chosen = [answer for answer in answers if answer.index.code in wanted]
        if not chosen:
            raise ValidationRefused("Choose the indices to validate, or validate the whole return.")
        already = [answer for answer in chosen if answer.assurance == Assurance.VALIDATED]
        if already:
            raise ValidationRefused(f"Already validated: {titles(already)}. Nothing was validated: choose others.")
    open_ids = set(Query.objects.filter(answer__in=chosen, answered_at__isnull=True).values_list("answer", flat=True))
    queried = [answer for answer in chosen if answer.pk in open_ids]
    if queried:
        raise ValidationRefused(
            f"The council has not yet answered your query about {titles(queried)}. Nothing was validated: validate "
            "these once it has, or choose the others."
        )
    return chosen


@transaction.atomic
def validate_answers(council_return: Return, index_codes: Sequence[str], *, note: str = "", by: User) -> list[Answer]:
    """Validate the answers of these indices, all or none."""
    return apply_validation(council_return, list(index_codes), note, by)


@transaction.atomic
def validate_return(council_return: Return, *, note: str = "", by: User) -> list[Answer]:
    """Validate every answer of the return that is not validated yet, all or none."""
    return apply_validation(council_return, None, note, by)


def apply_validation(council_return: Return, index_codes: list[str] | None, note: str, by: User) -> list[Answer]:
    council_return = (
        Return.objects.select_for_update().select_related("round", "organisation").get(pk=council_return.pk)
    )
    list(council_return.answers.select_for_update().values_list("pk", flat=True))  # nor may a review label them now
    chosen = chosen_answers(council_return, index_codes)
    now = timezone.now()
    AnswerChange.objects.bulk_create(
        AnswerChange(
            answer=answer,
            version=answer.version,  # the council's answer itself is unchanged, so its version stays
            field="assurance",
            old_value=answer.assurance_label,
            new_value=VALIDATED,
            changed_at=now,
            changed_by=by,
        )
        for answer in chosen
    )
    Answer.objects.filter(pk__in=[answer.pk for answer in chosen]).update(
        assurance=Assurance.VALIDATED, assured_by=None, assured_at=now
    )
    description = f"{VALIDATED}: {note}" if note else VALIDATED
    for answer in chosen:
        record_event(council_return, EventKind.VALIDATED, description, by=by, answer=answer)
    # Figures that count answers by their assurance are cached by this number, as they are for submissions.
    Round.objects.filter(pk=council_return.round_id).update(results_version=F("results_version") + 1)
    record(
        "answers_validated",
        f"Validated {len(chosen)} answers of {council_return.organisation.name}'s return to "
        f"{council_return.round.name}: {', '.join(answer.index.code for answer in chosen)}",
        by=by,
        organisation=council_return.organisation,
    )
    tell_validated(council_return, chosen, note)
    return list(Answer.objects.filter(pk__in=[answer.pk for answer in chosen]).order_by("index__position"))


def tell_validated(council_return: Return, answers: list[Answer], note: str) -> None:
    notify(
        editors_of(council_return.organisation),
        f"{council_return.round.name}: the national team validated {count(len(answers), 'answer')}",
        "assessments/email/validated.txt",
        {
            "council_return": council_return,
            "answers": answers,
            "note": note,
            "link": site_link("assessments:overview", council_return.organisation.gss_code, council_return.round_id),
        },
    )


def count(number: int, thing: str, things: str = "") -> str:
    """ "1 answer", "3 answers"; "3 indices" given the plural."""
    return f"{number} {thing if number == 1 else things or thing + 's'}"


# Queries ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def ask_query(answer: Answer, *, question: str, by: User) -> Query:
    """The national team asks the council a question about one answer of a submitted return."""
    council_return = (
        Return.objects.select_for_update().select_related("round", "organisation").get(pk=answer.council_return_id)
    )
    if not council_return.is_submitted:
        raise QueryRefused(
            f"{council_return.organisation.name}'s return is {council_return.get_status_display().lower()}, not "
            "submitted: ask about its answers once the council has submitted it."
        )
    query = Query.objects.create(answer=answer, question=question, asked_by=by)
    record_event(council_return, EventKind.QUERIED, f"The national team asked: {question}", by=by, answer=answer)
    record(
        "answer_queried",
        f"Queried {answer.index.code} in {council_return.organisation.name}'s return to {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )
    notify(
        editors_of(council_return.organisation),
        f"{council_return.round.name}: the national team has a question about {answer.index.title}",
        "assessments/email/queried.txt",
        {
            "council_return": council_return,
            "answer": answer,
            "query": query,
            "link": answer_link(council_return, answer),
        },
    )
    return query


@transaction.atomic
def answer_query(query: Query, *, response: str, by: User) -> Query:
    """The council answers the national team's question; its return may be in any state."""
    query = (  # locks the query's row only: PostgreSQL cannot lock the empty side of answered_by's outer join
        Query.objects.select_for_update(of=("self",))
        .select_related(
            "answer__index",
            "answer__council_return__round",
            "answer__council_return__organisation",
            "asked_by",
            "answered_by",
        )
        .get(pk=query.pk)
    )
    if query.answered_at is not None:
        raise QueryRefused(
            f"This query was already answered by {query.answered_by or 'a former colleague'} on "
            f"{timezone.localtime(query.answered_at):%-d %B %Y at %H:%M}."
        )
    Query.objects.filter(pk=query.pk).update(response=response, answered_by=by, answered_at=timezone.now())
    answer = query.answer
    council_return = answer.council_return
    record_event(council_return, EventKind.QUERY_ANSWERED, f"The council answered: {response}", by=by, answer=answer)
    record(
        "query_answered",
        f"Answered the national team's query about {answer.index.code} in the return to {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )
    asker = query.asked_by
    notify(
        [asker.email] if asker and asker.is_active else [],
        f"{council_return.organisation.name} answered your question about {answer.index.title}",
        "assessments/email/query_answered.txt",
        {
            "council_return": council_return,
            "answer": answer,
            "query": query,
            "response": response,
            "answered_by": by,
            "link": site_link("assessments:validation", council_return.round_id, council_return.organisation.gss_code),
        },
    )
    query.refresh_from_db()
    return query


def answer_link(council_return: Return, answer: Answer) -> str:
    return site_link(
        "assessments:answer", council_return.organisation.gss_code, council_return.round_id, answer.index.code
    )
