"""The issuer's public keys at a stable address, every key of the ring, so that old printed codes keep verifying."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credentials import keys


def _get(client):
    response = client.get("/credentials/keys.json")
    assert response.status_code == 200
    return response


def test_the_keys_document_lists_every_key_with_the_current_one_marked(client, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old, new = keys.rotate(), keys.rotate()

    published = {k["kid"]: k for k in _get(client).json()["keys"]}

    assert set(published) == {old.kid, new.kid}
    assert published[new.kid]["current"] and not published[old.kid]["current"]
    assert published[old.kid]["crv"] == "Ed25519"


def test_a_published_key_verifies_what_the_ring_signed(client):
    key = keys.current_key()
    published = {k["kid"]: k for k in _get(client).json()["keys"]}[key.kid]
    raw = base64.urlsafe_b64decode(published["x"] + "==")

    Ed25519PublicKey.from_public_bytes(raw).verify(key.sign(b"message"), b"message")


def test_the_keys_document_never_carries_a_private_key(client):
    body = _get(client).content.decode()
    assert "PRIVATE" not in body and '"d"' not in body


def test_the_keys_document_is_cacheable_and_open_to_other_sites(client):
    response = _get(client)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get("/credentials/keys.json", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_start_up_check_warns_without_a_key_and_about_a_long_site_url(settings, tmp_path):
    from credentials.checks import signing_key_configured, site_url_fits_the_qr_code

    settings.SIGNING_KEY_DIR = tmp_path
    assert [w.id for w in signing_key_configured(None)] == ["credentials.W001"]
    keys.rotate()
    assert signing_key_configured(None) == []
    settings.SITE_URL = "https://" + "a" * 40 + ".example.cn"
    assert [w.id for w in site_url_fits_the_qr_code(None)] == ["credentials.W002"]
    settings.SITE_URL = "https://315.example.cn"
    assert site_url_fits_the_qr_code(None) == []
