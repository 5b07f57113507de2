"""My titles: the holder's signed certificate PDF and its picture for chat apps, to the holder only, in force only."""

from __future__ import annotations

import datetime
import io
import shutil
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from credentials import images, payload, pdf_signing
from tests.factories import granted_title, upload
from workflows.services import case_open

pytestmark = pytest.mark.django_db

SHORT_NAME = "杭州甲商行"
# The longest name a title may carry (the signed QR code's limit), with the widest characters.
LONGEST_NAME = (
    "杭州市西湖区文三路数字经济产业园区消费者权益保护与诚信经营示范服务中心暨连锁餐饮管理有限公司第一分公司"
)[:50]
DOWNLOADS = ("certificate_pdf", "certificate_png")


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def title(alice):
    return granted_title(alice.enterprise, valid_until=_in(400))


@pytest.fixture
def signer(settings, signing_key_dir, tmp_path):
    """A self-signed issuing body's certificate for the site, beside the run's Ed25519 key ring."""
    ring = tmp_path / "keys"
    shutil.copytree(signing_key_dir, ring)
    settings.SIGNING_KEY_DIR = ring
    key, cert = pdf_signing.self_signed("杭州市消费者权益保护委员会", years=5)
    pdf_signing.write_signer(pdf_signing.SITE, key, cert)
    return cert


def _seal() -> bytes:
    """A scanned red seal: a ring, strokes and scanner noise (far busier than a flat colour, as real scans are)."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (800, 800), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 780, 780), outline=(200, 20, 40), width=28)
    rnd = random.Random(315)
    for _ in range(300):
        x, y = rnd.randint(150, 650), rnd.randint(150, 650)
        draw.line((x, y, x + rnd.randint(-60, 60), y + rnd.randint(-60, 60)), fill=(200, 20, 40), width=10)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((800, 800), 12).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _log_in(client, user):
    client.force_login(user)
    return client


# --- who gets the files -------------------------------------------------------------------------------------------


def test_it_gives_the_holder_its_certificate_signed_by_the_issuing_body(client, alice, title, signer):
    response = _log_in(client, alice).get(reverse("certificate_pdf", args=[title.serial]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{title.serial}.pdf"'
    assert "no-store" in response["Cache-Control"]
    check = pdf_signing.validate_pdf(b"".join(response.streaming_content), trust_roots=[signer])
    assert check.ok, [signature.details for signature in check.signatures]


def test_it_gives_the_holder_its_certificate_as_a_picture_shown_in_the_browser(client, alice, title):
    response = _log_in(client, alice).get(reverse("certificate_png", args=[title.serial]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="{title.serial}.png"'
    # The browser's image viewer may style its page; nothing else may load or run there.
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("name", DOWNLOADS)
def test_another_enterprise_is_told_the_title_does_not_exist(client, bob, title, name):
    assert _log_in(client, bob).get(reverse(name, args=[title.serial])).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_an_organizer_is_told_the_title_does_not_exist_here_either(client, olivia, title, name):
    assert _log_in(client, olivia).get(reverse(name, args=[title.serial])).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_visitor_is_sent_to_log_in(client, title, name):
    url = reverse(name, args=[title.serial])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", DOWNLOADS)
def test_an_unknown_serial_does_not_exist(client, alice, title, name):
    assert _log_in(client, alice).get(reverse(name, args=["CX-2027-99999"])).status_code == 404


# --- only a title in force circulates as a fresh certificate --------------------------------------------------------


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_suspended_title_is_refused_with_the_reason(client, alice, olivia, title, name):
    case_open(certificate=title, user=olivia, grounds="经查存在虚假宣传。")

    response = _log_in(client, alice).get(reverse(name, args=[title.serial]), follow=True)

    assert response.redirect_chain == [(reverse("my_titles"), 302)]
    assert "此称号因案件审查已暂停" in response.content.decode()


@pytest.mark.parametrize(
    ("recorded", "valid_until", "refused"),
    [
        (CertificateStatus.VALID, 400, ""),
        (CertificateStatus.SUSPENDED, 400, "此称号因案件审查已暂停，恢复前不能下载证书。"),
        (CertificateStatus.REVOKED, 400, "此称号已被撤销，不能再下载证书。"),
        (CertificateStatus.VALID, -1, "此称号的有效期已于{end}届满，不能再下载证书。"),
    ],
)
def test_the_refusal_says_why(alice, title, recorded, valid_until, refused):
    Certificate.objects.filter(pk=title.pk).update(status=recorded, valid_until=_in(valid_until))
    title.refresh_from_db()
    end = f"{title.valid_until.year}年{title.valid_until.month}月{title.valid_until.day}日"
    assert images.share_refusal(title, title.current_status()) == refused.format(end=end)


def test_a_title_not_yet_in_force_may_be_shared(alice, title):
    Certificate.objects.filter(pk=title.pk).update(valid_from=_in(10))
    title.refresh_from_db()
    assert title.current_status() == CertificateStatus.PENDING
    assert images.share_refusal(title, title.current_status()) == ""


def test_a_holder_downloading_in_a_loop_is_slowed_down(client, alice, title, monkeypatch):
    monkeypatch.setattr(images, "certificate_png", lambda certificate: b"\x89PNG")
    client = _log_in(client, alice)
    url = reverse("certificate_png", args=[title.serial])
    statuses = [client.get(url).status_code for _ in range(21)]
    assert statuses == [200] * 20 + [302]


# --- the picture --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SHORT_NAME, LONGEST_NAME], ids=["short name", "longest name"])
def test_the_picture_is_under_200_kb_and_its_qr_code_gives_the_signed_verification_address(
    alice, name, settings, record_property
):
    import zxingcpp
    from PIL import Image

    settings.SITE_URL = "https://315.example.cn"
    assert len(name) in (5, 50)
    enterprise = alice.enterprise
    enterprise.name = name
    enterprise.save()
    certificate = granted_title(enterprise, valid_until=_in(400))
    program = certificate.program
    program.seal_image = upload("seal.png", _seal(), "image/png")
    program.save()

    started = time.perf_counter()
    png = images.certificate_png(certificate)
    record_property("seconds", round(time.perf_counter() - started, 2))
    record_property("bytes", len(png))

    assert len(png) < 200_000
    picture = Image.open(io.BytesIO(png))
    assert picture.width == 1600
    assert [code.text for code in zxingcpp.read_barcodes(picture)] == [payload.qr_url(certificate)]
    assert payload.verify(payload.qr_url(certificate)).genuine


def test_the_picture_is_the_page_itself_with_no_blur_or_speckle(alice, title):
    """Against the page rendered at full colour, the reduced picture moves a pixel's shade a little at most: the
    edges of the name's strokes and of the QR code's modules stay where they were, neither blurred nor dithered."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageStat

    png = Image.open(io.BytesIO(images.certificate_png(title))).convert("RGB")
    page = pdfium.PdfDocument(images.certificate_page_pdf(title))[0]
    exact = page.render(scale=1600 / page.get_width()).to_pil().convert("RGB")
    difference = ImageChops.difference(png, exact).convert("L")
    assert difference.getextrema()[1] <= 48
    assert ImageStat.Stat(difference).mean[0] < 1.0


def test_the_qr_code_still_decodes_after_wechat_shrinks_and_recompresses_the_picture(alice):
    """WeChat sends a picture (not as "original") at about 1280 px as a JPEG; the code must survive that too."""
    import zxingcpp
    from PIL import Image

    enterprise = alice.enterprise
    enterprise.name = LONGEST_NAME
    enterprise.save()
    certificate = granted_title(enterprise, valid_until=_in(400))
    picture = Image.open(io.BytesIO(images.certificate_png(certificate))).convert("RGB")
    picture.thumbnail((1280, 1280))
    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG", quality=70)

    received = Image.open(io.BytesIO(jpeg.getvalue()))
    assert [code.text for code in zxingcpp.read_barcodes(received)] == [payload.qr_url(certificate)]


def test_a_picture_over_the_budget_takes_fewer_colours_and_never_goes_over(alice, title):
    from PIL import Image

    pdf = images.certificate_page_pdf(title)
    richest = images.pdf_page_png(pdf)
    assert len(Image.open(io.BytesIO(richest)).getpalette()) // 3 > 64

    tighter = images.pdf_page_png(pdf, max_bytes=len(richest) - 1)
    assert len(tighter) < len(richest)
    assert len(Image.open(io.BytesIO(tighter)).getpalette()) // 3 <= 64
    with pytest.raises(ValueError, match="over 1000"):
        images.pdf_page_png(pdf, max_bytes=1000)
