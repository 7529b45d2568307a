"""三员分立 and the second factor in a real browser: the system administrator asks for a case
officer, the security administrator approves, each hands over half of the activation code;
the officer sets their own password, enrols a TOTP app (the QR code and key on the page),
keeps the recovery codes, and logs in again with TOTP and with a recovery code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountability.accounts.models import User
from accountability.accounts.testing import enrolling_device, totp_code, totp_for_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinren#2026a"  # noqa: S105


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def test_new_officer_activates_enrols_and_logs_in(page, live_server, login, screenshot, personas):
    """From the request to a login with a recovery code, every step by its owner."""
    base = live_server.url

    # The system administrator asks for the account and sees the first half once.
    login("system_admin", personas.password)
    page.goto(f"{base}/accounts/new/")
    page.fill("#id_username", "xinren")
    page.fill("#id_full_name", "辛仁")
    page.select_option("#id_role", "case_officer")
    page.select_option("#id_organisation", label="纪检监察干部监督室")
    page.fill("#id_reason", "新调入监督室")
    page.get_by_role("button", name="提交申请").click()
    first = page.get_by_test_id("first-code").inner_text()
    screenshot(page, "2fa-01-request-submitted")

    # The security administrator approves and sees the second half once.
    login("security_admin", personas.password)
    page.goto(f"{base}/accounts/requests/?status=pending")
    page.get_by_role("link", name="审批").first.click()
    page.fill("#id_note", "同意")
    page.get_by_role("button", name="批准").click()
    second = page.get_by_test_id("second-code").inner_text()
    assert first != second
    screenshot(page, "2fa-02-request-approved")

    # The officer sets their own password with both halves.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="新账号或密码已重置：使用激活码设置密码").click()
    page.fill("#id_username", "xinren")
    page.fill("#id_first_code", first)
    page.fill("#id_second_code", second)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="设置密码").click()

    # Enrolment: the QR code and the key; the app's first code confirms it.
    expect(page.get_by_role("heading", name="绑定动态口令")).to_be_visible()
    expect(page.locator("svg.otp-qr")).to_be_visible()
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    device = enrolling_device(User.objects.get(username="xinren"), secret)
    assert totp_for_key(device.key).secret == secret
    screenshot(page, "2fa-03-enrol")
    page.fill("#id_code", totp_code(device))
    page.get_by_role("button", name="完成绑定").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "2fa-04-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    log_out(page)

    # Next login: password, then TOTP.
    login("xinren", PASSWORD)
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    log_out(page)

    # Without the phone: password, then a recovery code, which then is spent.
    page.fill("#id_username", "xinren")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("您使用了一个恢复码，还剩 9 个")).to_be_visible()
    screenshot(page, "2fa-05-recovery-login")
    log_out(page)
    page.fill("#id_username", "xinren")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("动态口令或恢复码不正确，请重新输入。")).to_be_visible()
