"""A whole award round through the user interface only, in Chromium, as every role would live it.

An applicant registers and applies; the organizer returns the application once and accepts it; three reviewers
score (one declares a conflict and is replaced); the inspector accepts the site; the committee approves; the list
goes on notice; a member of the public objects and looks the objection up; the organizer adjusts the notice,
verifies the objection and the title is granted; certificates print and the list downloads; the QR code on the
certificate opens the right verification page. Then the applicant's and the public's pages again on a phone.
The guards of conftest.py fail the test on console errors, failed requests, error pages, forms showing errors
before a submit and English on a Chinese page; axe-core checks every page the round visits.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from freezegun import freeze_time

from accounts.roles import Role
from awards.models import Application, ApplicationStatus, District, ProgramKind
from certificates.models import Certificate
from jobs.periodic import periodic
from tests.factories import PASSWORD, ProgramFactory, pdf_bytes, png_bytes, staff_user, valid_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

ENTERPRISE = "杭州钱塘消费维权教育馆有限公司"
APPLICANT_PASSWORD = "Hangzhou-Qiantang-315"
SERIOUS = {"serious", "critical"}


def zh(message: str) -> str:
    """The Chinese words the interface shows for one of its messages."""
    with translation.override("zh-hans"):
        return gettext(message)


class Round:
    """The browser, and what the round checks on every page it visits."""

    def __init__(self, page, guard, live_server) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.guard = guard
        self.axe = Axe()
        self.live_server = live_server
        self.violations: dict[str, list[str]] = {}

    def check(self, step: str) -> None:
        """Screenshot the step and run axe-core on the page, once per address pattern."""
        self.page.wait_for_load_state("load")
        self.guard.screenshot(self.page, step)
        path = re.sub(r"\d+", "N", self.page.url.split("?")[0].replace(self.live_server.url, ""))
        if path in self.violations:
            return
        results = self.axe.run(self.page).response
        self.violations[path] = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in SERIOUS
        ]

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto("/accounts/login/")
        page.get_by_label(zh("E-mail or mobile number")).fill(username)
        page.get_by_label(zh("Password"), exact=True).fill(password)
        page.get_by_role("button", name=zh("Log in"), exact=True).click()
        self.check(f"logged in as {username}")

    def log_out(self) -> None:
        self.page.get_by_role("button", name=zh("Log out")).click()

    def open_my_first_task(self, step: str) -> None:
        self.page.get_by_role("link", name=zh("My tasks")).first.click()
        self.check(f"{step}: inbox")
        self.page.get_by_role("link", name=zh("Open"), exact=True).first.click()
        self.check(step)

    def success_shown(self) -> None:
        assert self.page.locator(".messages .success").first.is_visible(), self.page.url


@pytest.fixture
def cast(db):
    staff = {
        "olivia": staff_user("olivia", Role.ORGANIZER),
        "ingrid": staff_user("ingrid", Role.INSPECTOR),
        "carl": staff_user("carl", Role.COMMITTEE),
    }
    for name in ("rui", "rong", "ren", "rao"):
        staff[name] = staff_user(name, Role.REVIEWER)
    return staff


@pytest.fixture
def education_programme(db):
    District.objects.get_or_create(code="330106", defaults={"name": "西湖区"})
    return ProgramFactory(
        title="2027年度消费维权教育基地评选",
        kind=ProgramKind.EDUCATION_BASE,
        serial_prefix="JD",
        notice_working_days=5,
        ceremony_date=datetime.date(2027, 3, 15),
    )


def test_a_whole_round_through_the_user_interface(page, phone_page, guard, live_server, settings, tmp_path, cast,
                                                   education_programme):
    settings.SITE_URL = live_server.url
    # Print batches and list exports are background jobs; on the tests' immediate queue each runs as soon as the
    # request that starts it commits, so the job's page shows it done.
    guard.allow_words(page, *cast)
    program = education_programme
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_bytes())
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(png_bytes((400, 300)))
    code = valid_uscc(27182)
    r = Round(page, guard, live_server)

    # The applicant registers, registers the enterprise with its licence, applies, saves, uploads and submits.
    page.goto("/")
    r.check("home")
    page.get_by_role("link", name=zh("Register"), exact=True).first.click()
    r.check("register")
    page.get_by_label(zh("E-mail or mobile number")).fill("13700002718")
    page.get_by_label(zh("Your name")).fill("钱塘")
    page.get_by_label(zh("Password"), exact=True).fill(APPLICANT_PASSWORD)
    page.get_by_label(zh("Password again")).fill(APPLICANT_PASSWORD)
    page.get_by_role("button", name=zh("Create the account")).click()
    r.check("enterprise registration")
    page.get_by_label(zh("enterprise name"), exact=True).fill(ENTERPRISE)
    page.get_by_label(zh("unified social credit code"), exact=True).fill(code)
    page.get_by_label(zh("legal representative"), exact=True).fill("钱塘")
    page.get_by_label(zh("address"), exact=True).fill("杭州市西湖区之江路1号")
    page.get_by_label(zh("district"), exact=True).select_option(label="西湖区")
    page.get_by_label(zh("industry"), exact=True).select_option(index=1)
    page.get_by_label(zh("contact person"), exact=True).fill("钱塘")
    page.get_by_label(zh("contact phone"), exact=True).fill("13700002718")
    page.get_by_label(zh("Business licence")).set_input_files(str(licence))
    page.get_by_role("button", name=zh("Register the enterprise")).click()
    r.success_shown()
    r.check("programmes")
    page.get_by_role("button", name=zh("Apply")).first.click()
    r.check("application form")
    page.get_by_label(zh("Summary of achievements")).fill("场馆面积800平方米，年接待参观者1.2万人次，设有12315投诉站。")
    for field in page.locator("input[type=number]").all():
        field.fill(field.get_attribute("max") or "5")
    for select in page.locator("fieldset.criterion select").all():
        select.select_option("no")
    page.get_by_label(zh("I have read the commitment letter and promise that everything in this application is true.")).check()
    page.get_by_role("button", name=zh("Save draft")).click()
    r.success_shown()
    page.get_by_label(zh("Kind of document")).select_option(label=zh("Business licence"))
    page.get_by_label(zh("File"), exact=True).set_input_files(str(licence))
    page.get_by_role("button", name=zh("Upload")).click()
    r.check("uploaded")
    assert page.get_by_label(zh("Summary of achievements")).input_value().startswith("场馆面积")
    page.get_by_role("button", name=zh("Submit the application")).click()
    r.success_shown()
    r.check("submitted")
    r.log_out()
    application = Application.objects.get(enterprise__uscc=code)

    # The organizer returns it for correction; the applicant reads why, corrects and resubmits.
    r.log_in("olivia")
    r.open_my_first_task("formal check")
    page.get_by_label(zh("Return for correction")).check()
    page.get_by_label(zh("Reason")).fill("请在主要事迹中补充近三年开展的消费教育活动场次。")
    page.get_by_role("button", name=zh("Record the decision")).click()
    r.success_shown()
    r.log_out()
    r.log_in("13700002718", APPLICANT_PASSWORD)
    page.get_by_role("link", name=zh("My applications")).first.click()
    page.get_by_role("link", name=zh("Status"), exact=True).first.click()
    r.check("returned application")
    assert page.get_by_text("近三年开展的消费教育活动场次").first.is_visible()
    page.get_by_role("link", name=zh("My applications")).first.click()
    page.get_by_role("link", name=zh("Continue"), exact=True).first.click()
    r.check("correcting")
    summary = page.get_by_label(zh("Summary of achievements"))
    summary.fill(summary.input_value() + "近三年开展消费教育活动36场。")
    page.get_by_role("button", name=zh("Submit the application")).click()
    r.success_shown()
    r.log_out()

    # The organizer accepts (checking the licence, since the enterprise is new) and assigns three reviewers.
    r.log_in("olivia")
    r.open_my_first_task("formal check again")
    page.get_by_label(zh("Accept: the application is complete and eligible")).check()
    page.get_by_label(
        zh(
            "I have checked the business licence: it shows the same unified social credit code and name as the "
            "registration."
        )
    ).check()
    page.get_by_role("button", name=zh("Record the decision")).click()
    r.success_shown()
    r.open_my_first_task("assign reviewers")
    for name in ("rui", "rong", "ren"):
        page.get_by_label(re.compile(str(cast[name]))).check()
    due = page.get_by_label(zh("Reviews due on"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", due.input_value()), "the date widget shows the default deadline"
    due.fill((timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name=zh("Assign")).click()
    r.success_shown()
    r.log_out()

    # Rui declares a conflict; the organizer hands the review to Rao; three reviewers score.
    r.log_in("rui")
    r.open_my_first_task("review, to decline")
    page.get_by_label(zh("Conflict of interest")).fill("本人配偶在该单位任职。")
    page.get_by_role("button", name=zh("Decline this review")).click()
    r.success_shown()
    r.log_out()
    r.log_in("olivia")
    page.goto(f"/work/programs/{program.slug}/")
    r.check("dashboard with a declined review")
    replacement = page.get_by_label(zh("New reviewer")).first
    replacement.select_option(replacement.locator("option", has_text=str(cast["rao"])).get_attribute("value"))
    page.get_by_role("button", name=zh("Hand the review over")).first.click()
    r.success_shown()
    r.log_out()
    for name in ("rong", "ren", "rao"):
        r.log_in(name)
        r.open_my_first_task(f"review by {name}")
        for field in page.locator("input[type=number]").all():
            field.fill(field.get_attribute("max") or "0")
        for select in page.locator("fieldset.criterion select").all():
            select.select_option("no")
        page.get_by_label(zh("Comment")).fill("场馆设施完善，讲解规范。")
        page.get_by_role("button", name=zh("Submit my review")).click()
        r.success_shown()
        r.log_out()

    # The inspector records the on-site acceptance; the committee approves the list in one batch.
    r.log_in("ingrid")
    r.open_my_first_task("inspection")
    page.get_by_label(zh("Passed"), exact=True).check()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.get_by_label(zh("Date of the inspection")).input_value() or "2027-01-01")
    page.get_by_label(zh("Date of the inspection")).fill(timezone.localdate().isoformat())
    page.get_by_label(zh("Findings")).fill("场馆设施完善，讲解规范，消防通道畅通。")
    page.get_by_label(zh("Photos")).set_input_files(str(photo))
    page.get_by_role("button", name=zh("Record the inspection")).click()
    r.success_shown()
    r.log_out()
    r.log_in("carl")
    page.goto(f"/work/programs/{program.slug}/committee/")
    r.check("committee list")
    assert page.get_by_text("场馆设施完善，讲解规范。").first.is_visible(), "the committee reads the reviewers' comments"
    page.get_by_label(zh("Approve"), exact=True).first.check()
    page.get_by_role("button", name=zh("Record the decisions")).click()
    r.success_shown()
    r.log_out()

    # The organizer publishes the list for public notice.
    r.log_in("olivia")
    page.goto(f"/work/programs/{program.slug}/")
    page.get_by_role("button", name=re.compile(zh("Publish the recommended list for %(days)s working days")[:4])).click()
    r.success_shown()
    r.log_out()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE

    # A member of the public objects with the keyboard alone and looks the objection up by its tracking number.
    page.goto("/notices/")
    r.check("public notices")
    page.locator("details summary").first.focus()
    page.keyboard.press("Enter")  # opens the objection form
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    page.keyboard.press("ArrowDown")
    for text in ("王某某", "13912345678", "该单位宣传的参观人数与实际不符。"):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    submit_label = zh("File the objection")
    for _ in range(6):  # past the optional evidence, to the submit button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText || ''").strip() == submit_label:
            break
    assert page.evaluate("document.activeElement.innerText || ''").strip() == submit_label
    # A key press does not wait for the navigation it starts: wait for the answer before reading the page.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    r.check("objection filed")
    number = re.search(r"[A-Z0-9-]{8,}", page.locator("main").inner_text()).group(0)
    page.get_by_role("link", name=zh("Look up the outcome")).click()
    r.check("objection lookup")
    assert number in page.locator("main").inner_text()

    # The organizer extends the notice by a day with the new action; when it has run, verifies the objection.
    r.log_in("olivia")
    page.goto(f"/work/programs/{program.slug}/")
    page.get_by_role("link", name=zh("Change the notice period")).first.click()
    r.check("change the notice period")
    closes = page.get_by_label(zh("Objections accepted until"))
    current = datetime.datetime.fromisoformat(closes.input_value())
    closes.fill((current + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(zh("Reason for the change")).fill("异议核查需要补充现场走访，公示期延长一天。")
    page.get_by_role("button", name=zh("Change the closing time")).click()
    r.success_shown()
    r.log_out()
    with freeze_time(current + datetime.timedelta(days=2), tick=True, ignore=["playwright", "asyncio", "greenlet"]):
        periodic.call()  # what a worker does every PERIODIC_TASK_SECONDS: the due notice timers fire
        page.goto("/notices/")
        r.log_in("olivia")
        r.open_my_first_task("verify the objection")
        page.get_by_label(zh("Dismiss: the objection is unfounded")).check()
        page.get_by_label(zh("Reason")).fill("经核实，参观人数有登记台账为证，异议不成立。")
        page.get_by_role("button", name=zh("Record the outcome")).click()
        r.success_shown()
        certificate = Certificate.objects.get(application=application)

        # Certificates print and the published list downloads; the QR code opens the verification page.
        page.goto(f"/work/programs/{program.slug}/")
        page.get_by_role("link", name=zh("Titles, printing and export")).first.click()
        r.check("titles")
        page.get_by_role("button", name=zh("Print all certificates")).click()
        r.check("print job")
        with page.expect_download() as download:
            page.get_by_role("link", name=zh("Download the PDF")).click()
        printed = download.value.path().read_bytes()
        page.goto(f"/work/programs/{program.slug}/titles/")
        page.get_by_role("group", name=zh("Published list:")).get_by_role("button", name="Excel").click()
        r.check("export job")
        with page.expect_download() as download:
            page.get_by_role("link", name=zh("Download the Excel file")).click()
        assert download.value.suggested_filename.endswith(".xlsx")
        r.log_out()

        url = _qr_url(printed)
        address, signed_code = url.split("#")
        assert address == f"{live_server.url}/verify/{certificate.serial}/" and signed_code
        page.goto(url)
        r.check("verification page")
        # The status by the one rule: not yet in force (尚未生效) before the ceremony, valid (有效) from it on.
        status = certificate.current_status()
        assert page.locator("section.verdict").get_attribute("data-status") == status
        assert zh(status.label) in page.locator("section.verdict").inner_text()
        assert ENTERPRISE in page.locator("main").inner_text()
        # The printed code's signature, checked in the browser beside the live status.
        page.wait_for_selector('#printed-code[data-verdict="genuine"]')

        # Again on a phone: the applicant's pages and the public's.
        guard.allow_words(phone_page, *cast)
        phone = Round(phone_page, guard, live_server)
        phone.log_in("13700002718", APPLICANT_PASSWORD)
        for path in ("/", f"/applications/{application.pk}/", "/titles/", "/enterprise/"):
            phone_page.goto(path)
            phone.check(f"phone {path}")
            _fits_the_screen(phone_page)
        phone.log_out()
        for path in ("/notices/", "/honours/", f"/verify/{certificate.serial}/", "/notices/objections/"):
            phone_page.goto(path)
            phone.check(f"phone {path}")
            _fits_the_screen(phone_page)

        # The public pages at 200 % zoom: a 1280-pixel window then lays pages out 640 CSS pixels wide.
        page.set_viewport_size({"width": 640, "height": 400})
        for path in ("/notices/", "/honours/", f"/verify/{certificate.serial}/", "/notices/objections/"):
            page.goto(path)
            r.check(f"200% zoom {path}")
            _fits_the_screen(page)

    serious = {path: found for path, found in {**r.violations, **phone.violations}.items() if found}
    assert not serious, "axe-core found serious or critical violations:\n" + "\n".join(
        f"{path}: {found}" for path, found in serious.items()
    )


def _fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


def _qr_url(pdf: bytes) -> str:
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    image = document[0].render(scale=3).to_pil()
    return zxingcpp.read_barcodes(image)[0].text
