"""The issuer's Ed25519 key ring: one current key signs, every key ever used keeps verifying.

A printed plaque hangs for years, so a key is never forgotten when it is replaced: rotation makes a new key current
and keeps the old one (or at least its public half) so that every code already printed still verifies.

Layout of `SIGNING_KEY_DIR/ed25519/`: `<kid>.pem` (private key, PKCS#8), `<kid>.pub.pem` (a retired key whose private
half was destroyed), and `current` (the kid that signs). The kid is the first 4 bytes of the SHA-256 of the raw
public key, in hex: short enough for a QR code, and derived from the key so two hosts can never disagree about it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KID_BYTES = 4
CURRENT_FILE = "current"


class NoSigningKey(ImproperlyConfigured):
    """No key can sign: certificates would print without a verifiable code."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None = None

    @property
    def public_raw(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def can_sign(self) -> bool:
        return self.private_key is not None

    def sign(self, message: bytes) -> bytes:
        if self.private_key is None:
            raise NoSigningKey(f"The key {self.kid} is retired: only its public half is kept.")
        return self.private_key.sign(message)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def kid_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KID_BYTES].hex()


def key_folder() -> Path:
    return Path(settings.SIGNING_KEY_DIR) / "ed25519"


def public_keys() -> dict[str, SigningKey]:
    """Every key of the ring by kid, current and retired."""
    return dict(_ring(key_folder()))


def _ring(folder: Path) -> list[tuple[str, SigningKey]]:
    # Read on every call: the folder holds a handful of small files, and a rotation made on one host (or by the
    # command line) must be seen by every process at once, without a restart.
    if not folder.is_dir():
        return []
    found: dict[str, SigningKey] = {}
    for path in sorted(folder.glob("*.pem")):
        data = path.read_bytes()
        if path.name.endswith(".pub.pem"):
            public = serialization.load_pem_public_key(data)
            if not isinstance(public, Ed25519PublicKey):
                raise ImproperlyConfigured(f"{path} is not an Ed25519 public key.")
            found.setdefault(kid_of(public), SigningKey(kid_of(public), public))
            continue
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
        public = private.public_key()
        found[kid_of(public)] = SigningKey(kid_of(public), public, private)
    return sorted(found.items())


def current_key() -> SigningKey:
    folder = key_folder()
    marker = folder / CURRENT_FILE
    hint = f"Create one with: python manage.py signing_keys rotate (SIGNING_KEY_DIR is {settings.SIGNING_KEY_DIR})."
    if not marker.is_file():
        raise NoSigningKey("No signing key is configured. " + hint)
    kid = marker.read_text().strip()
    key = public_keys().get(kid)
    if key is None or not key.can_sign:
        raise NoSigningKey(f"The current signing key {kid!r} is missing or has no private half. " + hint)
    return key


def verify(kid: str, message: bytes, signature: bytes) -> bool:
    key = public_keys().get(kid)
    return key is not None and key.verify(message, signature)


def rotate() -> SigningKey:
    """Make a new key current; the previous keys stay in the ring and keep verifying what they signed."""
    folder = key_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    key = SigningKey(kid_of(private.public_key()), private.public_key(), private)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_atomically(folder / f"{key.kid}.pem", pem, mode=0o600)
    _write_atomically(folder / CURRENT_FILE, key.kid.encode() + b"\n", mode=0o644)
    return key


def retire(kid: str) -> SigningKey:
    """Destroy a key's private half, keeping its public half so that what it signed still verifies."""
    folder = key_folder()
    key = public_keys().get(kid)
    if key is None:
        raise KeyError(kid)
    marker = folder / CURRENT_FILE
    if marker.is_file() and marker.read_text().strip() == kid:
        raise ValueError("The current key cannot be retired: rotate first.")
    pem = key.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    _write_atomically(folder / f"{kid}.pub.pem", pem, mode=0o644)
    (folder / f"{kid}.pem").unlink(missing_ok=True)
    return SigningKey(kid, key.public_key)


def ring_state() -> str:
    """Changes when a key is added, retired or made current: part of the validators of every page that embeds keys."""
    marker = key_folder() / CURRENT_FILE
    current = marker.read_text().strip() if marker.is_file() else ""
    return current + ":" + ",".join(f"{kid}{'' if key.can_sign else '-'}" for kid, key in public_keys().items())


def public_ring() -> dict[str, str]:
    """Every key's public half as base64url, by kid: what a backup keeps so printed codes outlive a lost key folder."""
    return {kid: b64url(key.public_raw) for kid, key in public_keys().items()}


def restore_public_keys(ring: dict[str, str]) -> list[str]:
    """Add to the ring the public halves it lacks (never a private key, never over a key it has); return their kids."""
    folder = key_folder()
    known = public_keys()
    added = []
    for kid, x in sorted(ring.items()):
        if kid in known:
            continue
        public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))
        if kid_of(public) != kid:
            raise ValueError(f"The public key listed as {kid} has the id {kid_of(public)}.")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        _write_atomically(folder / f"{kid}.pub.pem", pem, mode=0o644)
        added.append(kid)
    return added


def _write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    # A half-written key file would make every verification fail; a rename is atomic on one file system.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(handle, mode)
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(temporary, path)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_keys_document() -> dict:
    """The ring's public keys as a JSON Web Key Set, published at a stable address for third-party verifiers."""
    try:
        current = current_key().kid
    except NoSigningKey:
        current = None
    return {
        "keys": [
            {
                "kid": kid,
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "x": b64url(key.public_raw),
                "current": kid == current,
            }
            for kid, key in public_keys().items()
        ]
    }
