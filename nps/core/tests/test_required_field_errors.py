"""Every form names the field in each "required" error: an error summary that said "This field is required." twice
told nobody which fields to fill in (issue 11)."""

import importlib
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.utils.datastructures import MultiValueDict
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

import nps
from nps.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    CreateAccountForm,
    InvitePersonForm,
    NewPasswordForm,
    RecoveryCodeForm,
    ResetPasswordForm,
    SetUpTwoFactorForm,
    SignInForm,
    TwoFactorCodeForm,
)
from nps.accounts.models import Role
from nps.assessments.forms import (
    ActionForm,
    AnswerForm,
    CloseRoundForm,
    DeadlineForm,
    QueryForm,
    QueryResponseForm,
    ReopenForm,
    RespondentForm,
    RoundForm,
    SendBackForm,
    ValidationForm,
)
from nps.assessments.models import Return, Round
from nps.assessments.review_forms import FindingForm, ResolutionForm, ReviewRequestForm
from nps.assessments.views.evidence import EvidenceFileForm
from nps.assessments.views.workbook import WorkbookForm
from nps.community.forms import CaseStudyForm, DecisionForm, MarkForm, OfferForm
from nps.community.queries import eligibility
from nps.core.forms import DJANGO_REQUIRED, NamesRequiredFields, required_message
from nps.frameworks.forms import ImportForm, IndexForm, NewVersionForm, StatementForm, ThemeForm
from nps.frameworks.models import FrameworkVersion, Index
from nps.testing import make_open_round

EMPTY = {"submitted": ""}  # a POST with none of the form's fields, which Django still binds


def empty_forms(council_return: Return, user: Any) -> dict[str, Callable[[], forms.BaseForm]]:
    """Each form that has required fields, submitted empty."""
    indices = Index.objects.filter(version=council_return.round.framework_version)
    index_list = list(indices)
    answer = council_return.answers.select_related("index")[0]
    version = FrameworkVersion.objects.get(pk=council_return.round.framework_version_id)
    return {
        "SignInForm": lambda: SignInForm(None, data=EMPTY),
        "ResetPasswordForm": lambda: ResetPasswordForm(EMPTY),
        "NewPasswordForm": lambda: NewPasswordForm(user, EMPTY),
        "ChangePasswordForm": lambda: ChangePasswordForm(user, EMPTY),
        "InvitePersonForm": lambda: InvitePersonForm(EMPTY, roles=[Role.EDITOR, Role.VIEWER]),
        "CreateAccountForm": lambda: CreateAccountForm(EMPTY, email="new@alderley.example"),
        "ApiTokenForm": lambda: ApiTokenForm(EMPTY),
        "TwoFactorCodeForm": lambda: TwoFactorCodeForm(EMPTY, device=TOTPDevice(user=user)),
        "RecoveryCodeForm": lambda: RecoveryCodeForm(EMPTY, device=StaticDevice(user=user)),
        "SetUpTwoFactorForm": lambda: SetUpTwoFactorForm(EMPTY, secret="00" * 20),
        "IndexForm": lambda: IndexForm(EMPTY, version=version),
        "StatementForm": lambda: StatementForm(EMPTY, scale=version.scale),
        "NewVersionForm": lambda: NewVersionForm(EMPTY),
        "ThemeForm": lambda: ThemeForm(EMPTY),
        "ImportForm": lambda: ImportForm(EMPTY, MultiValueDict()),
        "AnswerForm": lambda: AnswerForm(EMPTY, index=answer.index),
        "RoundForm": lambda: RoundForm(EMPTY, versions=FrameworkVersion.objects.all(), rounds=Round.objects.all()),
        "DeadlineForm": lambda: DeadlineForm(EMPTY),
        "CloseRoundForm": lambda: CloseRoundForm(EMPTY),
        "ReopenForm": lambda: ReopenForm(EMPTY),
        "SendBackForm": lambda: SendBackForm(EMPTY),
        "RespondentForm": lambda: RespondentForm(EMPTY, indices=indices),
        "ActionForm": lambda: ActionForm(EMPTY),
        "ValidationForm": lambda: ValidationForm(EMPTY, answers=[answer]),
        "QueryForm": lambda: QueryForm(EMPTY),
        "QueryResponseForm": lambda: QueryResponseForm(EMPTY),
        "ReviewRequestForm": lambda: ReviewRequestForm(
            EMPTY, organisation=council_return.organisation, indices=indices
        ),
        "FindingForm": lambda: FindingForm(EMPTY, answer=answer),
        "ResolutionForm": lambda: ResolutionForm(EMPTY),
        "EvidenceFileForm": lambda: EvidenceFileForm(EMPTY, MultiValueDict()),
        "WorkbookForm": lambda: WorkbookForm(EMPTY, MultiValueDict()),
        "OfferForm": lambda: OfferForm(
            EMPTY, indices=index_list, eligibility=eligibility(council_return.organisation, [i.code for i in indices])
        ),
        "DecisionForm": lambda: DecisionForm(EMPTY, status="requested"),
        "MarkForm": lambda: MarkForm(EMPTY, indices=index_list),
        "CaseStudyForm": lambda: CaseStudyForm(EMPTY, indices=index_list),
    }


def summary_lines(form: forms.BaseForm) -> list[str]:
    html = Template("{% error_summary form %}").render(Context({"form": form}))
    return [re.sub(r"<[^>]+>", "", line).strip() for line in re.findall(r"<li>(.*?)</li>", html)]


def test_no_error_summary_line_is_a_bare_this_field_is_required(council_a, editor):
    council_return = Return.objects.get(round=make_open_round(council_a), organisation=council_a)
    bare, silent = {}, []
    for name, make in empty_forms(council_return, editor).items():
        lines = summary_lines(make())
        if not lines:
            silent.append(name)
        if DJANGO_REQUIRED in lines:
            bare[name] = lines
    assert bare == {} and silent == []


def every_form_class() -> set[type]:
    """Every form class the project defines."""
    for module in pkgutil.walk_packages(nps.__path__, "nps."):
        if ".tests" not in module.name and ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, waiting = set(), [forms.BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("nps.") and ".tests" not in subclass.__module__:
                found.add(subclass)
    return found - {NamesRequiredFields}


def test_every_form_names_its_required_fields():
    assert [form for form in every_form_class() if not issubclass(form, NamesRequiredFields)] == []


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (forms.CharField(label="Token name"), "Enter token name"),
        (forms.ChoiceField(label="Role", widget=forms.RadioSelect), "Choose role"),
        (forms.MultipleChoiceField(label="Which indices", widget=forms.CheckboxSelectMultiple), "Choose which indices"),
        (forms.FileField(label="Evidence file"), "Choose evidence file"),
        (forms.CharField(label="The council's GSS code"), "Enter the council's GSS code"),
        (forms.CharField(label="GSS code"), "Enter GSS code"),
        (forms.CharField(label="What do you offer?"), "Enter what do you offer"),
        (forms.IntegerField(widget=forms.HiddenInput), "Enter due date"),
    ],
)
def test_the_message_names_the_field_by_its_label_or_name(field, message):
    assert required_message(field, "due_date") == message
