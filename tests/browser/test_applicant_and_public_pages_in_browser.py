"""In Chromium: an upload keeps what was typed; on a phone, tables keep their labels and codes stay whole."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from certificates.services import certificate_grant
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    EnterpriseFactory,
    ProgramFactory,
    complete_draft,
    pdf_bytes,
    staff_user,
)
from workflows.services import application_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

# The narrowest screen on which the roll is still a table (site.css stacks its rows below 601 px).
NARROWEST_TABLE = {"width": 601, "height": 900}

# Texts of the given elements whose characters lie on more than one line.
WRAPPED = """(selector) => [...document.querySelectorAll(selector)].filter((element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
}).map((element) => element.textContent.trim())"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# How far what the reader sees of an element (clipped by a scrolling box around it) reaches beyond the page column.
STICKING_OUT = """(selector) => {
  const element = document.querySelector(selector);
  const column = document.querySelector("main .container");
  const edge = column.getBoundingClientRect().right - parseFloat(getComputedStyle(column).paddingRight);
  return (element.closest(".scroll-x") || element).getBoundingClientRect().right - edge;
}"""


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _titles_in_force(count: int):
    """Titles granted in 2025, in force until March 2028, to enterprises with long names."""
    program = ProgramFactory(year=2025, title="2025年度诚信经营示范单位评选", slug="honest-2025")
    for number in range(count):
        name = f"杭州西湖区文三路数码电子产品连锁经营第{number}分公司（集团）有限公司"
        application = ApplicationFactory(program=program, enterprise=EnterpriseFactory(name=name), approved=True)
        certificate_grant(application=application)
    return program


def test_the_summary_typed_before_an_upload_is_still_there_after_it(page, alice, program, tmp_path):
    application = ApplicationFactory(program=program, enterprise=alice.enterprise)
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_bytes())

    _log_in(page, alice.username)
    page.goto(f"/applications/{application.pk}/edit/")
    page.get_by_label("主要事迹").fill("坚持明码标价，投诉当日响应，三年零投诉。")
    page.get_by_label("材料类型").select_option(label="营业执照")
    page.get_by_label("文件").set_input_files(str(licence))
    page.get_by_role("button", name="上传", exact=True).click()

    assert page.get_by_role("link", name="营业执照.pdf").is_visible()
    assert page.get_by_label("主要事迹").input_value() == "坚持明码标价，投诉当日响应，三年零投诉。"


def test_on_a_phone_every_self_assessment_cell_says_what_it_is(phone_page, alice, olivia, program):
    application = ApplicationFactory(program=program, enterprise=alice.enterprise)
    complete_draft(application)
    application_submit(application=application, user=alice)

    _log_in(phone_page, olivia.username)
    phone_page.goto("/work/")
    phone_page.get_by_role("link", name="办理").first.click()

    criteria = application.program.criteria.count()
    cells = phone_page.locator("section.card table.list.stack.small td")  # the self-assessment
    assert cells.count() == 4 * criteria
    labels = cells.evaluate_all("cells => cells.map((cell) => getComputedStyle(cell, '::before').content)")
    assert labels == ['"评分细则"', '"分值"', '"自评得分"', '"说明"'] * criteria


def test_on_a_phone_the_honour_roll_keeps_codes_and_serials_whole(phone_page):
    _titles_in_force(3)

    phone_page.goto("/honours/")

    assert phone_page.locator("td.code").count() == 6
    assert phone_page.evaluate(WRAPPED, "td.code") == []
    assert phone_page.evaluate(OVERFLOW) <= 1


def test_at_its_narrowest_the_honour_roll_table_scrolls_in_its_box_rather_than_stick_out(page):
    _titles_in_force(3)
    page.set_viewport_size(NARROWEST_TABLE)

    page.goto("/honours/")

    assert page.evaluate(WRAPPED, "td.code") == []
    assert page.evaluate(STICKING_OUT, "table.list") <= 1


def test_on_a_phone_the_organizers_titles_keep_their_serials_whole_and_scroll(phone_page, guard):
    program = _titles_in_force(3)
    staff_user("olga", Role.ORGANIZER)
    guard.allow_words(phone_page, "olga", "Excel")

    _log_in(phone_page, "olga")
    phone_page.goto(f"/work/programs/{program.slug}/titles/")

    serials = phone_page.locator("table.list td.code")
    assert serials.count() == 3
    assert phone_page.evaluate(WRAPPED, "table.list td.code") == []
    assert phone_page.evaluate(OVERFLOW) <= 1
    box = phone_page.locator(".scroll-x").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # the table scrolls inside its box


def test_on_a_phone_an_enterprise_reads_its_evaluation_result_source_by_source(phone_page, guard, alice):
    from decimal import Decimal

    from awards.models import ReviewResult
    from awards.scoring import TierRule
    from evaluations.rule import EvaluationRule, RecordDeduction, Source, SourceFigure, grade

    application = ApplicationFactory(
        program=ProgramFactory(mode="evaluation"), enterprise=alice.enterprise, enrolled=True, status="graded"
    )
    result = grade(
        [SourceFigure(Source.QUESTIONNAIRE, 50, Decimal(80), 12), SourceFigure(Source.HEARING, 50, Decimal(72), 3)],
        [RecordDeduction(1, "complaint", "general", Decimal(3))],
        EvaluationRule(tiers=TierRule(), min_sample=30),
    )
    ReviewResult.objects.create(
        application=application,
        final_score=result.score,
        tier=result.tier,
        rule_version=result.rule.version,
        explanation=result.explanation(),
    )
    _log_in(phone_page, alice.username)
    phone_page.goto(f"/applications/{application.pk}/")
    guard.screenshot(phone_page, "evaluation result")
    assert phone_page.get_by_text("低于最低样本量").is_visible()
    assert phone_page.get_by_role("cell", name="消费投诉").is_visible()
