"""The offline checker's page (/check/) and the verification page carry what the browser needs to check a code alone.

What the script does with it is tested in Chromium (tests/browser/test_offline_verifier.py); here, what the server
puts in the pages: every public key of the ring, the kinds' printed names, the programmes, the translated sentences,
and validators that change when a key is added.
"""

from __future__ import annotations

import base64
import html
import json
import re

import pytest
from django.urls import reverse

from awards.models import ProgramKind
from credentials import keys
from tests.factories import ProgramFactory, granted_certificate

pytestmark = pytest.mark.django_db


def _attribute(page: str, name: str) -> str:
    found = re.search(rf'\s{name}="([^"]*)"', page)
    assert found, f"{name} is not in the page"
    return html.unescape(found.group(1))


def _data(response, name: str) -> dict:
    return json.loads(_attribute(response.content.decode(), f"data-{name}"))


def _raw(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@pytest.fixture
def ring(settings, tmp_path):
    """A ring of its own with two keys: the first retired from signing by a rotation, the second current."""
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    return old, keys.rotate()


def test_it_embeds_every_key_of_the_ring_current_and_old(client, ring):
    embedded = _data(client.get(reverse("offline_check")), "keys")

    assert embedded == {key.kid: keys.b64url(key.public_raw) for key in ring}
    assert all(_raw(embedded[key.kid]) == key.public_raw for key in ring)


def test_it_embeds_a_retired_key_of_which_only_the_public_half_is_kept(client, ring):
    old, _current = ring
    keys.retire(old.kid)

    assert old.kid in _data(client.get(reverse("offline_check")), "keys")


def test_it_names_the_kinds_of_title_as_printed(client):
    assert _data(client.get(reverse("offline_check")), "kinds") == {"1": "诚信经营示范单位", "2": "消费维权教育基地"}


def test_it_lists_the_programmes_that_granted_titles_with_their_issuing_body(client):
    program = ProgramFactory(title="2027年度诚信经营示范单位评选", issuing_body="杭州市消费者权益保护委员会")
    granted_certificate(program)

    programmes = _data(client.get(reverse("offline_check")), "programmes")

    assert programmes == {str(program.pk): ["2027年度诚信经营示范单位评选", "杭州市消费者权益保护委员会"]}


def test_it_leaves_out_a_programme_that_granted_nothing(client):
    draft = ProgramFactory(title="2030年度消费维权教育基地评选", kind=ProgramKind.EDUCATION_BASE)

    assert str(draft.pk) not in _data(client.get(reverse("offline_check")), "programmes")


def test_its_sentences_come_from_the_catalogue(client):
    page = client.get(reverse("offline_check")).content.decode()

    assert _attribute(page, "data-genuine") == "签名有效：此二维码由发证机关签发"
    assert _attribute(page, "data-unknown-programme") == "编号 {id} 的评选活动"
    assert _attribute(page, "data-online-url") == "/verify/{serial}/"
    assert "离线核验证书" in page


def test_it_is_answered_not_modified_while_the_keys_and_programmes_stay_the_same(client):
    first = client.get(reverse("offline_check"))

    again = client.get(reverse("offline_check"), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert "no-cache" in first["Cache-Control"]


def test_a_rotation_changes_its_etag(client, ring):
    before = client.get(reverse("offline_check"))["ETag"]
    keys.rotate()

    after = client.get(reverse("offline_check"), headers={"If-None-Match": before})

    assert after.status_code == 200 and after["ETag"] != before


def test_a_programme_granting_its_first_titles_changes_its_etag(client):
    before = client.get(reverse("offline_check"))["ETag"]
    granted_certificate()

    assert client.get(reverse("offline_check"))["ETag"] != before


def test_the_verification_page_carries_the_keys_and_the_script_but_not_the_programmes(client, ring):
    certificate = granted_certificate()

    response = client.get(reverse("verify", args=[certificate.serial]))

    assert _data(response, "keys") == {key.kid: keys.b64url(key.public_raw) for key in ring}
    page = response.content.decode()
    assert "data-programmes" not in page
    assert 'src="/static/credentials/verify-offline.js" defer' in page
    assert 'id="printed-code"' in page


def test_the_script_stays_small_for_the_verification_page():
    from django.contrib.staticfiles import finders

    script = finders.find("credentials/verify-offline.js")

    assert script and len(open(script, "rb").read()) < 16_000


def test_the_verification_page_is_renewed_when_the_keys_it_embeds_rotate(client, settings, tmp_path):
    from credentials import keys
    from tests.factories import granted_certificate

    settings.SIGNING_KEY_DIR = tmp_path
    keys.rotate()
    title = granted_certificate(name="杭州湖滨银泰百货有限公司")
    before = client.get(f"/verify/{title.serial}/")

    keys.rotate()
    after = client.get(f"/verify/{title.serial}/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
