"""The holder's sharing in Chromium on a phone, and the verification page's weight as a phone downloads it.

My titles gives the signed PDF, the picture for WeChat and the badge with its HTML, copied by one tap; the page a
QR code opens weighs under 200 KB with everything it loads, and answers at a glance without any PDF.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credentials import payload
from tests.factories import PASSWORD, granted_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

SERIOUS = {"serious", "critical"}
VERIFY_BUDGET = 200_000
# The snippet and the Open Badges button are what they are named, in any language.
NAMES = ("Open", "Badges", "HTML")


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _title(enterprise):
    return granted_title(enterprise, valid_until=timezone.localdate() + datetime.timedelta(days=400))


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def test_the_holder_finds_its_downloads_and_copies_the_badge_on_a_phone(phone_page, guard, alice, live_server):
    title = _title(alice.enterprise)
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    guard.allow_words(page, *NAMES)

    _log_in(page, "alice@example.com")
    page.goto("/titles/")
    guard.screenshot(page, "my titles")

    pdf = page.get_by_role("link", name="带电子签名的证书（PDF）")
    assert pdf.get_attribute("href") == f"/titles/{title.serial}/certificate.pdf"
    png = page.get_by_role("link", name="证书图片（PNG）")
    assert png.get_attribute("href") == f"/titles/{title.serial}/certificate.png"
    assert page.get_by_role("link", name="可验证数字凭证（开放徽章 3.0，JSON）").is_visible()
    badge = page.get_by_role("img", name=f"徽章：{title.title}，有效")
    badge.scroll_into_view_if_needed()
    assert badge.evaluate("(img) => img.complete && img.naturalWidth") > 0
    assert badge.bounding_box()["width"] <= 390

    with page.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename == f"{title.serial}.pdf"

    snippet = page.get_by_label("粘贴到贵单位网站的HTML代码")
    assert snippet.input_value().startswith(f'<a href="{live_server.url.replace("localhost", "127.0.0.1")}'[:9])
    assert f"/verify/{title.serial}/" in snippet.input_value()
    page.bring_to_front()  # the clipboard belongs to the page in front, as for a person
    page.get_by_role("button", name="复制代码").click()
    page.get_by_role("status").filter(has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == snippet.input_value()
    guard.screenshot(page, "copied")

    assert _serious_violations(page) == []


def test_the_picture_and_the_badge_open_in_the_phone_browser(phone_page, guard, alice):
    title = _title(alice.enterprise)
    page = phone_page
    _log_in(page, "alice@example.com")

    response = page.goto(f"/titles/{title.serial}/certificate.png")
    assert response.headers["content-type"] == "image/png"
    assert len(response.body()) < 200_000
    assert page.evaluate("document.images[0].naturalWidth") == 1600
    guard.screenshot(page, "picture")

    response = page.goto(f"/credentials/{title.serial}/badge.svg")
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert "有效" in page.locator("svg").text_content()


def test_the_verification_page_weighs_under_200_kb_and_answers_on_a_phone_without_a_pdf(
    phone_page, guard, alice, record_property
):
    title = _title(alice.enterprise)
    page = phone_page
    loaded: dict[str, tuple[int, str]] = {}

    def count(response) -> None:
        # The bodies as Chromium loaded them, uncompressed (the test server does not compress): the most a phone
        # pays.
        loaded[response.url] = (len(response.body()), response.headers.get("content-type", ""))

    page.on("response", count)
    # As the phone's camera opens it: with the signed code after "#", which the page checks in the browser.
    page.goto(f"/verify/{title.serial}/#{payload.encode(title)}")
    page.wait_for_load_state("networkidle")

    total = sum(size for size, _type in loaded.values())
    record_property("verify_page_bytes", total)
    record_property("verify_page_parts", {url.rsplit("/", 1)[-1] or url: size for url, (size, _t) in loaded.items()})
    assert total < VERIFY_BUDGET, loaded
    assert not [url for url, (_size, kind) in loaded.items() if "pdf" in kind]
    assert page.locator("embed, object, iframe").count() == 0

    verdict = page.get_by_role("heading", level=1)
    assert verdict.inner_text().endswith("有效")
    box = verdict.bounding_box()
    assert box["y"] + box["height"] <= 844  # on the first screen, no scrolling
    assert float(verdict.evaluate("(h) => parseFloat(getComputedStyle(h).fontSize)")) >= 32
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    guard.screenshot(page, "verification page")
    assert _serious_violations(page) == []
