"""JCS (RFC 8785) against the RFC's own examples, the multibase encodings the proofs and keys use, and a proof against
the W3C's test vector of eddsa-jcs-2022."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credentials import data_integrity
from credentials.jcs import CanonicalizationError, canonicalize
from credentials.keys import SigningKey


def test_it_sorts_member_names_by_utf16_code_units_as_rfc_8785_section_3_2_3_shows():
    document = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    # The emoji (a surrogate pair, D83D DE00) sorts before U+FB33, although its code point is higher.
    expected = (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
        '"\u20ac":"Euro Sign","\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )
    assert canonicalize(document) == expected.encode()


def test_it_writes_the_rfc_8785_sample_of_section_3_2_2():
    document = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonicalize(document) == expected.encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("\b\f\n\r\t", '"\\b\\f\\n\\r\\t"'),
        ("\x00\x1f", '"\\u0000\\u001f"'),
        ("\x7f\u2028/", '"\x7f\u2028/"'),  # DEL, the line separator and the slash are not escaped
        ("诚信经营", '"诚信经营"'),  # UTF-8, never \u escapes
    ],
)
def test_it_escapes_strings_as_ecmascript_json_stringify_does(text, written):
    assert canonicalize(text) == written.encode()


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (0, "0"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-12.5, "-12.5"),
        (9007199254740992, "9007199254740992"),
    ],
)
def test_it_writes_numbers_as_ecmascript_does(number, written):
    assert canonicalize(number) == written.encode()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**53 + 1, {1: "x"}, b"bytes", "\udc00"])
def test_it_refuses_what_i_json_cannot_carry(value):
    with pytest.raises(CanonicalizationError):
        canonicalize(value)


def test_nested_values_have_no_whitespace():
    assert canonicalize({"b": [1, {"d": None, "c": "x"}], "a": {}}) == b'{"a":{},"b":[1,{"c":"x","d":null}]}'


@pytest.mark.parametrize(
    ("data", "encoded"),
    [
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (bytes.fromhex("0000287fb4cd"), "11233QC4"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
    ],
)
def test_base58btc_round_trips_the_draft_standards_examples(data, encoded):
    assert data_integrity.base58btc(data) == encoded
    assert data_integrity.base58btc_decode(encoded) == data


def test_multibase_base64url_has_no_padding():
    assert data_integrity.multibase_base64url(b"\xfb\xff") == "u-_8"


# The W3C's own test vector for eddsa-jcs-2022 (vc-di-eddsa, TestVectors/eddsa-jcs-2022/signedJCS.json): the same
# key, document and date must give the very same proofValue, since Ed25519 signatures are deterministic.
W3C_KEY = {
    "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "privateKeyMultibase": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
}
W3C_UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_PROOF_VALUE = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"


def test_a_proof_matches_the_w3c_test_vector_of_eddsa_jcs_2022(monkeypatch):
    private = data_integrity.base58btc_decode(W3C_KEY["privateKeyMultibase"][1:])
    assert private[:2] == b"\x80\x26"  # the multicodec of an Ed25519 private key
    secret = Ed25519PrivateKey.from_private_bytes(private[2:])
    multikey = W3C_KEY["publicKeyMultibase"]
    key = SigningKey(kid=multikey, public_key=secret.public_key(), private_key=secret)
    assert data_integrity.public_key_multibase(key) == multikey
    monkeypatch.setattr(data_integrity, "_now", lambda: datetime.datetime(2023, 2, 24, 23, 36, 38, tzinfo=datetime.UTC))

    signed = data_integrity.add_proof(W3C_UNSIGNED, controller=f"did:key:{multikey}", key=key)

    assert signed["proof"] == {
        "@context": W3C_UNSIGNED["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"did:key:{multikey}#{multikey}",
        "proofPurpose": "assertionMethod",
        "proofValue": W3C_PROOF_VALUE,
    }
