from nps.organisations.models import KIND_PLURALS, Kind


def test_every_type_of_organisation_has_a_plural_name_of_its_own():
    assert set(KIND_PLURALS) == set(Kind)
    assert KIND_PLURALS[Kind.UNITARY_AUTHORITY] == "Unitary authorities"
    assert not [name for name in KIND_PLURALS.values() if name.endswith("ys")]
