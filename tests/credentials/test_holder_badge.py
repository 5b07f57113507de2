"""The embeddable badge: the title, the holder's name as granted and the status of today, never a stale "valid"."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certificates import public_views
from certificates.models import Certificate, CertificateStatus
from certificates.services import case_decide, case_respond
from credentials import images
from tests.factories import granted_title
from workflows.services import case_open

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
GREEN, AMBER, RED, GREY, BLUE = "#1a7f37", "#9a6700", "#c8102e", "#57606a", "#0550ae"


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def title(alice):
    return granted_title(alice.enterprise, valid_until=_in(400))


def _badge(client, serial: str, **headers):
    return client.get(reverse("credential_badge", args=[serial]), **headers)


def _read(response) -> tuple[str, str]:
    """The badge's words and the colour of its status part."""
    svg = ET.fromstring(response.content)
    words = " ".join(text.text or "" for text in svg.iter(f"{SVG}text"))
    status_part = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") != "#24292f"]
    return words, status_part[0].get("fill")


def test_it_shows_the_title_the_name_as_granted_and_that_it_is_valid(client, title):
    response = _badge(client, title.serial)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    words, colour = _read(response)
    assert title.title in words
    assert "杭州甲商贸有限公司" in words
    assert "✓ 有效" in words and title.serial in words
    assert colour == GREEN


def test_it_turns_amber_when_the_title_is_suspended_and_green_when_restored(client, olivia, title):
    assert _read(_badge(client, title.serial))[1] == GREEN  # and now in the cache

    case = case_open(certificate=title, user=olivia, grounds="经查存在虚假宣传。")
    words, colour = _read(_badge(client, title.serial))
    assert "‖ 已暂停" in words and colour == AMBER

    case_respond(case=case, response="已整改，附整改报告。")
    case_decide(case=case, user=olivia, revoke=False, reason="经复核，情节轻微，已整改。")
    words, colour = _read(_badge(client, title.serial))
    assert "✓ 有效" in words and colour == GREEN


def test_it_turns_red_when_the_title_is_revoked(client, olivia, title):
    case = case_open(certificate=title, user=olivia, grounds="经查存在价格欺诈。")
    case_respond(case=case, response="无异议。")
    case_decide(case=case, user=olivia, revoke=True, reason="价格欺诈属实。")

    words, colour = _read(_badge(client, title.serial))
    assert "✕ 已撤销" in words and colour == RED


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "shown", "expected"),
    [(-800, -1, "○ 已过期", GREY), (10, 400, "→ 尚未生效", BLUE)],
    ids=["expired", "not yet in force"],
)
def test_it_shows_an_expired_or_not_yet_valid_title_as_such(client, title, valid_from, valid_until, shown, expected):
    Certificate.objects.filter(pk=title.pk).update(valid_from=_in(valid_from), valid_until=_in(valid_until))
    words, colour = _read(_badge(client, title.serial))
    assert shown in words and colour == expected


def test_a_serial_never_issued_gets_a_grey_badge_saying_so(client, title):
    response = _badge(client, "fs-2025-99999")
    assert response.status_code == 404
    words, colour = _read(response)
    assert "未找到该证书编号" in words and "FS-2025-99999" in words and colour == GREY


def test_browsers_ask_again_at_every_view_and_get_a_304_while_nothing_changed(client, olivia, title):
    first = _badge(client, title.serial)
    assert "no-cache" in first["Cache-Control"]
    assert first["Cross-Origin-Resource-Policy"] == "cross-origin"

    assert _badge(client, title.serial, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    case_open(certificate=title, user=olivia, grounds="经查存在虚假宣传。")
    assert _badge(client, title.serial, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_one_address_asking_for_too_many_badges_and_verifications_is_slowed_down(client, title, monkeypatch):
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 2)
    assert _badge(client, title.serial).status_code == 200
    assert client.get(reverse("verify", args=[title.serial])).status_code == 200

    refused = _badge(client, title.serial)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.content.decode() == "您所在网络的查询过于频繁，请一分钟后再试。"
    assert _badge(client, title.serial, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_name_is_text_in_the_svg_never_markup(title):
    badge = images._badge(
        title="2027年度诚信经营示范单位",
        name='杭州<script>alert(1)</script>&"商行"',
        status_label="有效",
        mark="✓",
        colour=GREEN,
        serial="CX-2027-00001",
    )
    svg = ET.fromstring(images.badge_svg(badge))
    assert not list(svg.iter(f"{SVG}script"))
    assert '杭州<script>alert(1)</script>&"商行"' in "".join(text.text or "" for text in svg.iter(f"{SVG}text"))


def test_the_longest_name_wraps_and_the_badge_keeps_its_size_whatever_the_status(title):
    name = ("杭州市西湖区文三路数字经济产业园区消费者权益保护与诚信经营示范服务中心暨连锁餐饮管理有限公司第一分公司")[
        :50
    ]
    Certificate.objects.filter(pk=title.pk).update(enterprise_name=name)
    title.refresh_from_db()
    badges = [images.title_badge(title, status) for status in CertificateStatus]

    assert "".join(badges[0].name_lines) == name
    assert len(badges[0].name_lines) == 3
    assert {(badge.width, badge.height) for badge in badges} == {(badges[0].width, badges[0].height)}
    assert badges[0].width <= 400


def test_the_snippet_links_the_badge_to_the_verification_page(title, settings):
    settings.SITE_URL = "https://315.example.cn"
    snippet = images.badge_snippet(title, title.current_status())
    badge = images.title_badge(title, title.current_status())

    link = re.fullmatch(
        r'<a href="([^"]+)"><img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"></a>', snippet
    )
    assert link is not None, snippet
    href, src, alt, width, height = link.groups()
    assert href == f"https://315.example.cn/verify/{title.serial}/"
    assert src == f"https://315.example.cn/credentials/{title.serial}/badge.svg"
    assert alt == f"杭州甲商贸有限公司：{title.title}。点击到核验页面查验。"
    assert (int(width), int(height)) == (badge.width, badge.height)


def test_my_titles_shows_the_downloads_and_the_snippet_of_a_title_in_force(client, alice, title):
    client.force_login(alice)
    page = client.get(reverse("my_titles")).content.decode()

    assert f'href="{reverse("certificate_pdf", args=[title.serial])}"' in page
    assert f'href="{reverse("certificate_png", args=[title.serial])}"' in page
    assert f'href="{reverse("open_badge", args=[title.serial])}"' in page
    assert f'src="{reverse("credential_badge", args=[title.serial])}"' in page
    snippet = images.badge_snippet(title, title.current_status())
    assert f">{escape(snippet)}</textarea>" in page  # shown as text, to be copied as it is
    assert "复制代码" in page


def test_my_titles_says_why_a_suspended_title_offers_nothing_to_share(client, alice, olivia, title):
    case_open(certificate=title, user=olivia, grounds="经查存在虚假宣传。")
    client.force_login(alice)
    page = client.get(reverse("my_titles")).content.decode()

    assert "此称号因案件审查已暂停，恢复前不能下载证书。" in page
    assert reverse("certificate_pdf", args=[title.serial]) not in page
    assert "复制代码" not in page
