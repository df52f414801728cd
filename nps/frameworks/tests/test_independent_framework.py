"""A framework written independently of NPS 2018 (two themes, one enabler, several statements per index) carries a
whole round: answered, submitted, and reported on."""

import pytest

from nps.assessments.answers import save_answer, submit_return
from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round
from nps.frameworks.loader import load_framework_file
from nps.insights.figures import round_figures
from nps.insights.reports import index_reports
from nps.testing import SAMPLE_FRAMEWORK_FILE, make_open_round

pytestmark = pytest.mark.django_db


def test_a_whole_round_on_a_framework_with_several_statements_per_index(
    council_a, council_b, editor, other_editor, national_admin, client_for
):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    round_ = make_open_round(council_a, council_b, version=version)
    for council, user, levels in [(council_a, editor, (2, 4)), (council_b, other_editor, (3, 3))]:
        council_return = Return.objects.get(round=round_, organisation=council)
        for answer in council_return.answers.select_related("index"):
            statements = {s.pk: level for s, level in zip(answer.index.statements.all(), levels, strict=False)}
            save_answer(
                answer,
                {"current_level": levels[0], "target_level": 4},
                expected_version=answer.version,
                by=user,
                statement_levels=statements if len(statements) > 1 else None,
            )
        submit_return(council_return, by=user)
    close_round(round_, by=national_admin)
    pipeline = Return.objects.get(round=round_, organisation=council_a).answers.get(index__code="pipeline")
    assert pipeline.current_level == 2  # the lower median of its statements' levels, 2 and 4
    figures = round_figures(Round.objects.get(pk=round_.pk))
    assert [index.code for index in figures.indices] == ["pipeline", "supplier-reviews", "skills"]
    assert dict(figures.overall["pipeline"].counts) == {2: 1, 3: 1}
    reports = index_reports(figures, withholding=None)
    assert [report.index.title for report in reports] == ["Contracts pipeline", "Supplier reviews", "Skills"]
    html = client_for(national_admin).get(f"/rounds/{round_.pk}/report/").content.decode()
    assert "Contracts pipeline" in html and "2 councils submitted." in html
    answer_page = (
        client_for(editor)
        .get(f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/indices/pipeline/")
        .content.decode()
    )
    assert "The pipeline is published" in answer_page and "The pipeline drives planning" in answer_page
