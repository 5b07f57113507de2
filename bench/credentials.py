"""Time the verifiable certificates (credentials/): signed QR codes, Open Badges, status lists, PAdES and the PNG.

Run: .venv/bin/python bench/credentials.py [--titles 10000] [--list-rows 1000]
Uses a throw-away SQLite database unless DATABASE_URL is set, and always a throw-away key ring (an Ed25519 key made
by credentials.keys.rotate and a self-signed PDF certificate by `manage.py pdf_signing_certificate --self-signed`).
The titles are bulk-inserted (names of 7 to 50 characters; 1 % revoked, 0.5 % suspended). It prints:
- the signed QR payload (payload.qr_url) and its verification (payload.verify), µs a title, over every title, once
  as printing calls it (the key ring read from its folder each time) and once with the key given;
- the payload's size in bytes and characters and the QR version (segno, error correction M) for the shortest, the
  median and the longest name;
- an Open Badges 3.0 credential (badges.open_badge) for every title: µs and SQL queries a title, its JSON size;
- each Bitstring Status List (revocation, suspension) over every title: ms, SQL queries, encodedList length;
- PAdES signing of one certificate PDF and of a published list PDF (the first --list-rows titles of the honour
  list), each file validated after; and the PNG of one certificate with its size.
About 2 minutes for 10,000 titles on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
OWN_VAR_DIR = "DJANGO_VAR_DIR" not in os.environ
if OWN_VAR_DIR:
    os.environ["DJANGO_VAR_DIR"] = tempfile.mkdtemp(prefix="award315-bench-credentials-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from awards.models import Application, District, Enterprise, Industry, Program  # noqa: E402
from certificates.models import Certificate, CertificateStatus  # noqa: E402
from certificates.services import validity_end  # noqa: E402
from tests.factories import ProgramFactory, valid_uscc  # noqa: E402

SLUG = "bench-credentials"
DISTRICTS = [("330102", "上城区"), ("330105", "拱墅区"), ("330106", "西湖区"), ("330108", "滨江区")]
NAME_CHARACTERS = "华联百货超市食品药房餐饮电器家居汽车服务鑫源恒泰瑞丰嘉禾金鼎银河天诚信达明远新宏盛兴隆昌和顺安康"
SHORTEST, LONGEST = 7, 50  # "杭州" + at least one character + "有限公司"; the models allow 50


def enterprise_name(rng: random.Random, length: int) -> str:
    return "杭州" + "".join(rng.choices(NAME_CHARACTERS, k=length - 6)) + "有限公司"


def recorded_status(n: int) -> str:
    if n % 100 == 0:
        return CertificateStatus.REVOKED
    if n % 200 == 50:
        return CertificateStatus.SUSPENDED
    return CertificateStatus.VALID


def populate(count: int) -> Program:
    """A programme with `count` titles, inserted in bulk: the first name is the shortest, the second the longest."""
    rng = random.Random(315)
    program = ProgramFactory(slug=SLUG, serial_prefix="CR")
    districts = [District.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DISTRICTS]
    industry = Industry.objects.get(edition="GB/T 4754-2017", code="F")
    lengths = [SHORTEST, LONGEST] + [rng.randint(SHORTEST, LONGEST) for _ in range(count - 2)]
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=enterprise_name(rng, lengths[i]),
                uscc=valid_uscc(20_000 + i),
                district=districts[i % len(districts)],
                industry=industry,
                contact_name="李四",
                contact_phone="13800138000",
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        [Application(program=program, enterprise=e, status="granted", enrolled=True) for e in enterprises],
        batch_size=1000,
    )
    valid_until = validity_end(program.ceremony_date, program.validity_years)
    Certificate.objects.bulk_create(
        [
            Certificate(
                application=a,
                program=program,
                enterprise=a.enterprise,
                enterprise_name=a.enterprise.name,
                enterprise_uscc=a.enterprise.uscc,
                serial=f"CR-{program.year}-{n:05d}",
                sequence=n,
                title=program.official_title,
                valid_from=program.ceremony_date,
                valid_until=valid_until,
                granted_at=timezone.now(),
                status=recorded_status(n),
            )
            for n, a in enumerate(applications, start=1)
        ],
        batch_size=1000,
    )
    return program


def per_title_us(seconds: float, count: int) -> str:
    return f"{seconds / count * 1e6:8.0f} µs/title"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--titles", type=int, default=10_000)
    parser.add_argument("--list-rows", type=int, default=1000, help="rows of the published list PDF that is signed")
    args = parser.parse_args()
    if args.titles < 3:
        parser.error("--titles must be at least 3")
    key_dir = tempfile.mkdtemp(prefix="award315-bench-keys-")
    try:
        with override_settings(SIGNING_KEY_DIR=Path(key_dir)):
            measure(args.titles, args.list_rows)
    finally:
        shutil.rmtree(key_dir, ignore_errors=True)
        if OWN_VAR_DIR:
            shutil.rmtree(os.environ["DJANGO_VAR_DIR"], ignore_errors=True)


def measure(count: int, list_rows: int) -> None:
    from credentials import keys

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    program = populate(count)
    key = keys.rotate()
    call_command("pdf_signing_certificate", self_signed=True, stdout=io.StringIO())
    print(
        f"database: {connection.vendor}; {count} titles inserted in {time.perf_counter() - started:.1f} s; "
        f"Ed25519 key {key.kid}; {os.cpu_count()} cores"
    )
    titles = list(Certificate.objects.select_related("program").order_by("pk"))
    qr_codes(titles, key)
    open_badges(titles)
    status_lists()
    pdfs(program, titles[2], list_rows)


def qr_codes(titles: list[Certificate], key) -> None:
    import segno

    from credentials import payload

    count = len(titles)
    print("\nsigned QR payload, every title:")
    started = time.perf_counter()
    urls = [payload.qr_url(title) for title in titles]
    print(f"  sign   (payload.qr_url, key ring read each time) {per_title_us(time.perf_counter() - started, count)}")
    started = time.perf_counter()
    for title in titles:
        payload.qr_url(title, key=key)
    print(f"  sign   (payload.qr_url, key given)               {per_title_us(time.perf_counter() - started, count)}")
    started = time.perf_counter()
    verdicts = [payload.verify(url) for url in urls]
    print(f"  verify (payload.verify)                          {per_title_us(time.perf_counter() - started, count)}")
    if not all(v.genuine for v in verdicts):
        sys.exit("a payload did not verify")

    print(f"  SITE_URL {payload.verification_base('X').removesuffix('/verify/X/')}; the payload text is base43")
    print(f"  {'name':>8}{'chars':>7}{'payload B':>11}{'payload chars':>15}{'URL chars':>11}{'QR version':>12}")
    by_length = sorted(titles, key=lambda t: (len(t.enterprise_name), t.pk))
    for label, title in (("shortest", by_length[0]), ("median", by_length[count // 2]), ("longest", by_length[-1])):
        text = payload.encode(title, key=key)
        url = payload.qr_url(title, key=key)
        version = segno.make(payload.qr_segments(title, key=key), error="m", boost_error=False).version
        print(
            f"  {label:>8}{len(title.enterprise_name):>7}{len(payload.b43decode(text)):>11}{len(text):>15}"
            f"{len(url):>11}{version:>12}"
        )


def open_badges(titles: list[Certificate]) -> None:
    from credentials import badges

    count = len(titles)
    queries = []  # counted by a wrapper: CaptureQueriesContext keeps only the last 9,000

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        documents = [badges.open_badge(title) for title in titles]
        seconds = time.perf_counter() - started
    sizes = sorted(len(json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode()) for d in documents)
    print(
        f"\nOpen Badges 3.0 credential (badges.open_badge), every title: {per_title_us(seconds, count)}, "
        f"{len(queries) / count:.1f} queries/title, JSON {sizes[len(sizes) // 2]} B median ({sizes[0]}-{sizes[-1]})"
    )


def status_lists() -> None:
    from credentials import status_list

    print("\nBitstring status lists over every title (median of 3 builds):")
    print(f"  {'purpose':>10}{'set':>7}{'ms':>8}{'queries':>9}{'encodedList chars':>19}")
    today = timezone.localdate()
    for purpose, status in status_list.PURPOSES.items():
        runs = []
        for _ in range(3):
            reset_queries()  # CaptureQueriesContext counts nothing once the log holds its 9,000
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                document = status_list.status_list_credential(purpose)
                runs.append((time.perf_counter() - started, len(queries)))
        flagged = Certificate.objects.with_status(status, today).count()
        encoded = document["credentialSubject"]["encodedList"]
        ms = statistics.median(seconds for seconds, _ in runs) * 1000
        print(f"  {purpose:>10}{flagged:>7}{ms:>8.1f}{runs[-1][1]:>9}{len(encoded):>19}")


def pdfs(program: Program, title: Certificate, list_rows: int) -> None:
    from PIL import Image

    from certificates.kinds import ListKind
    from certificates.list_pdf import write_pdf
    from certificates.lists import list_notes
    from certificates.lists import list_rows as rows_of
    from credentials import images, pdf_signing

    print("\nPAdES (pyhanko, B-B, SHA-256, self-signed EC P-256), each file validated after signing:")
    images.certificate_page_pdf(title)  # load the fonts first, as a running server already has
    started = time.perf_counter()
    unsigned = images.certificate_page_pdf(title)
    render = time.perf_counter() - started
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        signed = pdf_signing.sign_pdf(
            unsigned, program=program, reason=pdf_signing.REASON_CERTIFICATE, reason_values={"serial": title.serial}
        )
        runs.append(time.perf_counter() - started)
    valid = pdf_signing.validate_pdf(signed).ok
    print(
        f"  one certificate: render {render * 1000:.0f} ms, sign {statistics.median(runs) * 1000:.0f} ms "
        f"(median of 5), {len(unsigned) / 1024:.0f} KB -> {len(signed) / 1024:.0f} KB, validates: {valid}"
    )

    today = timezone.localdate()
    with tempfile.TemporaryFile() as listing:
        rows = itertools.islice(rows_of(program, ListKind.HONOURS, today), list_rows)
        notes = list_notes(program, ListKind.HONOURS, today)
        started = time.perf_counter()
        written = write_pdf(program, rows, listing, ListKind.HONOURS, None, notes=notes, as_of=today)
        render = time.perf_counter() - started
        size = listing.seek(0, io.SEEK_END)
        started = time.perf_counter()
        pdf_signing.sign_stream(listing, program=program, reason=pdf_signing.REASON_LIST)
        sign = time.perf_counter() - started
        signed_size = listing.seek(0, io.SEEK_END)
        listing.seek(0)
        valid = pdf_signing.validate_pdf(listing).ok
    print(
        f"  list of {written} titles: render {render:.1f} s, sign {sign * 1000:.0f} ms, "
        f"{size / 1024:.0f} KB -> {signed_size / 1024:.0f} KB, validates: {valid}"
    )

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        png = images.certificate_png(title)
        runs.append(time.perf_counter() - started)
    width, height = Image.open(io.BytesIO(png)).size
    print(
        f"\nPNG of one certificate (images.certificate_png, render + rasterize): {statistics.median(runs) * 1000:.0f} ms "
        f"(median of 3), {width}x{height} px, {len(png) / 1024:.0f} KB"
    )


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
