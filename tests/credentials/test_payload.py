"""The signed code in a certificate's QR code: what it carries, what makes it fail, and how big it gets."""

from __future__ import annotations

import datetime

import pytest
import segno
from django.core.management import call_command
from django.core.management.base import CommandError

from awards.models import ProgramKind
from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH
from credentials import keys, payload
from tests.factories import ProgramFactory, granted_certificate

LONGEST_NAME = ("浙江省杭州市西湖区文三路数字经济产业园消费者权益保护诚信经营示范服务中心连锁餐饮管理有限公司" * 2)[
    :ENTERPRISE_NAME_MAX_LENGTH
]


@pytest.fixture
def title(db):
    return granted_certificate(
        ProgramFactory(year=2027, kind=ProgramKind.HONEST_BUSINESS), name="杭州湖滨银泰百货有限公司"
    )


def _flip(text: str, position: int) -> str:
    """The text with one character changed to another of the alphabet."""
    alphabet = payload.ALPHABET
    changed = alphabet[(alphabet.index(text[position]) + 1) % len(alphabet)]
    return text[:position] + changed + text[position + 1 :]


def test_a_payload_round_trips_with_every_signed_field(title):
    result = payload.verify(payload.qr_url(title))

    assert result.genuine
    signed = result.signed
    assert (signed.serial, signed.code, signed.name) == (title.serial, title.enterprise_uscc, title.enterprise_name)
    assert signed.title == title.title == "2027年度诚信经营示范单位"
    assert signed.programme_id == title.program_id
    assert (signed.valid_from, signed.valid_until) == (title.valid_from, title.valid_until)
    assert signed.kid == keys.current_key().kid


def test_the_code_opens_the_verification_page_with_the_payload_in_its_fragment(title, settings):
    settings.SITE_URL = "https://315.example.cn"
    url = payload.qr_url(title)
    address, fragment = url.split("#")
    assert address == f"https://315.example.cn/verify/{title.serial}/"
    assert set(fragment) <= set(payload.ALPHABET)


@pytest.mark.parametrize("where", ["text", "bytes"])
def test_any_one_changed_byte_is_rejected(title, where):
    base = payload.verification_base(title.serial) + "#"
    text = payload.encode(title)
    assert payload.verify(base + text).genuine
    if where == "bytes":
        data = payload.b43decode(text)
        for position in range(len(data)):
            tampered = bytearray(data)
            tampered[position] ^= 0x01
            assert not payload.verify(base + payload.b43encode(bytes(tampered))).genuine, f"byte {position} changed"
    else:
        for position in range(len(text)):
            assert not payload.verify(base + _flip(text, position)).genuine, f"character {position} changed"


def test_a_code_signed_by_a_key_outside_the_ring_is_forged(title, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    stranger = keys.rotate()
    forged = payload.qr_url(title, key=stranger)
    settings.SIGNING_KEY_DIR = tmp_path / "elsewhere"
    keys.rotate()

    result = payload.verify(forged)

    assert not result.genuine
    assert "never used" in result.reason or "从未" in result.reason


def test_a_valid_signature_by_another_key_under_our_kid_is_forged(title):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    impostor = Ed25519PrivateKey.generate()
    ours = keys.current_key().kid
    forged = payload.qr_url(title, key=keys.SigningKey(ours, impostor.public_key(), impostor))

    result = payload.verify(forged)

    assert not result.genuine and result.signed.kid == ours


def test_an_old_key_still_verifies_after_rotation(title, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    printed = payload.qr_url(title)

    new = keys.rotate()

    assert new.kid != old.kid and keys.current_key().kid == new.kid
    assert payload.verify(printed).genuine
    assert payload.verify(printed).signed.kid == old.kid
    assert payload.verify(payload.qr_url(title)).signed.kid == new.kid


def test_a_retired_key_keeps_verifying_but_can_no_longer_sign(title, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    old = keys.rotate()
    printed = payload.qr_url(title)
    keys.rotate()

    keys.retire(old.kid)

    assert not keys.public_keys()[old.kid].can_sign
    assert payload.verify(printed).genuine


def test_the_current_key_cannot_be_retired(settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    current = keys.rotate()
    with pytest.raises(ValueError):
        keys.retire(current.kid)


def test_without_a_key_signing_says_how_to_make_one(title, settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    with pytest.raises(keys.NoSigningKey, match="signing_keys rotate"):
        payload.encode(title)


@pytest.mark.parametrize(
    "scanned",
    ["", "https://315.example.cn/verify/X/", "#", "#HELLO", "#" + "0" * 200, "#abc", "#%%%", "#:::::::::::"],
)
def test_text_that_is_not_a_payload_is_rejected_without_an_error(db, scanned):
    result = payload.verify(scanned)
    assert not result.genuine and result.signed is None


def test_a_payload_is_read_from_the_whole_scanned_text_with_spaces_around_it(title):
    assert payload.verify(f"  {payload.qr_url(title)}\n").genuine


def test_the_fragment_alone_proves_nothing_because_the_serial_is_in_the_address(title):
    assert not payload.verify(payload.encode(title)).genuine
    assert not payload.verify("#" + payload.encode(title)).genuine


def test_a_genuine_fragment_moved_to_another_serial_is_forged(title):
    other = title.serial[:-1] + ("2" if title.serial[-1] != "2" else "3")
    moved = payload.verification_base(other) + "#" + payload.encode(title)
    assert not payload.verify(moved).genuine


def test_base43_round_trips_every_length():
    for length in range(0, 9):
        data = bytes((250 + i) % 256 for i in range(length))
        assert payload.b43decode(payload.b43encode(data)) == data


@pytest.mark.parametrize("text", ["ZZZ", "A", "0000"])
def test_base43_rejects_impossible_text(text):
    with pytest.raises(payload.PayloadError):
        payload.b43decode(text)


def test_the_longest_name_the_models_allow_keeps_the_qr_code_at_version_12(db, settings):
    settings.SITE_URL = "https://" + "x" * (payload.SITE_URL_BUDGET - len("https://"))
    program = ProgramFactory(year=2027, serial_prefix="ABCDEFGHIJKL")
    title = granted_certificate(program, name=LONGEST_NAME)
    assert len(title.enterprise_name) == ENTERPRISE_NAME_MAX_LENGTH
    assert len(title.serial) == 23  # the longest prefix the programme allows

    code = segno.make(payload.qr_segments(title), error="m", boost_error=False)

    assert code.version <= payload.QR_MAX_VERSION
    assert payload.verify(payload.qr_url(title)).signed.name == LONGEST_NAME


def test_the_name_survives_characters_outside_the_common_set(db):
    name = "𠮷野家（杭州）餐饮管理有限公司·ABC店"
    title = granted_certificate(name=name)
    assert payload.verify(payload.qr_url(title)).signed.name == name


def test_the_education_base_title_is_signed_as_its_kind(db):
    title = granted_certificate(ProgramFactory(year=2028, kind=ProgramKind.EDUCATION_BASE))
    assert payload.verify(payload.qr_url(title)).signed.title == "2028年度消费维权教育基地" == title.title


def test_dates_are_days_since_1970():
    fields = payload.SignedTitle(
        "00000000", "S", "C", "N", 1, 2027, 1, datetime.date(1970, 1, 2), datetime.date(2030, 1, 1)
    )
    array = fields.as_array()
    assert array[-2] == 1


def test_the_command_says_genuine_with_the_signed_fields_and_points_online(title, capsys):
    call_command("verify_payload", payload.qr_url(title))
    out = capsys.readouterr().out
    assert title.enterprise_name in out and title.serial in out and title.enterprise_uscc in out
    assert f"/verify/{title.serial}/" in out


def test_the_command_fails_on_a_forged_code(title, capsys):
    url = payload.qr_url(title)
    with pytest.raises(CommandError) as raised:
        call_command("verify_payload", _flip(url, len(url) - 30))
    assert raised.value.returncode == 1


def test_the_signing_keys_command_rotates_and_lists(settings, tmp_path, capsys):
    settings.SIGNING_KEY_DIR = tmp_path
    call_command("signing_keys", "ensure")
    first = keys.current_key().kid
    call_command("signing_keys", "ensure")
    assert keys.current_key().kid == first
    call_command("signing_keys", "rotate")
    second = keys.current_key().kid
    call_command("signing_keys", "retire", first)
    out = capsys.readouterr().out
    assert f"{second}  current" in out and f"{first}  verifies only" in out


def test_the_signing_keys_command_refuses_unknown_and_current_keys(settings, tmp_path):
    settings.SIGNING_KEY_DIR = tmp_path
    current = keys.rotate()
    with pytest.raises(CommandError, match="No key"):
        call_command("signing_keys", "retire", "deadbeef")
    with pytest.raises(CommandError, match="rotate first"):
        call_command("signing_keys", "retire", current.kid)
