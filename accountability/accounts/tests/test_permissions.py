"""role_required and the role sets other apps build on."""

from django.http import HttpResponse
from django.test import RequestFactory

from accountability.accounts.models import User
from accountability.accounts.permissions import (
    ADMIN_ROLES,
    CASE_READERS,
    FORBIDDEN_MESSAGE,
    INFORMANT_VIEWERS,
    has_role,
    role_required,
)
from accountability.audit.models import AuditEntry
from accountability.demo.testing import PersonasTestCase

Role = User.Role


@role_required(Role.CASE_OFFICER, INFORMANT_VIEWERS)
def sample_view(request):
    return HttpResponse("ok")


class RoleRequiredTests(PersonasTestCase):
    def call(self, user):
        request = RequestFactory().get("/sample/")
        request.user = user
        return sample_view(request)

    def test_allowed_role_passes(self):
        """A user holding a listed role reaches the view."""
        self.assertEqual(self.call(self.office_head).content, b"ok")

    def test_other_role_gets_403_with_chinese_message(self):
        """Another role gets 403 and the message naming that role."""
        response = self.call(self.leader)
        self.assertEqual(response.status_code, 403)
        self.assertIn(FORBIDDEN_MESSAGE.format(role="分管(联系)领导"), response.content.decode())

    def test_refusal_is_audited(self):
        """The refusal is recorded as access_denied with the path."""
        self.call(self.system_admin)
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(
            (entry.action, entry.outcome, entry.actor, entry.target_repr),
            ("access_denied", "denied", self.system_admin, "/sample/"),
        )

    def test_anonymous_redirected_to_login(self):
        """An anonymous request goes to the login page with next=."""
        from django.contrib.auth.models import AnonymousUser

        response = self.call(AnonymousUser())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/accounts/login/?next=/sample/")

    def test_inactive_user_refused(self):
        """A deactivated account holding the role is refused."""
        self.case_officer.is_active = False
        self.assertEqual(self.call(self.case_officer).status_code, 403)


class RoleSetTests(PersonasTestCase):
    def test_informant_viewers(self):
        """Only the case officer and the office head may see an informant's identity."""
        self.assertEqual(INFORMANT_VIEWERS, {Role.CASE_OFFICER, Role.OFFICE_HEAD})

    def test_admins_read_no_cases(self):
        """No administrator role is a case reader (三员分立)."""
        self.assertFalse(ADMIN_ROLES & CASE_READERS)
        self.assertNotIn(Role.SUBJECT, CASE_READERS)

    def test_has_role_accepts_values_and_sets(self):
        """has_role takes single roles and role sets."""
        self.assertTrue(has_role(self.audit_admin, ADMIN_ROLES))
        self.assertTrue(has_role(self.leader, Role.LEADER))
        self.assertFalse(has_role(self.leader, ADMIN_ROLES, Role.CASE_OFFICER))
        self.assertFalse(has_role(None, Role.LEADER))
