"""The benchmark's Django-side helper, run by bench/run.py with the database in DATABASE_URL.

`figures.py plan` prints what the load needs: the rounds, a sample of councils with their editors, the row counts.
`figures.py time` times the hand-written SQL aggregate against the app's own figures computation (uncached), checks
that both give the same counts, and prints the timings. Both print one JSON document.
"""

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from nps.assessments.demo_scale import past_rounds  # noqa: E402
from nps.assessments.models import Answer, Return, ReturnStatus, Round  # noqa: E402
from nps.insights.figures import answer_rows, compute_round_figures  # noqa: E402
from nps.organisations.models import Organisation  # noqa: E402

REPORT_ROUND = past_rounds(3)[-1].name  # the latest closed round: 2025
EARLIER_ROUND = past_rounds(3)[-2].name  # 2021, for the report's comparison
HOME_COUNCIL = "E08000001"  # Bolton: its editor is editor@demo.example
SAMPLE_SIZE = 24
REPEATS = 15

# The national figures, written by hand: levels, not-applicable answers and assurance labels per index, region and
# council type, over the round's submitted returns. One aggregate; the app computes the same with the ORM
# (figures.answer_rows) and folds the rows into distributions in Python.
NATIONAL_FIGURES_SQL = """
SELECT i.code, r.name, o.kind, a.current_level, a.not_applicable, a.assurance, COUNT(*)
FROM assessments_answer a
JOIN assessments_return rt ON rt.id = a.council_return_id
JOIN organisations_organisation o ON o.id = rt.organisation_id
LEFT JOIN organisations_region r ON r.id = o.region_id
JOIN frameworks_index i ON i.id = a.index_id
WHERE rt.round_id = %s AND rt.status = %s
GROUP BY i.code, r.name, o.kind, a.current_level, a.not_applicable, a.assurance
"""


def editor_email(gss_code: str) -> str:
    return "editor@demo.example" if gss_code == HOME_COUNCIL else f"editor.{gss_code.lower()}@demo.example"


def export_path(round_id: int) -> str | None:
    """Every answer of a round as CSV, for the national team, where the app has it."""
    try:
        return reverse("insights:round_csv", args=[round_id])
    except NoReverseMatch:
        return None


def plan() -> dict[str, Any]:
    """The round to measure, and councils spread evenly over those that submitted it (Bolton first)."""
    round_ = Round.objects.get(name=REPORT_ROUND, is_demo=True)
    earlier = Round.objects.get(name=EARLIER_ROUND, is_demo=True)
    submitted = list(
        Return.objects.filter(round=round_, status=ReturnStatus.SUBMITTED)
        .order_by("organisation__gss_code")
        .values_list("organisation__gss_code", flat=True)
    )
    step = max(1, len(submitted) // SAMPLE_SIZE)
    sample = [HOME_COUNCIL] + [code for code in submitted[::step] if code != HOME_COUNCIL][: SAMPLE_SIZE - 1]
    return {
        "round_id": round_.pk,
        "round_name": round_.name,
        "earlier_round_id": earlier.pk,
        "export_path": export_path(round_.pk),
        "councils": [{"gss_code": code, "editor": editor_email(code)} for code in sample],
        "counts": {
            "councils": Organisation.objects.current().councils().count(),
            "synthetic_councils": Organisation.objects.filter(is_synthetic=True).count(),
            "rounds": Round.objects.filter(is_demo=True).count(),
            "returns": Return.objects.count(),
            "answers": Answer.objects.count(),
            "answers_in_round": Answer.objects.filter(council_return__round=round_).count(),
            "submitted_answers_in_round": Answer.objects.filter(
                council_return__round=round_, council_return__status=ReturnStatus.SUBMITTED
            ).count(),
        },
    }


def hand_written(round_id: int) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(NATIONAL_FIGURES_SQL, [round_id, ReturnStatus.SUBMITTED.value])
        return cursor.fetchall()


def milliseconds(action: Any, repeats: int) -> list[float]:
    action()  # once to warm the database's and the operating system's caches
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(timings: list[float]) -> dict[str, Any]:
    return {"median_ms": statistics.median(timings), "min_ms": min(timings), "runs_ms": timings}


def time_figures() -> dict[str, Any]:
    round_ = Round.objects.select_related("framework_version").get(name=REPORT_ROUND, is_demo=True)
    by_hand = Counter({tuple(row[:6]): row[6] for row in hand_written(round_.pk)})
    by_app = Counter({tuple(row[:6]): row[6] for row in answer_rows(round_)})
    return {
        "database": connection.vendor,
        "round_id": round_.pk,
        "same_counts": by_hand == by_app,
        "groups": len(by_hand),
        "answers_counted": sum(by_hand.values()),
        "sql": summary(milliseconds(lambda: hand_written(round_.pk), REPEATS)),
        "figures_uncached": summary(milliseconds(lambda: compute_round_figures(round_), REPEATS)),
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in {"plan", "time"}:
        sys.exit("usage: figures.py plan|time")
    print(json.dumps(plan() if command == "plan" else time_figures()))
