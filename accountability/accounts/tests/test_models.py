"""An account is an administrator account or a business account for life (三员分立)."""

from django.db import IntegrityError, transaction
from django.test import TestCase

from accountability.accounts.models import KIND_CHANGE_REFUSED, User
from accountability.common.errors import DomainError


class AccountKindTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.auditor = User.objects.create(username="auditor", role=User.Role.AUDIT_ADMIN)
        cls.officer = User.objects.create(username="officer", role=User.Role.CASE_OFFICER)

    def test_kind_follows_the_role_at_creation(self):
        """Administrator roles make administrator accounts, the others business accounts."""
        self.assertEqual(self.auditor.kind, User.Kind.ADMINISTRATOR)
        self.assertEqual(self.officer.kind, User.Kind.BUSINESS)

    def test_role_cannot_cross_the_groups(self):
        """Saving an administrator with a business role, or the reverse, is refused."""
        for user, role in ((self.auditor, User.Role.CASE_OFFICER), (self.officer, "system_admin")):
            fresh = User.objects.get(pk=user.pk)
            fresh.role = role
            with self.assertRaisesMessage(DomainError, str(KIND_CHANGE_REFUSED)):
                fresh.save()
        self.auditor.refresh_from_db()
        self.assertEqual(self.auditor.role, User.Role.AUDIT_ADMIN)

    def test_kind_cannot_be_changed_with_the_role(self):
        """Changing kind and role together is refused too, also from a partial load."""
        fresh = User.objects.get(pk=self.officer.pk)
        fresh.kind, fresh.role = User.Kind.ADMINISTRATOR, User.Role.SECURITY_ADMIN
        with self.assertRaisesMessage(DomainError, str(KIND_CHANGE_REFUSED)):
            fresh.save()
        partial = User.objects.only("role").get(pk=self.officer.pk)
        partial.role = User.Role.SYSTEM_ADMIN
        with self.assertRaisesMessage(DomainError, str(KIND_CHANGE_REFUSED)):
            partial.save()

    def test_role_moves_within_its_group(self):
        """An administrator's role may move among administrator roles at the model level (the
        interface never offers it), a business role among business roles."""
        fresh = User.objects.get(pk=self.officer.pk)
        fresh.role = User.Role.OFFICE_HEAD
        fresh.save()
        self.assertEqual(User.objects.get(pk=self.officer.pk).role, User.Role.OFFICE_HEAD)

    def test_database_refuses_a_mismatch(self):
        """The check constraint stops a raw update that would break the rule."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=self.auditor.pk).update(role=User.Role.CASE_OFFICER)
