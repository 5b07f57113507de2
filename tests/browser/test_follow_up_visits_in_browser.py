"""In Chromium: the organizer publishes a title's service commitments, records a failed consumer experience check
with a photo (after a refused attempt without findings), opens a revocation case from it, and the public
verification page shows the title suspended with its commitments."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from certificates.models import FollowUpVisit, RevocationCase
from certificates.services import certificate_grant
from tests.factories import PASSWORD, ApplicationFactory, ProgramFactory, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_the_organizer_records_a_failed_visit_and_opens_a_case_from_it(page, guard, olivia, alice, tmp_path):
    today = timezone.localdate()
    program = ProgramFactory(ceremony_date=today - datetime.timedelta(days=60))
    title = certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )
    photo = tmp_path / "购物小票.png"
    photo.write_bytes(png_bytes())
    guard.allow_words(page, "olivia")
    _log_in(page, "olivia")

    page.goto(f"/work/titles/{title.serial}/")
    commitments = page.get_by_label("服务承诺")
    assert commitments.input_value() == "七日无理由退货\n先行赔付\n明码标价"  # prefilled for an honest-business title
    page.get_by_role("button", name="公布承诺").click()
    assert page.get_by_text("服务承诺已随称号公布。").is_visible()

    page.get_by_role("radio", name="消费体验").check()
    page.get_by_label("回访日期").fill(today.isoformat())
    page.get_by_role("checkbox", name="七日无理由退货").check()
    page.get_by_role("radio", name="未通过").check()
    page.get_by_role("button", name="保存回访记录").click()
    assert page.get_by_text("请写明未通过的情况：立案时将据此填写立案理由。").is_visible()
    guard.screenshot(page, "visit refused without findings")

    page.get_by_role("radio", name="消费体验").check()
    page.get_by_role("checkbox", name="七日无理由退货").check()
    page.get_by_role("radio", name="未通过").check()
    page.get_by_label("检查情况").fill("暗访购买未拆封电饭煲，次日要求退货被拒，店员称特价商品不退不换。")
    page.get_by_label("照片或材料").set_input_files(str(photo))
    page.get_by_role("button", name="保存回访记录").click()
    assert page.get_by_text("回访已记录。").is_visible()
    assert page.get_by_role("link", name="购物小票.png").is_visible()
    guard.screenshot(page, "failed visit recorded")

    visit = FollowUpVisit.objects.get(certificate=title)
    row = page.locator(f'tr[data-visit="{visit.pk}"]')
    row.get_by_text("据此回访立案").click()
    grounds = row.get_by_label("立案理由")
    assert "店员称特价商品不退不换" in grounds.input_value()
    guard.screenshot(page, "case from the visit")
    row.get_by_role("button", name="立案并暂停称号").click()
    assert page.get_by_text("已据回访立案，称号已暂停。").is_visible()
    assert RevocationCase.objects.get(certificate=title).visits.get() == visit

    page.goto(f"/verify/{title.serial}/")
    assert page.locator('[data-status="suspended"]').is_visible()
    assert page.get_by_role("heading", name="服务承诺").is_visible()
    guard.screenshot(page, "verification page")
