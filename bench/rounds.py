"""The benchmark's round-opening measurement, run by bench/run.py with the database in DATABASE_URL; prints one JSON
document. It changes the dataset (a new open round), so it runs last.

A new national round, prefilled from the latest closed one, is opened for every council through the service while the
process's resident memory is sampled; then one council's return is submitted and reopened a few times, each timed.
"""

import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from load import peak_memory_while  # noqa: E402

from nps.accounts.models import Membership, Role, User  # noqa: E402
from nps.assessments.answers import reopen_return, submit_return  # noqa: E402
from nps.assessments.models import Return, ReturnStatus, Round, RoundStatus  # noqa: E402
from nps.assessments.rounds import create_round, open_round  # noqa: E402

NATIONAL_ADMIN = "national.admin@demo.example"
REPEATS = 5


def new_round(by: User) -> Round:
    """A national round after the latest closed one, prefilled from it, that editors submit without sign-off; labelled
    as demonstration data, as the rest of the dataset is."""
    latest = Round.objects.filter(status=RoundStatus.CLOSED, run_by=None).order_by("-deadline").first()
    assert latest is not None, "the dataset has no closed national round"
    today = datetime.date.today()
    round_ = create_round(
        name="Benchmark round (demonstration)",
        framework_version=latest.framework_version,
        opens_on=today,
        deadline=today + datetime.timedelta(days=56),
        invited_kinds=latest.invited_kinds,
        prefill_from=latest,
        requires_sign_off=False,
        allow_unconfirmed_prefill=True,
        by=by,
    )
    Round.objects.filter(pk=round_.pk).update(is_demo=True)
    return Round.objects.get(pk=round_.pk)


def reset_peak() -> None:
    """Start VmHWM, the kernel's high-water mark, afresh from the current size, where the kernel allows it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # then VmHWM also counts what the process used before (django.setup), which is less


def milliseconds(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(timings: list[float]) -> dict[str, Any]:
    return {"median_ms": statistics.median(timings), "min_ms": min(timings), "runs_ms": timings}


def submit_and_reopen(round_: Round, by: User) -> dict[str, Any]:
    """A prefilled return (its council submitted last time) submitted by the council's editor and reopened, in turn."""
    council_return = Return.objects.filter(round=round_, status=ReturnStatus.IN_PROGRESS).order_by("pk").first()
    assert council_return is not None, "no return was prefilled"
    membership = Membership.objects.filter(organisation=council_return.organisation, role=Role.EDITOR).first()
    assert membership is not None, "the council has no editor"
    editor = membership.user
    submitted, reopened = [], []
    for _ in range(REPEATS):
        submitted.append(milliseconds(lambda: submit_return(council_return, by=editor)))
        reopened.append(milliseconds(lambda: reopen_return(council_return, reason="Benchmark", by=by)))
    return {"submit": summary(submitted), "reopen": summary(reopened)}


def time_rounds() -> dict[str, Any]:
    by = User.objects.get(email=NATIONAL_ADMIN)
    round_ = new_round(by)
    reset_peak()
    started = time.perf_counter()
    memory = peak_memory_while(os.getpid(), lambda: open_round(round_, by=by))
    return {
        "round_id": round_.pk,
        "invited": memory.pop("outcome"),
        "open_seconds": time.perf_counter() - started,
        **memory,
        "peak_above_before_mb": (memory["peak_rss_kb"] - memory["rss_before_kb"]) / 1024,
        **submit_and_reopen(round_, by),
    }


if __name__ == "__main__":
    print(json.dumps(time_rounds()))
