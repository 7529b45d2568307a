"""The public channel on a host of its own (PUBLIC_HOSTS): there, only the public pages
exist; with PUBLIC_ON_STAFF_HOSTS=false, the staff hosts no longer serve them."""

from __future__ import annotations

from django.test import TestCase, override_settings

from accountability.demo.testing import PersonasMixin

PUBLIC = "jubao.example"
STAFF = "zjw.example"
HOSTS = ["testserver", PUBLIC, STAFF]
STAFF_PATHS = [
    "/",
    "/accounts/login/",
    "/cases/",
    "/petitions/",
    "/audit/",
    "/reports/",
    "/assess/",
    "/regulation/",
    "/people/",
    "/jobs/",
]
PUBLIC_PATHS = ["/report/", "/report/lookup/"]


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_HOSTS=[PUBLIC], PUBLIC_ON_STAFF_HOSTS=False)
class SeparateHostTests(PersonasMixin, TestCase):
    def test_the_public_host_serves_the_reporting_pages(self):
        for path in PUBLIC_PATHS:
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_HOST=PUBLIC)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "网上举报")
        response = self.client.get("/", HTTP_HOST=PUBLIC)
        self.assertRedirects(response, "/report/", fetch_redirect_response=False)

    def test_no_staff_page_is_reachable_from_the_public_host(self):
        for path in STAFF_PATHS[1:]:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path, HTTP_HOST=PUBLIC).status_code, 404)

    def test_a_staff_session_does_not_open_staff_pages_on_the_public_host(self):
        self.client.force_login(self.case_officer)
        for path in ("/cases/", "/petitions/", "/accounts/login/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path, HTTP_HOST=PUBLIC).status_code, 404)

    def test_the_port_does_not_matter(self):
        self.assertEqual(self.client.get("/cases/", HTTP_HOST=f"{PUBLIC}:8443").status_code, 404)
        self.assertEqual(self.client.get("/report/", HTTP_HOST=f"{PUBLIC}:8443").status_code, 200)

    def test_the_public_pages_are_not_found_on_the_staff_host(self):
        for path in [*PUBLIC_PATHS, "/report/status/", "/captcha/refresh/"]:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path, HTTP_HOST=STAFF).status_code, 404)

    def test_the_staff_host_still_serves_the_staff_pages(self):
        self.assertEqual(self.client.get("/accounts/login/", HTTP_HOST=STAFF).status_code, 200)
        self.client.force_login(self.case_officer)
        self.assertEqual(self.client.get("/petitions/", HTTP_HOST=STAFF).status_code, 200)


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_HOSTS=[PUBLIC], PUBLIC_ON_STAFF_HOSTS=True)
class PublicAlsoOnStaffHostTests(TestCase):
    def test_the_staff_host_serves_the_public_pages_too_when_allowed(self):
        self.assertEqual(self.client.get("/report/", HTTP_HOST=STAFF).status_code, 200)
        self.assertEqual(self.client.get("/accounts/login/", HTTP_HOST=PUBLIC).status_code, 404)


@override_settings(PUBLIC_HOSTS=[])
class OneHostTests(TestCase):
    def test_without_public_hosts_one_host_serves_everything(self):
        self.assertEqual(self.client.get("/report/").status_code, 200)
        self.assertEqual(self.client.get("/accounts/login/").status_code, 200)


class AllowedHostsTests(TestCase):
    def test_the_public_hosts_are_added_to_the_allowed_hosts(self):
        import importlib
        import os

        from config import settings as config_settings

        os.environ["PUBLIC_HOSTS"] = "jubao.example"
        try:
            reloaded = importlib.reload(config_settings)
            self.assertIn("jubao.example", reloaded.ALLOWED_HOSTS)
            self.assertEqual(reloaded.PUBLIC_HOSTS, ["jubao.example"])
        finally:
            del os.environ["PUBLIC_HOSTS"]
            importlib.reload(config_settings)


class PagePolicyTests(TestCase):
    """The public pages carry the Content-Security-Policy, no inline code, and request nothing
    from another host; they are in English through i18n."""

    def test_the_public_pages_carry_the_policy_and_load_only_their_own_files(self):
        import re

        from accountability.operations.tests.test_security_headers import inline_code

        for path in ("/report/", "/report/lookup/"):
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
                policy = response["Content-Security-Policy"]
                self.assertIn("default-src 'self'", policy)
                self.assertNotIn("unsafe-inline", policy)
                html = response.content.decode()
                self.assertEqual(inline_code(html), [])
                for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
                    self.assertTrue(url.startswith(("/", "#")), url)

    def test_the_challenge_picture_is_drawn_by_the_server_itself(self):
        import re

        html = self.client.get("/report/").content.decode()
        src = re.search(r'<img src="(/captcha/image/[0-9a-f]+/)"', html).group(1)
        response = self.client.get(src)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")

    def test_the_pages_are_in_english_through_i18n(self):
        response = self.client.get("/report/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "Make a report")
        self.assertContains(response, "Name of the person reported")
        self.assertContains(response, "Verification code picture")
        self.assertNotContains(response, "我要举报")
