from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
GUARDS = Path(__file__).with_name("guards.js")
# Where a failing browser test leaves its screenshots (README, "Tests").
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "browser-screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is needed for the browser tests: install Debian's chromium ({CHROMIUM} not found)")
    # Playwright's sync API runs an event loop in this thread; the test's own database work is synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Guard:
    """What a person would trip over, collected from every page of a browser test and failed on at its end.

    Console errors (the in-page checks of guards.js report through the console too: form errors shown before a
    submit, English words on a Chinese page), uncaught exceptions, failed requests and any 4xx/5xx answer.
    Expected refusals are announced with `expect_status` before the step that provokes them.
    """

    def __init__(self, name: str) -> None:
        self.problems: list[str] = []
        self.expected_statuses: set[int] = set()
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", name)
        self.steps = 0
        shutil.rmtree(self.folder, ignore_errors=True)

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {message.location.get('url', '')}: {message.text}")

    def _request_failed(self, request) -> None:
        # Aborted by the browser itself: a download once saved, or a page left before it finished loading.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def expect_status(self, *statuses: int) -> None:
        self.expected_statuses = set(statuses)

    def screenshot(self, page, step: str) -> None:
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^\w-]+", "_", step)
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{safe}.png"), full_page=True)

    def allow_words(self, page, *words: str) -> None:
        """Names that are not Chinese by nature (logins of the test's staff, say) on pages served in Chinese."""
        page.add_init_script(f"window.GUARD_ALLOWED_WORDS = (window.GUARD_ALLOWED_WORDS || []).concat({json.dumps(words)});")


def _new_page(browser, live_server, guard: Guard, **context_options):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **context_options)
    context.add_init_script(path=str(GUARDS))
    page = context.new_page()
    page.set_default_timeout(15_000)
    guard.watch(page)
    return page


@pytest.fixture
def guard(request):
    guard = Guard(request.node.name)
    yield guard
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if not failed and not guard.problems:
        shutil.rmtree(guard.folder, ignore_errors=True)
    assert not guard.problems, "\n".join(dict.fromkeys(guard.problems))


@pytest.fixture
def page(browser, live_server, guard):
    page = _new_page(browser, live_server, guard)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser, live_server, guard):
    page = _new_page(browser, live_server, guard, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets the fixtures know whether the test failed, to keep its screenshots.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
