"""Signed PDFs (PAdES): the holder's certificate and the published lists carry the issuing body's signature, which
pyhanko validates and which one changed byte breaks; the command that makes, installs and shows the certificates."""

from __future__ import annotations

import datetime
import io
import re
import shutil

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from certificates.services import certificate_grant
from credentials import pdf_signing
from credentials.pdf_signing import SITE, PdfSigningError, SignerFiles
from jobs.models import Job
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

ISSUING_BODY = "杭州市市场监督管理局"


# --- helpers ------------------------------------------------------------------------------------------------------


@pytest.fixture
def program(db):
    return ProgramFactory(title="2027年度诚信经营示范单位评选", slug="honest-2027", issuing_body=ISSUING_BODY)


@pytest.fixture
def certificate(program):
    enterprise = EnterpriseFactory(name="杭州甲商贸有限公司")
    return certificate_grant(application=ApplicationFactory(program=program, enterprise=enterprise, approved=True))


@pytest.fixture
def key_dir(settings, tmp_path, signing_key_dir):
    """A key folder of the test's own, with the session's Ed25519 key ring (QR codes) and no PDF certificate."""
    folder = tmp_path / "keys"
    shutil.copytree(signing_key_dir, folder, ignore=shutil.ignore_patterns("pdf"))
    settings.SIGNING_KEY_DIR = folder
    return folder


def session_site_cert(signing_key_dir):
    return x509.load_pem_x509_certificate((signing_key_dir / "pdf" / "site.cert.pem").read_bytes())


def install(label: str, name: str, **options) -> x509.Certificate:
    key, cert = pdf_signing.self_signed(name, years=1, **options)
    pdf_signing.write_signer(label, key, cert)
    return cert


def signature(data: bytes):
    [embedded] = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    return embedded


def signed_range(data: bytes) -> tuple[int, int]:
    """Where the signature's /Contents hole starts and ends: every other byte is signed."""
    start, length, second, _length = signature(data).sig_object["/ByteRange"]
    assert start == 0 and second + _length == len(data)
    return length, second


def page_content_offset(data: bytes) -> int:
    """Where the first page's content stream (what the page draws: text, frame, seal) starts in the file."""
    contents = PdfReader(io.BytesIO(data)).pages[0].raw_get("/Contents")
    reference = contents[0] if isinstance(contents, list) else contents
    header = re.search(rb"(?<![0-9])%d 0 obj" % reference.idnum, data)
    stream = data.index(b"stream", header.end())
    return stream + len(b"stream\r\n" if data[stream + 6 : stream + 8] == b"\r\n" else b"stream\n")


def with_byte_changed(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def pem(path, *objects) -> None:
    path.write_bytes(b"".join(obj.public_bytes(serialization.Encoding.PEM) for obj in objects))


def key_pem(path, key, password: bytes | None = None) -> None:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))


def certificate_for(key, name: str, *, days: int = 365, start_days: int = -1) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=start_days))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )


# --- the holder's certificate -------------------------------------------------------------------------------------


def test_a_signed_certificate_validates_as_intact_valid_and_trusted(certificate, signing_key_dir):
    data = pdf_signing.signed_certificate_pdf(certificate)

    result = pdf_signing.validate_pdf(data, trust_roots=[session_site_cert(signing_key_dir)])

    [check] = result.signatures
    assert (check.intact, check.valid, check.trusted, check.whole_file) == (True, True, True, True)
    assert result.ok and check.signer == "测试发证机构"
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_the_signature_is_pades_and_names_the_issuing_body(certificate):
    sig = signature(pdf_signing.signed_certificate_pdf(certificate)).sig_object

    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig["/Location"] == ISSUING_BODY
    assert sig["/Name"] == "测试发证机构"
    assert sig["/Reason"] == f"证书 {certificate.serial}，由{ISSUING_BODY}颁发。对本文件的任何改动都会使签名失效。"


def test_a_signature_from_an_untrusted_certificate_is_intact_but_not_trusted(certificate):
    other = pdf_signing.self_signed("冒名机构", years=1)[1]

    result = pdf_signing.validate_pdf(pdf_signing.signed_certificate_pdf(certificate), trust_roots=[other])

    [check] = result.signatures
    assert check.intact and check.valid and not check.trusted and not result.ok


def test_changing_one_byte_of_a_content_stream_breaks_the_signature(certificate, signing_key_dir):
    data = pdf_signing.signed_certificate_pdf(certificate)
    hole_start, _hole_end = signed_range(data)
    position = page_content_offset(data)
    assert position < hole_start  # inside the signed bytes, not the signature's own hole

    result = pdf_signing.validate_pdf(
        with_byte_changed(data, position), trust_roots=[session_site_cert(signing_key_dir)]
    )

    [check] = result.signatures
    assert not check.intact and not result.ok


def test_changing_one_letter_of_the_document_text_breaks_the_signature(certificate, signing_key_dir):
    data = pdf_signing.signed_certificate_pdf(certificate)
    hole_start, _hole_end = signed_range(data)
    position = data.index(b"WeasyPrint")  # the /Producer, in the document information
    assert position < hole_start

    forged = data.replace(b"WeasyPrint", b"WeasyPrinT", 1)
    result = pdf_signing.validate_pdf(forged, trust_roots=[session_site_cert(signing_key_dir)])

    assert not result.signatures[0].intact and not result.ok


def test_a_programme_s_own_certificate_wins_over_the_site_s(key_dir, certificate):
    install(SITE, "站点发证机构")
    own = install(certificate.program.slug, ISSUING_BODY)

    data = pdf_signing.signed_certificate_pdf(certificate)

    assert pdf_signing.validate_pdf(data, trust_roots=[own]).signatures[0].signer == ISSUING_BODY


def test_a_programme_without_its_own_certificate_is_signed_by_the_site_s(key_dir, certificate):
    site = install(SITE, "站点发证机构")
    install("another-programme", "另一发证机构")

    data = pdf_signing.signed_certificate_pdf(certificate)

    assert pdf_signing.validate_pdf(data, trust_roots=[site]).ok


# --- the published lists ------------------------------------------------------------------------------------------


def test_a_published_list_pdf_downloaded_from_its_job_is_signed(
    client, olivia, certificate, signing_key_dir, django_capture_on_commit_callbacks
):
    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:export_list", args=[certificate.program.slug, "pdf"]))
    job = Job.objects.get()

    response = client.get(reverse("jobs:download", args=[job.pk]))
    data = b"".join(response.streaming_content)

    result = pdf_signing.validate_pdf(data, trust_roots=[session_site_cert(signing_key_dir)])
    assert result.ok
    assert (
        signature(data).sig_object["/Reason"] == f"公布名单，由{ISSUING_BODY}颁发。对本文件的任何改动都会使签名失效。"
    )
    assert "杭州甲商贸有限公司" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_the_export_command_writes_a_signed_list(certificate, tmp_path, signing_key_dir):
    out = tmp_path / "list.pdf"

    call_command("export_list", program=certificate.program.slug, format="pdf", out=out, stdout=io.StringIO())

    assert pdf_signing.validate_pdf(out.read_bytes(), trust_roots=[session_site_cert(signing_key_dir)]).ok


# --- nothing configured, or configured badly ----------------------------------------------------------------------


def test_without_a_certificate_the_pdf_is_served_unsigned(key_dir, certificate):
    data = pdf_signing.signed_certificate_pdf(certificate)

    assert data.startswith(b"%PDF") and not pdf_signing.validate_pdf(data).signed
    assert pdf_signing.signer_for(certificate.program) is None


def test_without_a_certificate_the_list_is_exported_unsigned(key_dir, certificate, tmp_path):
    out = tmp_path / "list.pdf"

    call_command("export_list", program=certificate.program.slug, format="pdf", out=out, stdout=io.StringIO())

    assert len(PdfReader(out).pages) == 1 and not pdf_signing.validate_pdf(out.read_bytes()).signed


def test_the_system_check_warns_that_pdfs_go_out_unsigned(key_dir):
    [message] = pdf_signing.pdf_signing_configured(None)

    assert message.id == "credentials.W101"


def test_the_system_check_is_quiet_with_a_site_certificate():
    assert pdf_signing.pdf_signing_configured(None) == []


def test_a_key_without_its_certificate_is_an_error_not_a_silent_unsigned_file(key_dir, program):
    install(SITE, "站点发证机构")
    (key_dir / "pdf" / "site.cert.pem").unlink()

    [message] = pdf_signing.pdf_signing_configured(None)
    assert message.id == "credentials.E101"
    with pytest.raises(PdfSigningError, match="site.cert.pem is missing"):
        pdf_signing.sign_pdf(b"%PDF-1.7", program=program)


def test_a_key_that_is_not_the_certificate_s_is_an_error(key_dir, program):
    install(SITE, "站点发证机构")
    key_pem(key_dir / "pdf" / "site.key.pem", ec.generate_private_key(ec.SECP256R1()))

    [message] = pdf_signing.pdf_signing_configured(None)
    assert message.id == "credentials.E101" and "不匹配" in message.msg
    with pytest.raises(PdfSigningError):
        pdf_signing.signer_for(program)


def test_a_certificate_that_expires_within_a_month_is_a_warning(key_dir):
    install(SITE, "站点发证机构", now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=350))

    [message] = pdf_signing.pdf_signing_configured(None)

    assert message.id == "credentials.W102"


# --- the command: a self-signed certificate -----------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("pdf_signing_certificate", *args, stdout=out)
    return out.getvalue()


def test_the_command_makes_a_self_signed_site_certificate_that_signs_for_documents(key_dir, settings):
    settings.SITE_ORGANIZER_NAME = "杭州市消费者权益保护委员会"

    output = run("--self-signed", "--years", "3")

    files = SignerFiles.at(SITE)
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "杭州市消费者权益保护委员会"
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert cert.not_valid_after_utc.year - cert.not_valid_before_utc.year == 3
    assert files.key.stat().st_mode & 0o777 == 0o600
    assert "杭州市消费者权益保护委员会" in output and str(files.cert) in output


def test_the_command_makes_a_programme_s_certificate_in_its_issuing_body_s_name(key_dir, certificate):
    run("--self-signed", "--program", certificate.program.slug)

    cert = x509.load_pem_x509_certificate(SignerFiles.at(certificate.program.slug).cert.read_bytes())
    assert pdf_signing.common_name(cert) == ISSUING_BODY
    data = pdf_signing.signed_certificate_pdf(certificate)
    assert pdf_signing.validate_pdf(data, trust_roots=[cert]).ok


def test_the_command_never_overwrites_a_certificate_without_force(key_dir):
    run("--self-signed", "--name", "甲机构")
    before = SignerFiles.at(SITE).cert.read_bytes()

    with pytest.raises(CommandError, match="--force"):
        run("--self-signed", "--name", "乙机构")
    assert SignerFiles.at(SITE).cert.read_bytes() == before

    run("--self-signed", "--name", "乙机构", "--force")
    assert SignerFiles.at(SITE).cert.read_bytes() != before


def test_the_command_keeps_a_certificate_when_asked_to_make_one_only_if_missing(key_dir):
    run("--self-signed", "--name", "甲机构", "--if-missing")
    before = SignerFiles.at(SITE).cert.read_bytes()

    run("--self-signed", "--name", "乙机构", "--if-missing")

    assert SignerFiles.at(SITE).cert.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--self-signed", "--name", "机" * 65], "64"),
        (["--self-signed", "--years", "0"], "--years"),
        (["--self-signed", "--program", "no-such-programme"], "no-such-programme"),
        (["--cert", "cert.pem"], "--key"),
        (["--show", "--trust", "cert.pem"], "--validate"),
        (["--show", "--if-missing"], "--self-signed"),
        (["--self-signed", "--if-missing", "--force"], "--force"),
    ],
)
def test_the_command_refuses_bad_input_clearly(key_dir, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_command_needs_a_name_when_the_site_has_none(key_dir, settings):
    settings.SITE_ORGANIZER_NAME = ""

    with pytest.raises(CommandError, match="--name"):
        run("--self-signed")


# --- the command: installing a real certificate -------------------------------------------------------------------


def test_the_command_installs_a_matching_key_and_certificate_with_its_chain(key_dir, tmp_path, certificate):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert, intermediate = certificate_for(key, ISSUING_BODY), certificate_for(key, "某认证机构中级CA")
    key_pem(tmp_path / "k.pem", key)
    pem(tmp_path / "c.pem", cert)
    pem(tmp_path / "chain.pem", intermediate)

    output = run(
        "--key",
        tmp_path / "k.pem",
        "--cert",
        tmp_path / "c.pem",
        "--chain",
        tmp_path / "chain.pem",
        "--program",
        certificate.program.slug,
    )

    assert ISSUING_BODY in output and SignerFiles.at(certificate.program.slug).chain.is_file()
    data = pdf_signing.signed_certificate_pdf(certificate)
    assert pdf_signing.validate_pdf(data, trust_roots=[cert]).ok


def test_the_command_refuses_a_key_that_is_not_the_certificate_s(key_dir, tmp_path):
    key_pem(tmp_path / "k.pem", ec.generate_private_key(ec.SECP256R1()))
    pem(tmp_path / "c.pem", certificate_for(ec.generate_private_key(ec.SECP256R1()), ISSUING_BODY))

    with pytest.raises(CommandError, match="私钥与证书不匹配"):
        run("--key", tmp_path / "k.pem", "--cert", tmp_path / "c.pem")
    assert not (key_dir / "pdf" / "site.key.pem").exists()


def test_the_command_refuses_an_expired_certificate(key_dir, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    key_pem(tmp_path / "k.pem", key)
    pem(tmp_path / "c.pem", certificate_for(key, ISSUING_BODY, days=-1, start_days=-30))

    with pytest.raises(CommandError, match="过期"):
        run("--key", tmp_path / "k.pem", "--cert", tmp_path / "c.pem")


@pytest.mark.parametrize(
    ("key_file", "message"),
    [("encrypted", "口令"), ("garbage", "不是 PEM 或 DER 格式的私钥"), ("missing", "无法读取")],
)
def test_the_command_refuses_an_unusable_key_file(key_dir, tmp_path, key_file, message):
    key = ec.generate_private_key(ec.SECP256R1())
    pem(tmp_path / "c.pem", certificate_for(key, ISSUING_BODY))
    if key_file == "encrypted":
        key_pem(tmp_path / "k.pem", key, password=b"secret")
    elif key_file == "garbage":
        (tmp_path / "k.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")

    with pytest.raises(CommandError, match=message):
        run("--key", tmp_path / "k.pem", "--cert", tmp_path / "c.pem")


def test_the_command_refuses_a_certificate_file_that_is_not_one(key_dir, tmp_path):
    key_pem(tmp_path / "k.pem", ec.generate_private_key(ec.SECP256R1()))
    (tmp_path / "c.pem").write_bytes(b"not a certificate")

    with pytest.raises(CommandError, match="X.509 证书"):
        run("--key", tmp_path / "k.pem", "--cert", tmp_path / "c.pem")


# --- the command: showing and validating --------------------------------------------------------------------------


def test_the_command_shows_what_signs(key_dir, program):
    install(SITE, "站点发证机构")
    install(program.slug, ISSUING_BODY)

    lines = run("--show").splitlines()

    assert len(lines) == 2
    assert "站点发证机构" in lines[0] and "SHA-256" in lines[0]
    assert program.slug in lines[1] and ISSUING_BODY in lines[1]


def test_the_command_shows_that_nothing_signs(key_dir):
    assert "不带签名" in run("--show")


def test_the_command_validates_a_signed_file_and_rejects_a_changed_one(certificate, tmp_path):
    data = pdf_signing.signed_certificate_pdf(certificate)
    (tmp_path / "good.pdf").write_bytes(data)
    (tmp_path / "bad.pdf").write_bytes(data.replace(b"WeasyPrint", b"WeasyPrinT", 1))

    assert "签署后未被改动" in run("--validate", tmp_path / "good.pdf")
    with pytest.raises(CommandError, match="核验未通过"):
        run("--validate", tmp_path / "bad.pdf")


def test_the_command_says_an_unsigned_file_is_unsigned(key_dir, certificate, tmp_path):
    (tmp_path / "plain.pdf").write_bytes(pdf_signing.signed_certificate_pdf(certificate))

    with pytest.raises(CommandError, match="没有签名"):
        run("--validate", tmp_path / "plain.pdf")


def test_changed_bytes_are_found_wherever_they_are_in_the_signed_range(certificate, signing_key_dir):
    """Not only in the places the two tests above pick: a sample of positions across the signed bytes."""
    data = pdf_signing.signed_certificate_pdf(certificate)
    hole_start, hole_end = signed_range(data)
    roots = [session_site_cert(signing_key_dir)]
    positions = [p for p in range(0, len(data), max(1, len(data) // 7)) if not hole_start <= p < hole_end][:6]

    for position in positions:
        result = pdf_signing.validate_pdf(with_byte_changed(data, position), trust_roots=roots)
        assert not result.ok, position


def test_a_damaged_or_foreign_file_is_a_no_not_a_crash(certificate):
    data = pdf_signing.signed_certificate_pdf(certificate)

    assert not pdf_signing.validate_pdf(data[: len(data) - 40]).ok
    assert pdf_signing.validate_pdf(b"GIF89a not a PDF").problem
