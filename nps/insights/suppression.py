"""What a round withholds from everything published about it, and why (the rule is in nps.insights.disclosure).

Every figure anyone outside the national team may see for a round is a distribution over one of these groups of the
councils that submitted: all of them, each nation, each region, each council type, each group (combined authority,
fire and rescue authority, procurement group) and each council type within a group. The public results, the open
data, the API, councils' dashboards, group reports and the PDFs all take their decisions from here, so they withhold
the same groups.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from nps.assessments.models import Return, ReturnStatus, Round
from nps.insights.disclosure import Reason, withheld_groups
from nps.insights.distributions import Distribution, Suppressed
from nps.insights.figures import FIGURES_TIMEOUT, NATION_LABELS, NATIONAL, NO_REGION, kind_label
from nps.lib.caching import generations
from nps.organisations.models import DIRECTORY, Organisation

OVERALL = "National"
NATION = "Nation"
REGION = "Region"
KIND = "Council type"
GROUP = "Group"
GROUP_KIND = "Group council type"
IMPORTANCE = {
    GROUP_KIND: 0,
    GROUP: 1,
    KIND: 2,
    REGION: 3,
    NATION: 4,
    OVERALL: 5,
}  # the least important is withheld first

Key = tuple[str, str]  # (scope, name): a region's name, a council type's code, a group's GSS code


def group_kind(gss_code: str, kind: str) -> Key:
    return GROUP_KIND, f"{gss_code} {kind}"


@dataclass(frozen=True)
class Withholding:
    """The groups a round withholds, with the reason for each."""

    minimum: int
    reasons: dict[Key, Reason]

    def figure(self, key: Key, distribution: Distribution) -> Distribution | Suppressed:
        reason = self.reasons.get(key)
        return distribution if reason is None else Suppressed(reason, self.minimum)

    def named(self, scope: str) -> dict[Reason, list[str]]:
        """The withheld groups of one scope, by reason, in words."""
        names: dict[Reason, list[str]] = defaultdict(list)
        for (key_scope, name), reason in sorted(self.reasons.items()):
            if key_scope == scope:
                names[reason].append(kind_label(name) if scope == KIND else name)
        return dict(names)


def published_groups(round_: Round) -> dict[Key, frozenset[int]]:
    """Each group whose figures may be published for the round, with the submitted councils behind them."""
    members: dict[Key, set[int]] = defaultdict(set)
    submitted = Return.objects.filter(round=round_, status=ReturnStatus.SUBMITTED)
    kinds = {}
    for organisation, nation, region, kind in submitted.values_list(
        "organisation_id", "organisation__nation", "organisation__region__name", "organisation__kind"
    ):
        kinds[organisation] = kind
        for key in [(OVERALL, NATIONAL), (NATION, NATION_LABELS[nation]), (REGION, region or NO_REGION), (KIND, kind)]:
            members[key].add(organisation)
    memberships = Organisation.members.through.objects.filter(to_organisation_id__in=list(kinds))
    for gss_code, organisation in memberships.values_list("from_organisation__gss_code", "to_organisation_id"):
        members[(GROUP, gss_code)].add(organisation)
        members[group_kind(gss_code, kinds[organisation])].add(organisation)
    return {key: frozenset(councils) for key, councils in members.items()}


def compute_withholding(round_: Round) -> Withholding:
    minimum = settings.MINIMUM_GROUP_SIZE
    reasons = withheld_groups(published_groups(round_), minimum, lambda key: IMPORTANCE[key[0]])
    return Withholding(minimum, reasons)


def withholding_key(round_: Round) -> str:
    """What the round's withholding depends on: its submitted returns, the groups' members and the minimum size."""
    [directory] = generations(DIRECTORY)
    return f"withholding:2:{round_.pk}:{round_.results_version}:{directory}:{settings.MINIMUM_GROUP_SIZE}"


def withholding(round_: Round) -> Withholding:
    """The round's withholding, from the shared cache until a return is submitted or reopened, or a group's members
    change."""
    key = withholding_key(round_)
    result = cache.get(key)
    if result is None:
        result = compute_withholding(round_)
        cache.set(key, result, timeout=FIGURES_TIMEOUT)
    return result  # type: ignore[no-any-return]
