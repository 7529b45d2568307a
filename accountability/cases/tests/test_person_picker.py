"""The clue form's person picker: a server-side search (name, unit, 工号) that works without
JavaScript, keeps the people already chosen, and leaves the validation of the ids as it was."""

from __future__ import annotations

from unittest import mock

from django.test import TestCase
from django.urls import reverse

from accountability.cases import forms
from accountability.cases.models import Case
from accountability.cases.tests.factories import ago
from accountability.demo.testing import PersonasMixin


class PersonPickerTests(PersonasMixin, TestCase):
    def shown(self, response) -> set[str]:
        field = response.context["form"].fields["persons"]
        return {str(label) for _pk, label in field.widget.choices}

    def names(self, response) -> set[str]:
        return {label.split("（")[0] for label in self.shown(response)}

    def get(self, **params):
        self.client.force_login(self.case_officer)
        return self.client.get(reverse("cases:clue_create"), params)

    def test_search_by_name_unit_and_number(self):
        people = self.personas.people
        self.assertEqual(self.names(self.get(person_q="吴刚")), {people.handler.name})
        by_unit = self.names(self.get(person_q=people.township_handler.unit.name))
        self.assertIn(people.township_handler.name, by_unit)
        self.assertNotIn(people.handler.name, by_unit)
        self.assertEqual(self.names(self.get(person_q="ZX0007")), {people.direct.name})
        self.assertEqual(self.names(self.get(person_q="不存在的人")), set())

    def test_the_search_button_keeps_what_was_typed_and_registers_nothing(self):
        people = self.personas.people
        self.client.force_login(self.case_officer)
        response = self.client.post(
            reverse("cases:clue_create"),
            {
                "source": Case.Source.PETITION,
                "received_on": ago(3).isoformat(),
                "summary": "群众反映某干部未报批。",
                "persons": [people.direct.pk],
                "informant_name": "举报人甲",
                "person_q": "吴刚",
                "_search": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Case.objects.exists())
        self.assertEqual(self.names(response), {people.handler.name, people.direct.name})
        self.assertContains(response, "群众反映某干部未报批。")
        self.assertContains(response, f'value="{people.direct.pk}"')
        self.assertContains(response, "checked")
        self.assertNotContains(response, "errorlist")  # a search is not a failed submit

    def test_the_list_is_bounded_and_says_so(self):
        with mock.patch.object(forms.ClueForm, "PICKER_LIMIT", 2):
            response = self.get()
        self.assertEqual(len(self.shown(response)), 2)
        self.assertContains(response, "仅列出前 2 人")

    def test_a_person_not_shown_may_still_be_submitted_and_others_are_refused(self):
        people = self.personas.people
        data = {
            "source": Case.Source.PETITION,
            "received_on": ago(3).isoformat(),
            "summary": "群众反映某干部未报批。",
            "persons": [people.handler.pk],
            "person_q": "朱磊",
        }
        self.client.force_login(self.case_officer)
        response = self.client.post(reverse("cases:clue_create"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual([p.person for p in Case.objects.get().parties.all()], [people.handler])
        response = self.client.post(reverse("cases:clue_create"), {**data, "persons": [999999]})
        self.assertEqual(response.status_code, 200)
        self.assertIn("persons", response.context["form"].errors)
