"""PAdES signatures on the PDFs we hand out: the holder's certificate and the published lists.

A PDF is signed (PAdES baseline B-B, SHA-256, an invisible signature field, no time-stamp server: nothing leaves the
machine) by the issuing body's certificate. The signing material lives in `settings.SIGNING_KEY_DIR / "pdf"`:

    <programme slug>.key.pem + <programme slug>.cert.pem (+ <slug>.chain.pem)   the programme's own issuing body
    site.key.pem + site.cert.pem (+ site.chain.pem)                              every other programme

The programme's own pair wins over the site's. `manage.py pdf_signing_certificate` makes a self-signed pair (the demo)
or installs a real one, and shows what is configured.

With nothing configured a PDF is served unsigned, as before: signing is a promise the site makes only once the
issuing body has given it a key. The system check `credentials.W101` says so at start-up; a key that is present but
unusable (unreadable, not matching its certificate) is an error (`credentials.E101`), and signing with it raises
`PdfSigningError` rather than quietly handing out unsigned files.

The signature proves who issued the file and that not one byte of it changed since; it does not say the title is
still in force: that is what /verify/<serial>/ is for.
"""

from __future__ import annotations

import datetime
import io
import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

SITE = "site"
FIELD_NAME = "IssuerSignature"
MD_ALGORITHM = "sha256"
EXPIRY_WARNING_DAYS = 30

REASON = _("Issued by %(issuing_body)s. Any change to this file breaks the signature.")
REASON_CERTIFICATE = _(
    "Certificate %(serial)s, issued by %(issuing_body)s. Any change to this file breaks the signature."
)
REASON_LIST = _("Published list, issued by %(issuing_body)s. Any change to this file breaks the signature.")


class PdfSigningError(ImproperlyConfigured):
    """Signing material is present but cannot be used."""


# --- the signing material -----------------------------------------------------------------------------------------


def pdf_key_dir() -> Path:
    return Path(settings.SIGNING_KEY_DIR) / "pdf"


@dataclass(frozen=True)
class SignerFiles:
    """The files of one signer: `label` is "site" or a programme's slug."""

    label: str
    key: Path
    cert: Path
    chain: Path | None

    @classmethod
    def at(cls, label: str, folder: Path | None = None) -> SignerFiles:
        folder = folder or pdf_key_dir()
        chain = folder / f"{label}.chain.pem"
        return cls(label, folder / f"{label}.key.pem", folder / f"{label}.cert.pem", chain)

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.key, self.cert, self.chain) if self.chain else (self.key, self.cert)

    def configured(self) -> bool:
        """Both the key and the certificate are there; one without the other is an error."""
        key, cert = self.key.is_file(), self.cert.is_file()
        if key != cert:
            present, missing = (self.key, self.cert) if key else (self.cert, self.key)
            raise PdfSigningError(f"{present} has no partner: {missing} is missing.")
        return key

    def chain_file(self) -> Path | None:
        return self.chain if self.chain and self.chain.is_file() else None


def signer_files(program=None) -> SignerFiles | None:
    """The files that sign a PDF of `program` (or of the site): the programme's own, else the site's, else None."""
    candidates = ([program.slug] if program is not None and program.slug else []) + [SITE]
    for label in candidates:
        files = SignerFiles.at(label)
        if files.configured():
            return files
    return None


def configured_signers() -> list[SignerFiles]:
    """Every configured pair in the folder, the site's first."""
    folder = pdf_key_dir()
    if not folder.is_dir():
        return []
    labels = sorted(path.name.removesuffix(".cert.pem") for path in folder.glob("*.cert.pem"))
    labels += sorted(path.name.removesuffix(".key.pem") for path in folder.glob("*.key.pem"))
    labels = sorted(set(labels), key=lambda label: (label != SITE, label))
    return [files for label in labels if (files := SignerFiles.at(label, folder)).configured()]


@dataclass(frozen=True)
class Material:
    """A signer's key and certificates, loaded and checked with `cryptography`."""

    key: object  # a cryptography private key
    cert: object  # cryptography x509.Certificate
    chain: tuple  # of x509.Certificate

    @property
    def common_name(self) -> str:
        return common_name(self.cert)


def common_name(cert) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def load_private_key(data: bytes):
    """A private key from PEM or DER bytes; a clear PdfSigningError when it is encrypted or not a key."""
    from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_private_key

    loader = load_pem_private_key if b"-----BEGIN" in data else load_der_private_key
    try:
        return loader(data, password=None)
    except TypeError:
        raise PdfSigningError(
            gettext("The private key is protected by a passphrase: decrypt it first (openssl pkey -in KEY -out PLAIN).")
        ) from None
    except ValueError as error:
        raise PdfSigningError(
            gettext("This is not a private key in PEM or DER format (%(error)s).") % {"error": error}
        ) from None


def load_certificates(data: bytes) -> list:
    """Every X.509 certificate in PEM (one or more) or DER bytes."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise PdfSigningError(
            gettext("This is not an X.509 certificate in PEM or DER format (%(error)s).") % {"error": error}
        ) from None


def check_pair(key, cert) -> None:
    """Refuse a key that is not the certificate's, a kind of key PDF readers do not take, or a certificate whose key
    usage forbids signing."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise PdfSigningError(gettext("Only RSA and elliptic-curve (ECDSA) keys can sign PDFs."))
    spki = PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(Encoding.DER, spki) != cert.public_key().public_bytes(Encoding.DER, spki):
        raise PdfSigningError(gettext("The private key does not belong to the certificate: their public keys differ."))
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise PdfSigningError(
            gettext("The certificate's key usage allows neither digital signatures nor non-repudiation.")
        )


def load_material(files: SignerFiles) -> Material:
    """Read and check a signer's files; PdfSigningError, naming the file, when they cannot sign."""
    try:
        key = load_private_key(files.key.read_bytes())
        certs = load_certificates(files.cert.read_bytes())
        chain_file = files.chain_file()
        chain = tuple(load_certificates(chain_file.read_bytes())) if chain_file else ()
    except OSError as error:
        raise PdfSigningError(f"{files.label}: {error}") from None
    except PdfSigningError as error:
        raise PdfSigningError(f"{files.label}: {error}") from None
    try:
        check_pair(key, certs[0])
    except PdfSigningError as error:
        raise PdfSigningError(f"{files.label}: {error}") from None
    return Material(key=key, cert=certs[0], chain=tuple(certs[1:]) + chain)


def signer_for(program=None):
    """The pyhanko Signer for PDFs of `program` (or of the site), or None when nothing is configured."""
    files = signer_files(program)
    if files is None:
        return None
    return _simple_signer(load_material(files))


def _simple_signer(material: Material):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = material.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(material.cert.public_bytes(Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)) for cert in material.chain]
        ),
    )


# --- signing ------------------------------------------------------------------------------------------------------


def _metadata(signer, *, program, reason, reason_values) -> object:
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata

    name = _name(signer.signing_cert)
    issuing_body = (program.issuing_body if program is not None else "") or name
    # The words go into the file: the site's language, whoever's request or job makes it.
    with translation.override(settings.LANGUAGE_CODE):
        reason_text = str(reason or REASON) % {**(reason_values or {}), "issuing_body": issuing_body}
    return PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm=MD_ALGORITHM,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason_text,
        location=issuing_body,
        name=name,
    )


def sign_stream(stream: IO[bytes], *, program=None, reason=None, reason_values: dict | None = None) -> bool:
    """Sign, in place, the PDF in `stream` (seekable, readable and writable): the signature is an incremental update
    appended to the file, so a big list is never held in memory. Return False, leaving it untouched, when no signer
    is configured. `reason` (a translatable text, put into the site's language) may use %(issuing_body)s and the
    keys of `reason_values`."""
    signer = signer_for(program)
    if signer is None:
        logger.info("PDF served unsigned: no PDF signing certificate in %s", pdf_key_dir())
        return False
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    stream.seek(0)
    writer = IncrementalPdfFileWriter(stream, strict=False)
    signers.sign_pdf(
        writer, _metadata(signer, program=program, reason=reason, reason_values=reason_values), signer, in_place=True
    )
    stream.seek(0)
    return True


def sign_pdf(data: bytes, *, program=None, reason=None, reason_values: dict | None = None) -> bytes:
    """The PDF `data` signed by the issuing body of `program` (or the site), or `data` itself when none is set up."""
    buffer = io.BytesIO(data)
    signed = sign_stream(buffer, program=program, reason=reason, reason_values=reason_values)
    return buffer.getvalue() if signed else data


def sign_into(write, target: IO[bytes], *, program=None, reason=None, reason_values: dict | None = None):
    """Call `write(file)` to produce a PDF into a temporary file, sign it there, then copy it into `target` (which may
    be write-only); return what `write` returned. Memory stays that of one copy buffer."""
    with tempfile.TemporaryFile(prefix="award315-sign-") as unsigned:
        result = write(unsigned)
        sign_stream(unsigned, program=program, reason=reason, reason_values=reason_values)
        unsigned.seek(0)
        shutil.copyfileobj(unsigned, target)
    return result


def signed_certificate_pdf(certificate) -> bytes:
    """The holder's certificate for one title, one page, signed by its programme's issuing body (or unsigned when no
    signer is configured)."""
    from certificates.kinds import PrintKind
    from certificates.pdf import render_titles_pdf

    buffer = io.BytesIO()
    render_titles_pdf([certificate], kind=PrintKind.CERTIFICATE, target=buffer)
    return sign_pdf(
        buffer.getvalue(),
        program=certificate.program,
        reason=REASON_CERTIFICATE,
        reason_values={"serial": certificate.serial},
    )


# --- validating ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """What pyhanko says of one signature in a PDF."""

    field: str
    signer: str
    signing_time: datetime.datetime | None
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # and the signature over that hash is the signer's
    trusted: bool  # and the signer's certificate chains to a trust root
    whole_file: bool  # and nothing was added after the signature
    details: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


@dataclass(frozen=True)
class PdfValidation:
    signatures: tuple[SignatureCheck, ...]
    problem: str = ""  # the file could not be read as a PDF

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        return self.signed and not self.problem and all(check.ok for check in self.signatures)


def trust_roots_configured() -> list:
    """The configured signers' certificates (and chains), as the trust roots for checking our own files."""
    roots = []
    for files in configured_signers():
        try:
            material = load_material(files)
        except PdfSigningError:
            continue
        roots.extend([material.cert, *material.chain])
    return roots


def validate_pdf(data: bytes | IO[bytes], *, trust_roots: Iterable | None = None) -> PdfValidation:
    """Check every signature in a PDF against `trust_roots` (cryptography or asn1crypto certificates, or PEM
    files' paths; the configured signers' certificates by default). No network: nothing is fetched."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    roots = _asn1_certificates(trust_roots_configured() if trust_roots is None else trust_roots)
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    # A damaged file is a "no", whatever pyhanko trips over in it (flipping single bytes of a signed certificate
    # raised eight kinds of exception, from zlib errors to assertions): never a crash of the check itself.
    try:
        reader = PdfFileReader(stream, strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:
        return PdfValidation(signatures=(), problem=f"{type(error).__name__}: {error}")
    checks = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context, key_usage_settings=usage)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
            checks.append(SignatureCheck(signature.field_name, "", None, False, False, False, False, problem))
            continue
        checks.append(
            SignatureCheck(
                field=signature.field_name,
                signer=_name(status.signing_cert),
                signing_time=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                whole_file=_covers_whole_file(status),
                details=status.pretty_print_details(),
            )
        )
    return PdfValidation(signatures=tuple(checks))


def _name(cert) -> str:
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


def _covers_whole_file(status) -> bool:
    from pyhanko.sign.validation import SignatureCoverageLevel

    return status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def _asn1_certificates(certs: Iterable) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    loaded = []
    for cert in certs:
        if isinstance(cert, asn1_x509.Certificate):
            loaded.append(cert)
        elif isinstance(cert, str | Path):
            loaded.extend(_asn1_certificates(load_certificates(Path(cert).read_bytes())))
        else:
            loaded.append(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
    return loaded


# --- making a self-signed certificate ----------------------------------------------------------------------------

CN_MAX = 64  # ub-common-name in RFC 5280


def self_signed(name: str, *, years: int, now: datetime.datetime | None = None):
    """A new EC P-256 key and a self-signed certificate naming `name` (the issuing body), valid `years` years, for
    signing documents (digitalSignature and nonRepudiation)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    if not name or len(name) > CN_MAX:
        raise ValueError(name)
    now = now or timezone.now()
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(_years_later(now, years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(identifier, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(identifier), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _years_later(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def write_signer(label: str, key, cert, chain: Iterable = (), *, folder: Path | None = None) -> SignerFiles:
    """Store a key (PKCS#8 PEM, readable by its owner only), its certificate and any chain; a stale chain of an
    earlier certificate is removed."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    folder = folder or pdf_key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    files = SignerFiles.at(label, folder)
    _write(files.key, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), mode=0o600)
    _write(files.cert, cert.public_bytes(Encoding.PEM), mode=0o644)
    chain = list(chain)
    if chain:
        _write(files.chain, b"".join(c.public_bytes(Encoding.PEM) for c in chain), mode=0o644)
    elif files.chain:
        files.chain.unlink(missing_ok=True)
    return files


def _write(path: Path, data: bytes, *, mode: int) -> None:
    """Write beside the file and rename: a reader never sees half a key."""
    partial = path.with_name(f".{path.name}.part")
    partial.touch(mode=mode)
    partial.chmod(mode)
    partial.write_bytes(data)
    partial.replace(path)


# --- the system check ---------------------------------------------------------------------------------------------


@register()
def pdf_signing_configured(app_configs, **kwargs):
    """Say at start-up that PDFs go out unsigned, or that a configured signer cannot sign or expires soon."""
    try:
        signers = configured_signers()
    except PdfSigningError as error:
        return [Error(str(error), hint=_HINT_INSTALL, id="credentials.E101")]
    if not signers:
        return [
            Warning(
                f"No PDF signing certificate in {pdf_key_dir()}: certificates and lists are served as unsigned PDFs.",
                hint=_HINT_INSTALL,
                id="credentials.W101",
            )
        ]
    messages = []
    now = timezone.now()
    for files in signers:
        try:
            material = load_material(files)
        except PdfSigningError as error:
            messages.append(Error(str(error), hint=_HINT_INSTALL, id="credentials.E101"))
            continue
        until = material.cert.not_valid_after_utc
        if until <= now + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            messages.append(
                Warning(
                    f"The PDF signing certificate {files.cert} expires on {until:%Y-%m-%d}: signatures made with it "
                    "will not validate after that.",
                    hint=_HINT_INSTALL,
                    id="credentials.W102",
                )
            )
    return messages


_HINT_INSTALL = (
    "Install the issuing body's certificate with `manage.py pdf_signing_certificate --key KEY --cert CERT "
    "[--program SLUG]`, or make a self-signed one for a demo with `manage.py pdf_signing_certificate --self-signed`."
)
