"""Each title as an Open Badges 3.0 credential, checked the way a third party checks it: fetch the credential,
resolve its verificationMethod in the issuer's profile served by the app, re-canonicalize, verify the Ed25519
signature with `cryptography` — with code written here, independent of the app's JCS and base58."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_grant
from credentials import keys
from credentials.jcs import CanonicalizationError, canonicalize
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, granted_certificate

pytestmark = pytest.mark.django_db

SITE = "https://315.example.cn"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def program(db):
    return ProgramFactory(
        title="2027年度诚信经营示范单位评选", slug="honest-2027", issuing_body="杭州市消费者权益保护委员会"
    )


@pytest.fixture
def certificate(program) -> Certificate:
    enterprise = EnterpriseFactory(name="杭州甲商贸有限公司")
    return certificate_grant(application=ApplicationFactory(program=program, enterprise=enterprise, approved=True))


# An independent verifier of eddsa-jcs-2022 for documents whose member names are ASCII: then JCS is exactly
# Python's json.dumps with sorted keys, no spaces and no \u escapes of non-ASCII (RFC 8785 §3.2.2.2 escapes only
# the quote, the backslash and the C0 controls, as json.dumps does).


def _canonical(value) -> bytes:
    def names(node):
        if isinstance(node, dict):
            for name, item in node.items():
                assert name.isascii(), name
                names(item)
        elif isinstance(node, list):
            for item in node:
                names(item)

    names(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _base58(text: str) -> bytes:
    number = 0
    for letter in text:
        number = number * 58 + B58.index(letter)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def fetch(client: Client, url: str) -> dict:
    """GET one of the app's absolute URLs, as a verifier on the internet would."""
    assert url.startswith(SITE + "/"), url
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def verify(client: Client, secured: dict, *, issuer: str | None = None) -> bool:
    """Data Integrity, eddsa-jcs-2022: True when the proof verifies with the key the issuer's profile lists."""
    document = copy.deepcopy(secured)
    proof = document.pop("proof")
    signature = _base58(proof.pop("proofValue").removeprefix("z"))
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    # The proof configuration carries the document's @context (the verifier sets it from the document).
    config = {**proof, "@context": document["@context"]}
    controller, _, _ = proof["verificationMethod"].partition("#")
    expected_issuer = issuer or (
        document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
    )
    if controller != expected_issuer:
        return False
    profile = fetch(client, controller)
    assert profile["id"] == controller
    if proof["verificationMethod"] not in profile["assertionMethod"]:
        return False
    (method,) = [m for m in profile["verificationMethod"] if m["id"] == proof["verificationMethod"]]
    assert method["type"] == "Multikey" and method["controller"] == controller
    multikey = _base58(method["publicKeyMultibase"].removeprefix("z"))
    assert multikey[:2] == b"\xed\x01" and len(multikey) == 34
    hash_data = hashlib.sha256(_canonical(config)).digest() + hashlib.sha256(_canonical(document)).digest()
    try:
        Ed25519PublicKey.from_public_bytes(multikey[2:]).verify(signature, hash_data)
    except InvalidSignature:
        return False
    return True


def badge(client: Client, certificate: Certificate) -> dict:
    return fetch(client, SITE + reverse("open_badge", kwargs={"serial": certificate.serial}))


def _leaves(node, path=()):
    if isinstance(node, dict):
        for name, item in node.items():
            yield from _leaves(item, (*path, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _changed(document: dict, path: tuple) -> dict:
    changed = copy.deepcopy(document)
    node = changed
    for step in path[:-1]:
        node = node[step]
    value = node[path[-1]]
    node[path[-1]] = (not value) if isinstance(value, bool) else (value + 1 if isinstance(value, int) else value + "x")
    return changed


# The credential.


def test_the_credential_of_a_title_verifies_with_the_key_its_issuer_profile_lists(client, certificate):
    assert verify(client, badge(client, certificate))


def test_it_is_an_open_badge_3_credential_of_the_title_as_granted(client, certificate, program):
    credential = badge(client, certificate)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"{SITE}/credentials/{certificate.serial}.json"
    assert credential["issuer"] == {
        "id": f"{SITE}/credentials/issuers/honest-2027.json",
        "type": ["Profile"],
        "name": "杭州市消费者权益保护委员会",
    }
    assert credential["name"] == "2027年度诚信经营示范单位"
    assert credential["validFrom"] == "2027-03-15T00:00:00+08:00"
    assert credential["validUntil"] == "2030-03-14T23:59:59+08:00"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "identifier",
            "hashed": False,
            "identityHash": certificate.enterprise_uscc,
        },
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "杭州甲商贸有限公司"},
    ]
    achievement = subject["achievement"]
    assert achievement["id"] == f"{SITE}/credentials/issuers/honest-2027.json#achievement"
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Award"
    assert achievement["name"] == "2027年度诚信经营示范单位"
    assert "杭州市消费者权益保护委员会" in achievement["description"]
    assert "明码标价与计量" in achievement["criteria"]["narrative"]  # an aspect of the programme's rubric


def test_it_points_at_its_bit_in_the_revocation_and_the_suspension_list(client, certificate):
    entries = badge(client, certificate)["credentialStatus"]
    assert [(e["type"], e["statusPurpose"], e["statusListIndex"], e["statusListCredential"]) for e in entries] == [
        ("BitstringStatusListEntry", "revocation", str(certificate.pk), f"{SITE}/credentials/status/revocation.json"),
        ("BitstringStatusListEntry", "suspension", str(certificate.pk), f"{SITE}/credentials/status/suspension.json"),
    ]


def test_the_proof_is_a_data_integrity_proof_by_the_current_key_of_the_ring(client, certificate):
    proof = badge(client, certificate)["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == f"{SITE}/credentials/issuers/honest-2027.json#{keys.current_key().kid}"
    assert proof["created"].endswith("Z")
    assert proof["proofValue"].startswith("z")
    assert len(_base58(proof["proofValue"][1:])) == 64


def test_changing_any_field_of_the_credential_breaks_its_proof(client, certificate):
    credential = badge(client, certificate)
    unsigned = {name: value for name, value in credential.items() if name != "proof"}
    fields = list(_leaves(unsigned))
    assert len(fields) > 30
    for path in fields:
        assert not verify(client, _changed(credential, path)), path


def test_adding_a_field_or_changing_the_proof_date_breaks_the_proof(client, certificate):
    credential = badge(client, certificate)
    assert not verify(client, {**credential, "awardedDate": "2027-03-15T00:00:00+08:00"})
    assert not verify(client, {**credential, "proof": {**credential["proof"], "created": "2020-01-01T00:00:00Z"}})


def test_a_credential_signed_by_another_key_does_not_verify(client, certificate, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    keys.rotate()
    forged = badge(client, certificate)
    settings.SIGNING_KEY_DIR = tmp_path / "elsewhere"
    keys.rotate()  # the site's ring no longer holds the key that signed
    assert not verify(client, forged)


def test_a_credential_signed_before_a_key_rotation_still_verifies_after_it(client, certificate, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    before = badge(client, certificate)
    new = keys.rotate()
    after = badge(client, certificate)
    assert before["proof"]["verificationMethod"].endswith("#" + old.kid)
    assert after["proof"]["verificationMethod"].endswith("#" + new.kid)
    profile = fetch(client, before["issuer"]["id"])
    assert sorted(m["id"].rsplit("#", 1)[1] for m in profile["verificationMethod"]) == sorted([old.kid, new.kid])
    assert verify(client, before)
    assert verify(client, after)


def test_a_retired_key_whose_private_half_is_gone_still_verifies(client, certificate, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    before = badge(client, certificate)
    keys.rotate()
    keys.retire(old.kid)
    assert verify(client, before)


# The issuer's profile.


def test_the_issuer_profile_lists_every_key_as_a_multikey(client, program):
    profile = fetch(client, f"{SITE}/credentials/issuers/honest-2027.json")
    url = f"{SITE}/credentials/issuers/honest-2027.json"
    assert profile["id"] == url
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "杭州市消费者权益保护委员会"
    key = keys.current_key()
    assert profile["verificationMethod"] == [
        {
            "id": f"{url}#{key.kid}",
            "type": "Multikey",
            "controller": url,
            "publicKeyMultibase": "z" + _base58_encode(b"\xed\x01" + key.public_raw),
        }
    ]
    assert profile["assertionMethod"] == [f"{url}#{key.kid}"]
    assert profile["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def _base58_encode(data: bytes) -> str:
    number, letters = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        letters = B58[digit] + letters
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + letters


# How the documents are served.


def test_a_credential_is_served_as_application_vc_to_any_origin(client, certificate):
    response = client.get(reverse("open_badge", kwargs={"serial": certificate.serial}))
    assert response["Content-Type"] == "application/vc"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"]
    assert response.content.decode().count("杭州甲商贸有限公司") == 2  # readable UTF-8, not \u escapes


def test_an_issuer_profile_is_served_as_json_ld(client, program):
    response = client.get(reverse("credential_issuer", kwargs={"slug": program.slug}))
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_serial_typed_by_hand_finds_its_credential(client, certificate):
    response = client.get(f"/credentials/{certificate.serial.lower()}.json")
    assert json.loads(response.content)["id"].endswith(f"/credentials/{certificate.serial}.json")


def test_an_unknown_serial_is_a_404_in_json(client, db):
    response = client.get(reverse("open_badge", kwargs={"serial": "CX-2027-99999"}))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == {"serial": "CX-2027-99999", "detail": "该证书编号不存在，从未颁发。"}


def test_an_unknown_programme_has_no_issuer_profile(client, db):
    response = client.get(reverse("credential_issuer", kwargs={"slug": "no-such-programme"}))
    assert response.status_code == 404
    assert json.loads(response.content)["detail"] == "没有简称为此的评选活动。"


def test_an_unchanged_credential_is_answered_304(client, certificate):
    url = reverse("open_badge", kwargs={"serial": certificate.serial})
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_credentials_share_the_rate_limit_of_the_verification_page(client, certificate, monkeypatch):
    from certificates import public_views

    monkeypatch.setattr("credentials.public_views.VERIFICATIONS_PER_MINUTE", 3)
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 3)
    url = reverse("open_badge", kwargs={"serial": certificate.serial})
    assert client.get(reverse("verify", kwargs={"serial": certificate.serial})).status_code == 200
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    response = client.get(url)
    assert response["Retry-After"] == "60"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "请一分钟后再试" in json.loads(response.content)["detail"]


def test_the_demo_style_document_reads_back_as_json_and_its_canonical_form_is_stable(client, certificate):
    credential = badge(client, certificate)
    assert canonicalize(credential) == canonicalize(json.loads(json.dumps(credential, indent=3)))


def test_a_lone_surrogate_cannot_be_signed(db):
    with pytest.raises(CanonicalizationError):
        canonicalize({"name": "\ud800"})


def test_without_a_signing_key_a_credential_is_a_clear_503_never_a_500(client, settings, tmp_path):
    title = granted_certificate(name="杭州湖滨银泰百货有限公司")
    settings.SIGNING_KEY_DIR = tmp_path  # an operator has not made a key yet

    response = client.get(f"/credentials/{title.serial}.json")

    assert response.status_code == 503
    assert "稍后再试" in response.json()["detail"]
    assert "no-store" in response["Cache-Control"]
