"""The personas every app's tests build on."""

from django.test import Client

from accountability.accounts.models import User
from accountability.demo.testing import PERSONA_PASSWORD, PersonasTestCase
from accountability.people.models import Organisation, Person


def test_personas_cover_every_role(personas):
    """There is one persona user for each role, named after the role."""
    roles = {user.role for user in personas.users}
    assert roles == set(User.Role.values)
    for user in personas.users:
        assert user.username == user.role
        assert getattr(personas, user.role) == user


def test_personas_org_tree(personas):
    """The county commission sits under the city commission; its offices under it."""
    assert personas.county.parent == personas.city
    assert personas.supervision_office.parent == personas.county
    assert personas.orgs.township.kind == Organisation.Kind.TOWNSHIP
    assert personas.dispatched.kind == Organisation.Kind.DISPATCHED
    assert personas.inspection.kind == Organisation.Kind.INSPECTION


def test_personas_people(personas):
    """People span the Art 5 roles; one is managed by the city; the subject has a record."""
    assert {p.role for p in personas.people} == set(Person.Role.values)
    assert personas.people.deputy_secretary.managed_by == personas.city
    assert personas.people.handler.account == personas.subject
    managed = {p.managed_by for p in personas.people}
    assert managed == {personas.county, personas.city}


class PersonasTestCaseTests(PersonasTestCase):
    def test_users_as_attributes(self):
        """The mixin sets one attribute per persona user."""
        self.assertEqual(self.case_officer.role, User.Role.CASE_OFFICER)
        self.assertEqual(self.personas.audit_admin, self.audit_admin)

    def test_persona_can_log_in(self):
        """Persona users log in with PERSONA_PASSWORD."""
        self.assertTrue(Client().login(username="leader", password=PERSONA_PASSWORD))
