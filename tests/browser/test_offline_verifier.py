"""The signed QR code checked by Chromium alone: /check/ with every request blocked once it is loaded, and the line
the verification page adds when the scanned address carries the code after "#"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.models import ProgramKind
from credentials import keys, payload
from tests.factories import ProgramFactory, granted_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

NAME = "杭州湖滨银泰百货有限公司"


@pytest.fixture
def certificate():
    program = ProgramFactory(
        year=2027,
        kind=ProgramKind.HONEST_BUSINESS,
        title="2027年度诚信经营示范单位评选",
        issuing_body="杭州市消费者权益保护委员会",
    )
    return granted_certificate(program, name=NAME)


class Offline:
    """The checker, loaded, then cut off from the network: every later request is refused and counted."""

    def __init__(self, page) -> None:
        self.page = page
        self.requests: list[str] = []

    def load(self) -> Offline:
        self.page.goto("/check/")
        self.page.wait_for_load_state("networkidle")
        self.page.route("**/*", self._refuse)
        return self

    def _refuse(self, route) -> None:
        self.requests.append(route.request.url)
        route.abort()

    def check(self, scanned: str):
        """The verdict shown for a pasted text: its section (data-verdict, data-reason) and the whole result."""
        self.page.evaluate("document.getElementById('offline-result').replaceChildren()")
        self.page.get_by_label("扫描所得文字").fill(scanned)
        self.page.get_by_role("button", name="核验").click()
        return self.page.locator("#offline-result .verdict")


def _verdict(section) -> tuple[str, str]:
    section.wait_for()
    return section.get_attribute("data-verdict"), section.get_attribute("data-reason")


def _changed(text: str, position: int) -> str:
    """The text with the character at `position` replaced by its neighbour in the alphabet (low digit: ±1 byte)."""
    alphabet = payload.ALPHABET
    index = alphabet.index(text[position])
    return text[:position] + alphabet[index + 1 if index < len(alphabet) - 1 else index - 1] + text[position + 1 :]


def _in_the_code(certificate, text: str) -> int:
    """A position in the text whose character carries, alone, one byte of the signed USCC (a pair's low byte)."""
    data = payload.b43decode(text)
    start = data.index(certificate.enterprise_uscc.encode())
    odd = next(i for i in range(start, start + len(certificate.enterprise_uscc)) if i % 2 == 1)
    return odd // 2 * 3


def test_it_says_genuine_for_a_real_certificate_with_the_network_blocked(page, guard, certificate):
    offline = Offline(page).load()

    verdict = offline.check(payload.qr_url(certificate))
    guard.screenshot(page, "genuine")

    assert _verdict(verdict) == ("genuine", "")
    assert "签名有效：此二维码由发证机关签发" in verdict.inner_text()
    facts = page.locator("#offline-result dl.facts").inner_text()
    for shown in (certificate.serial, certificate.enterprise_uscc, NAME, "2027年度诚信经营示范单位"):
        assert shown in facts
    assert "2027年度诚信经营示范单位评选" in facts and "杭州市消费者权益保护委员会" in facts
    valid_until = certificate.valid_until
    assert f"{valid_until.year}年{valid_until.month}月{valid_until.day}日" in facts
    assert keys.current_key().kid in facts
    live = page.locator("#offline-result .live")
    assert "只能在线查验" in live.inner_text()
    assert live.get_by_role("link").get_attribute("href") == f"/verify/{certificate.serial}/"
    assert offline.requests == []


def test_it_asks_for_the_whole_text_when_only_the_part_after_the_hash_is_pasted(page, certificate):
    offline = Offline(page).load()

    verdict = offline.check(payload.encode(certificate))

    assert _verdict(verdict) == ("incomplete", "address")
    assert "请粘贴扫码所得的全部文字" in verdict.inner_text()


def test_it_says_forged_when_one_character_of_the_signed_part_is_changed(page, guard, certificate):
    offline = Offline(page).load()
    url = payload.qr_url(certificate)
    base, text = url.split("#")

    verdict = offline.check(base + "#" + _changed(text, _in_the_code(certificate, text)))
    guard.screenshot(page, "signature does not match")

    assert _verdict(verdict) == ("forged", "signature")
    assert "签名与内容不符" in verdict.inner_text()
    assert page.locator("#offline-result dl.facts").count() == 0
    assert offline.requests == []


def test_it_says_forged_when_the_serial_in_the_address_is_changed(page, certificate):
    offline = Offline(page).load()
    other = certificate.serial[:-1] + ("2" if certificate.serial[-1] != "2" else "3")

    verdict = offline.check(payload.qr_url(certificate).replace(certificate.serial, other))

    assert _verdict(verdict) == ("forged", "signature")
    assert offline.requests == []


@pytest.mark.parametrize("where", ["first", "name", "signature", "last"])
def test_it_never_says_genuine_for_a_code_changed_anywhere(page, certificate, where):
    offline = Offline(page).load()
    base, text = payload.qr_url(certificate).split("#")
    position = {
        "first": 0,
        "name": payload.b43decode(text).index(NAME.encode("gb18030")) // 2 * 3 + 3,
        "signature": len(text) - 30,
        "last": len(text) - 1,
    }[where]

    verdict, reason = _verdict(offline.check(base + "#" + _changed(text, position)))

    assert verdict == "forged" and reason in {"signature", "damaged", "format"}


def test_it_says_forged_for_a_code_signed_by_a_key_not_in_the_ring(page, guard, certificate):
    offline = Offline(page).load()
    stranger = Ed25519PrivateKey.generate()
    foreign = keys.SigningKey(keys.kid_of(stranger.public_key()), stranger.public_key(), stranger)

    verdict = offline.check(payload.qr_url(certificate, key=foreign))
    guard.screenshot(page, "unknown key")

    assert _verdict(verdict) == ("forged", "unknown-key")
    assert foreign.kid in verdict.inner_text()
    assert offline.requests == []


def test_it_says_not_our_format_for_another_qr_code(page, certificate):
    offline = Offline(page).load()

    assert _verdict(offline.check("https://example.com/some/page")) == ("forged", "format")


def test_a_code_signed_by_an_old_key_is_still_genuine_after_a_rotation(page, guard, certificate, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    printed_before = payload.qr_url(certificate)
    keys.rotate()
    offline = Offline(page).load()  # the keys are embedded when the page loads: after the rotation

    verdict = offline.check(printed_before)
    guard.screenshot(page, "old key")

    assert _verdict(verdict) == ("genuine", "")
    assert old.kid in page.locator("#offline-result dl.facts").inner_text()
    assert _verdict(offline.check(payload.qr_url(certificate))) == ("genuine", "")
    assert offline.requests == []


def _scanned(url: str) -> str:
    """The scanned address on the test server: the path and the fragment of the QR code's URL."""
    parts = urlsplit(url)
    return f"{parts.path}#{parts.fragment}"


def test_the_verification_page_confirms_a_genuine_printed_code(phone_page, guard, certificate):
    phone_page.goto(_scanned(payload.qr_url(certificate)))

    line = phone_page.locator("#printed-code")
    line.wait_for()
    guard.screenshot(phone_page, "printed code genuine")
    assert line.get_attribute("data-verdict") == "genuine"
    assert f"由发证机关为“{NAME}”签发，与此证书编号相符" in line.inner_text()
    # Beside the live status the register gives, right after it.
    assert phone_page.locator("section.verdict[data-status] + #printed-code").count() == 1


def test_the_verification_page_says_a_code_of_another_title_does_not_match(phone_page, guard, certificate):
    other = granted_certificate(certificate.program, name="杭州另一家商贸有限公司")

    phone_page.goto(f"/verify/{certificate.serial}/#{payload.encode(other)}")

    line = phone_page.locator("#printed-code")
    line.wait_for()
    guard.screenshot(phone_page, "printed code of another title")
    assert line.get_attribute("data-verdict") == "forged"
    assert "打开本页的二维码签名无效，或并非为此证书编号签发：签名与内容不符" in line.inner_text()


def test_the_verification_page_says_an_altered_code_is_not_genuine(phone_page, certificate):
    text = payload.encode(certificate)

    phone_page.goto(f"/verify/{certificate.serial}/#{_changed(text, _in_the_code(certificate, text))}")

    line = phone_page.locator("#printed-code")
    line.wait_for()
    assert line.get_attribute("data-verdict") == "forged"
    assert "签名与内容不符" in line.inner_text()


def test_the_verification_page_adds_nothing_without_a_code(phone_page, certificate):
    phone_page.goto(f"/verify/{certificate.serial}/")
    phone_page.wait_for_load_state("networkidle")

    assert phone_page.locator("#printed-code").is_hidden()


def _without_embedded_keys(route) -> None:
    """The verification page as a browser may have kept it from before a rotation: knowing none of today's keys."""
    response = route.fetch()
    body = re.sub(r'data-keys="[^"]*"', 'data-keys="{}"', response.text())
    route.fulfill(response=response, body=body)


def test_a_verification_page_kept_from_before_a_rotation_asks_the_published_keys(phone_page, certificate):
    phone_page.route(f"**/verify/{certificate.serial}/", _without_embedded_keys)

    phone_page.goto(_scanned(payload.qr_url(certificate)))

    line = phone_page.locator("#printed-code")
    line.wait_for()
    assert line.get_attribute("data-verdict") == "genuine"


def test_the_verification_page_says_forged_for_a_key_not_even_in_the_published_ring(phone_page, certificate):
    stranger = Ed25519PrivateKey.generate()
    foreign = keys.SigningKey(keys.kid_of(stranger.public_key()), stranger.public_key(), stranger)

    phone_page.goto(_scanned(payload.qr_url(certificate, key=foreign)))

    line = phone_page.locator("#printed-code")
    line.wait_for()
    assert line.get_attribute("data-verdict") == "forged"
    assert foreign.kid in line.inner_text()


def test_a_browser_without_webcrypto_is_told_so_instead_of_a_verdict(page, guard, certificate):
    # As on a page opened over plain http from another host: no crypto.subtle outside a secure context.
    page.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined});")
    offline = Offline(page).load()

    assert page.locator("[data-unsupported-notice]").is_visible()
    verdict = offline.check(payload.qr_url(certificate))
    guard.screenshot(page, "no webcrypto")

    assert _verdict(verdict) == ("unsupported", "unsupported")
    assert "此浏览器无法核验签名" in verdict.inner_text()
    assert page.locator("#offline-result .live a").get_attribute("href") == f"/verify/{certificate.serial}/"


def test_a_browser_without_ed25519_is_told_so_instead_of_a_verdict(page, certificate):
    page.add_init_script(
        "SubtleCrypto.prototype.importKey = () => Promise.reject(new DOMException('no', 'NotSupportedError'));"
    )
    offline = Offline(page).load()

    assert page.locator("[data-unsupported-notice]").is_visible()
    assert _verdict(offline.check(payload.qr_url(certificate))) == ("unsupported", "unsupported")
