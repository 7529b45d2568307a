"""The organisation tree and management authority (Art 11)."""

import pytest

from accountability.people.selectors import (
    managing_organ,
    organisation_descendants,
    organisation_tree,
    organisations_managed_by,
    person_list_for_user,
)

pytestmark = pytest.mark.django_db


def test_descendants(personas):
    """The county's descendants are the county and everything under it, not the city."""
    county = set(organisation_descendants(personas.county))
    assert personas.county in county
    assert personas.supervision_office in county
    assert personas.township in county
    assert personas.city not in county
    assert set(organisation_descendants(personas.township)) == {personas.township}


def test_tree_order(personas):
    """The tree lists the city first, children after their parent, with depths."""
    tree = organisation_tree()
    assert tree[0] == (personas.city, 0)
    positions = {org: i for i, (org, _) in enumerate(tree)}
    depths = dict(tree)
    assert positions[personas.county] < positions[personas.supervision_office]
    assert depths[personas.supervision_office] == 2


def test_managing_organ(personas):
    """An office's organ is its commission; a township commission is its own."""
    assert managing_organ(personas.supervision_office) == personas.county
    assert managing_organ(personas.city_supervision_office) == personas.city
    assert managing_organ(personas.township) == personas.township


def test_county_user_manages_county_subtree(personas):
    """A supervision-office user covers the county and below, not the city."""
    managed = set(organisations_managed_by(personas.case_officer))
    assert managed == set(organisation_descendants(personas.county))


def test_city_officer_manages_city_only(personas):
    """The city officer covers the city commission and its offices, not the county."""
    managed = set(organisations_managed_by(personas.city_officer))
    assert managed == {personas.city, personas.city_supervision_office}


def test_administrators_manage_nothing(personas):
    """The administrators have no management authority over cadres."""
    for user in (personas.system_admin, personas.security_admin, personas.audit_admin):
        assert not organisations_managed_by(user).exists()


def test_people_visible_by_authority(personas):
    """County users see county-managed people; the city officer sees the one it manages."""
    county_view = set(person_list_for_user(user=personas.case_officer))
    assert personas.people.handler in county_view
    assert personas.people.deputy_secretary not in county_view
    city_view = set(person_list_for_user(user=personas.city_officer))
    assert city_view == {personas.people.deputy_secretary}


def test_township_officer_sees_whom_the_township_manages(personas):
    """A township officer sees only people managed by the township, not county-managed staff."""
    from accountability.people.models import Person

    assert not person_list_for_user(user=personas.township_officer).exists()
    Person.objects.filter(pk=personas.people.township_handler.pk).update(
        managed_by=personas.township
    )
    township_view = set(person_list_for_user(user=personas.township_officer))
    assert township_view == {personas.people.township_handler}


def test_system_admin_sees_everyone(personas):
    """The system administrator keeps the whole roster."""
    assert person_list_for_user(user=personas.system_admin).count() == len(personas.people)


def test_filters(personas):
    """Search by name and filter by organisation subtree."""
    found = person_list_for_user(user=personas.case_officer, query="吴刚")
    assert list(found) == [personas.people.handler]
    in_township = person_list_for_user(user=personas.case_officer, organisation=personas.township)
    assert set(in_township) == {
        personas.people.township_secretary,
        personas.people.township_handler,
    }
