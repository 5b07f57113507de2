"""A new applicant registers, registers the enterprise, fills in and submits an application, in Chromium."""

from __future__ import annotations

import pytest

from awards.models import Application, ApplicationStatus
from tests.factories import DistrictFactory, ProgramFactory, pdf_bytes, valid_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_a_new_applicant_applies_online(page, tmp_path):
    program = ProgramFactory(title="2027年度诚信经营示范单位评选")
    DistrictFactory(code="330106", name="西湖区")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_bytes())
    code = valid_uscc(31415)

    page.goto("/")
    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("电子邮箱或手机号").fill("13700001234")
    page.get_by_label("姓名").fill("钱七")
    page.get_by_label("密码", exact=True).fill("Hangzhou-Westlake-315")
    page.get_by_label("确认密码").fill("Hangzhou-Westlake-315")
    page.get_by_role("button", name="创建账户").click()

    # A wrong code is explained next to the field, then corrected.
    page.get_by_label("企业名称").fill("杭州钱七茶庄有限公司")
    page.get_by_label("统一社会信用代码").fill(code[:17] + ("0" if code[17] != "0" else "1"))
    page.get_by_label("法定代表人").fill("钱七")
    page.get_by_label("地址").fill("杭州市西湖区龙井路8号")
    page.get_by_label("区县").select_option(label="西湖区")
    page.get_by_label("行业").select_option(label="F 批发和零售业")
    page.get_by_label("联系人", exact=True).fill("钱七")
    page.get_by_label("联系电话").fill("13700001234")
    page.get_by_label("营业执照").set_input_files(str(licence))
    page.get_by_role("button", name="登记企业信息").click()
    assert page.locator("#id_uscc_errors").is_visible()
    page.get_by_label("统一社会信用代码").fill(code)
    # A browser never keeps a chosen file across a page load, so the licence is chosen again.
    page.get_by_label("营业执照").set_input_files(str(licence))
    page.get_by_role("button", name="登记企业信息").click()
    assert page.get_by_text("等待组织单位核验营业执照").is_visible()

    page.get_by_role("button", name="申报").first.click()
    assert page.get_by_text(program.title).first.is_visible()
    page.get_by_label("主要事迹").fill("坚持明码标价，投诉当日响应，三年零投诉。")
    for field in page.locator("input[type=number]").all():
        field.fill("5")
    for select in page.locator("fieldset.criterion select").all():
        select.select_option("no")
    page.get_by_label("本单位已阅读承诺书", exact=False).check()
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("草稿已保存").is_visible()

    page.get_by_label("材料类型").select_option(label="营业执照")
    page.get_by_label("文件").set_input_files(str(licence))
    page.get_by_role("button", name="上传").click()
    assert page.get_by_role("link", name="营业执照.pdf").is_visible()

    page.get_by_role("button", name="提交申报").click()
    assert page.get_by_text("已提交").first.is_visible()
    assert page.locator("li[aria-current=step]").inner_text().strip().endswith("形式审查")

    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.enterprise.uscc == code
