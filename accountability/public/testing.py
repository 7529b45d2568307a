"""Helpers for tests of the public pages: answering the challenge as a person reading the
picture would (the answer is read from the challenge's own store, by the key in the page)."""

from __future__ import annotations

import re

from captcha.models import CaptchaStore

_KEY = re.compile(
    r'name="challenge_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="challenge_0"'
)


def challenge_key(html: str) -> str:
    match = _KEY.search(html)
    if match is None:
        raise AssertionError("no challenge on the page")
    return match.group(1) or match.group(2)


def challenge_answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def solved(html: str) -> dict[str, str]:
    """The form fields that answer the challenge of ``html``."""
    key = challenge_key(html)
    return {"challenge_0": key, "challenge_1": challenge_answer(key)}


CODE_IN_RECEIPT = re.compile(r'data-testid="receipt-code"[^>]*>([^<]+)<')

REPORT_FIELDS = {
    "subject_name": "王五",
    "subject_unit": "县纪委监委第一监督检查室",
    "subject_post": "科员",
    "occurred": "2026年5月前后",
    "facts": "王五在核查信访件时收受被反映人所送购物卡，未按规定报告。",
    "identity": "anonymous",
}


def submit_through_page(client, **fields) -> tuple[object, str]:  # type: ignore[no-untyped-def]
    """Fill in and send the report page as a person would; (response, code on the receipt)."""
    page = client.get("/report/")
    data = {**REPORT_FIELDS, **fields, **solved(page.content.decode())}
    response = client.post("/report/", data)
    match = CODE_IN_RECEIPT.search(response.content.decode())
    return response, (match.group(1) if match else "")


def look_up_through_page(client, code: str):  # type: ignore[no-untyped-def]
    page = client.get("/report/lookup/")
    return client.post("/report/lookup/", {"code": code, **solved(page.content.decode())})


def make_report(**fields):  # type: ignore[no-untyped-def]
    """A report as the service records it (no request): (report, code)."""
    from accountability.public import services

    values = {k: v for k, v in {**REPORT_FIELDS, **fields}.items() if k != "identity"}
    return services.report_submit(**values)
