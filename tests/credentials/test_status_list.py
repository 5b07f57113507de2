"""The Bitstring Status Lists: a title's bit flips when it is suspended, again when it is restored, and is set when
it is revoked — the changes driven through the real case services — and each list is a signed credential."""

from __future__ import annotations

import base64
import gzip
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_grant
from credentials import status_list
from tests.credentials.test_open_badges import SITE, badge, fetch, verify
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from workflows import services as workflow_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def certificate(db) -> Certificate:
    program = ProgramFactory(slug="honest-2027")
    return certificate_grant(application=ApplicationFactory(program=program, approved=True))


def bits(client, purpose: str) -> bytes:
    """The decoded bitstring of a list, as a verifier decodes it: multibase 'u', base64url, GZIP."""
    encoded = fetch(client, f"{SITE}/credentials/status/{purpose}.json")["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    return gzip.decompress(raw)


def bit(client, purpose: str, index: int) -> int:
    data = bits(client, purpose)
    return (data[index // 8] >> (7 - index % 8)) & 1


def status_bits(client, certificate: Certificate) -> dict[str, int]:
    """The title's bit in each list, found the way a verifier finds it: from the credential's credentialStatus."""
    found = {}
    for entry in badge(client, certificate)["credentialStatus"]:
        data = fetch(client, entry["statusListCredential"])
        assert data["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
        found[entry["statusPurpose"]] = bit(client, entry["statusPurpose"], int(entry["statusListIndex"]))
    return found


@pytest.fixture
def organizer(db):
    return UserFactory(username="olivia")


def suspend(certificate: Certificate, organizer):
    """Open a case against the title: it is suspended at once."""
    return workflow_services.case_open(certificate=certificate, user=organizer, grounds="投诉调查中。")


def decide(case, organizer, *, revoke: bool) -> None:
    certificate_services.case_respond(case=case, response="已整改，请求恢复。")
    certificate_services.case_decide(case=case, user=organizer, revoke=revoke, reason="经审定。")


def test_a_valid_title_has_no_bit_set(client, certificate):
    assert status_bits(client, certificate) == {"revocation": 0, "suspension": 0}


def test_the_suspension_bit_is_set_when_a_case_suspends_the_title(client, certificate, organizer):
    status_bits(client, certificate)  # cached before the change
    suspend(certificate, organizer)
    assert status_bits(client, certificate) == {"revocation": 0, "suspension": 1}


def test_the_suspension_bit_clears_again_when_the_title_is_restored(client, certificate, organizer):
    case = suspend(certificate, organizer)
    assert status_bits(client, certificate)["suspension"] == 1
    decide(case, organizer, revoke=False)
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID
    assert status_bits(client, certificate) == {"revocation": 0, "suspension": 0}


def test_the_revocation_bit_is_set_when_the_title_is_revoked(client, certificate, organizer):
    case = suspend(certificate, organizer)
    assert status_bits(client, certificate)["revocation"] == 0
    decide(case, organizer, revoke=True)
    assert status_bits(client, certificate) == {"revocation": 1, "suspension": 0}


def test_only_the_titles_own_bit_changes(client, certificate, organizer):
    before = bits(client, "suspension")
    suspend(certificate, organizer)
    after = bits(client, "suspension")
    changed = [i for i in range(len(before) * 8) if (before[i // 8] ^ after[i // 8]) >> (7 - i % 8) & 1]
    assert changed == [certificate.pk]


def test_a_list_is_a_signed_bitstring_status_list_credential(client, certificate):
    url = f"{SITE}/credentials/status/revocation.json"
    credential = fetch(client, url)
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert credential["id"] == url
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["issuer"] == f"{SITE}/credentials/issuer.json"
    assert credential["credentialSubject"]["id"] == url + "#list"
    assert credential["credentialSubject"]["type"] == "BitstringStatusList"
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert verify(client, credential)


def test_a_changed_list_no_longer_verifies(client, certificate):
    credential = fetch(client, f"{SITE}/credentials/status/suspension.json")
    forged = status_list.encode(status_list.bitstring([certificate.pk], status_list.MINIMUM_BITS))
    credential["credentialSubject"] = {**credential["credentialSubject"], "encodedList": forged}
    assert not verify(client, credential)


def test_the_site_issuer_profile_names_the_organizer(client, settings):
    settings.SITE_ORGANIZER_NAME = "宁波市消费者权益保护委员会"
    profile = fetch(client, f"{SITE}/credentials/issuer.json")
    assert profile["name"] == "宁波市消费者权益保护委员会"
    assert profile["assertionMethod"] == [m["id"] for m in profile["verificationMethod"]]


def test_a_list_holds_at_least_131072_bits(client, certificate):
    assert len(bits(client, "revocation")) * 8 == 131_072


def test_a_list_grows_to_hold_every_title():
    assert status_list.list_length(0) == 131_072
    assert status_list.list_length(131_071) == 131_072
    assert status_list.list_length(131_072) == 262_144


def test_bit_zero_is_the_most_significant_bit_of_the_first_byte():
    assert status_list.bitstring([0, 9, 15], 16) == bytes([0b1000_0000, 0b0100_0001])


def test_the_same_bits_always_encode_the_same(client):
    assert status_list.encode(b"\0" * 16384) == status_list.encode(b"\0" * 16384)


def test_an_unknown_purpose_is_a_404_in_json(client, db):
    response = client.get(reverse("credential_status_list", kwargs={"purpose": "refresh"}))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "revocation" in json.loads(response.content)["detail"]


def test_a_list_is_served_as_application_vc_and_kept_in_the_cache(client, certificate):
    url = reverse("credential_status_list", kwargs={"purpose": "suspension"})
    first = client.get(url)
    assert first["Content-Type"] == "application/vc"
    assert first["Access-Control-Allow-Origin"] == "*"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content
    assert not [q for q in queries.captured_queries if "certificates_certificate" in q["sql"]]


def test_a_list_of_a_hundred_thousand_titles_is_built_with_two_queries_in_well_under_a_second(
    django_assert_num_queries,
):
    # The bitstring from the keys of the flagged titles; the whole register is never read row by row.
    flagged = range(0, 200_000, 2)
    started = time.perf_counter()
    encoded = status_list.encode(status_list.bitstring(flagged, status_list.list_length(199_999)))
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    assert len(encoded) < 2_000
    with django_assert_num_queries(2):
        status_list.status_list_credential("revocation")
