"""W3C Data Integrity proofs with the cryptosuite eddsa-jcs-2022, and the Multikey form of the ring's public keys.

eddsa-jcs-2022 (W3C "Data Integrity EdDSA Cryptosuites v1.0", §3.3): the proof configuration (the proof without its
proofValue, carrying the document's @context) and the document without its proof are each canonicalized with JCS
(RFC 8785) and hashed with SHA-256; Ed25519 signs the two hashes, the configuration's first. The proofValue is the
64-byte signature in multibase base58btc ("z…"); the verificationMethod names the key as "<controller>#<kid>",
and the controller's document lists that key as a Multikey. No JSON-LD processing is needed to sign or to verify.
"""

from __future__ import annotations

import base64
import datetime
import hashlib

from credentials import jcs, keys

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_PURPOSE = "assertionMethod"
# The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint: 0xed 0x01).
ED25519_PUB_MULTICODEC = b"\xed\x01"

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    """Bitcoin's base58: the number the bytes make, in 58 letters, each leading zero byte as a "1"."""
    number = int.from_bytes(data, "big")
    letters = []
    while number:
        number, digit = divmod(number, 58)
        letters.append(BASE58_ALPHABET[digit])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(letters))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for letter in text:
        digit = BASE58_ALPHABET.find(letter)
        if digit < 0:
            raise ValueError(f"{letter!r} is not a base58btc letter.")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def multibase_base64url(data: bytes) -> str:
    """Multibase "u": base64url without padding."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_key_multibase(key: keys.SigningKey) -> str:
    """The key as a Multikey's publicKeyMultibase: "z" + base58btc(0xed 0x01 + the 32-byte raw key), "z6Mk…"."""
    return "z" + base58btc(ED25519_PUB_MULTICODEC + key.public_raw)


def verification_method_id(controller: str, kid: str) -> str:
    return f"{controller}#{kid}"


def verification_methods(controller: str) -> dict:
    """Every key of the ring, retired ones included, as the verification methods of a controller's document.

    Retired keys stay listed: a credential signed before a rotation must keep verifying.
    """
    ring = keys.public_keys()
    return {
        "verificationMethod": [
            {
                "id": verification_method_id(controller, kid),
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": public_key_multibase(key),
            }
            for kid, key in ring.items()
        ],
        "assertionMethod": [verification_method_id(controller, kid) for kid in ring],
    }


def _now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


def hash_data(proof_config: dict, document: dict) -> bytes:
    """What eddsa-jcs-2022 signs: SHA-256 of the canonical proof configuration, then of the canonical document."""
    return hashlib.sha256(jcs.canonicalize(proof_config)).digest() + hashlib.sha256(jcs.canonicalize(document)).digest()


def add_proof(document: dict, *, controller: str, key: keys.SigningKey | None = None) -> dict:
    """The document with a DataIntegrityProof by the current key (or `key`), named as a method of `controller`."""
    key = key or keys.current_key()
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "verificationMethod": verification_method_id(controller, key.kid),
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in unsecured:
        # The proof configuration carries the document's contexts (eddsa-jcs-2022, Create Proof step 2).
        proof = {"@context": unsecured["@context"], **proof}
    signature = key.sign(hash_data(proof, unsecured))
    return {**unsecured, "proof": {**proof, "proofValue": "z" + base58btc(signature)}}
