"""Export a programme's published list of 10,000 titles as PDF, xlsx and CSV, and print the time and peak memory.

Run: .venv/bin/python bench/exports.py [--rows 10000] [--formats pdf xlsx csv]
Uses a throw-away SQLite database unless DATABASE_URL is set. The titles are bulk-inserted (no services, no
workflow): the export only reads them. Each format runs in a child process of its own, so that each peak memory
(ru_maxrss) is that format's alone; the time covers the export only, not Django's start-up.
Columns: "peak MB" is the exporting process (ru_maxrss); the PDF renders in this process, chunk after chunk, with
no worker processes; "PSS MB" is the highest PSS of the process (and of any child it might start), sampled ten times
a second: the memory the export really occupied at its peak.
Targets on a 2-core machine: the PDF in under 60 s and 1 GB, xlsx and CSV in under 5 s.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The children inherit the variable, hence the database; only the process that made the folder removes it.
OWN_VAR_DIR = "DJANGO_VAR_DIR" not in os.environ
if OWN_VAR_DIR:  # not setdefault(): its argument would make a folder in every child too
    os.environ["DJANGO_VAR_DIR"] = tempfile.mkdtemp(prefix="award315-bench-exports-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from awards.demo_data import DISTRICTS  # noqa: E402
from awards.models import Application, ApplicationStatus, District, Enterprise, Industry, Program, ReviewResult  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from tests.factories import valid_uscc  # noqa: E402

SLUG = "bench-exports"
NAME_CHARACTERS = "华联百货超市食品药房餐饮电器家居汽车服务鑫源恒泰瑞丰嘉禾金鼎银河天诚信达明远新宏盛兴隆昌和顺安康"
NAME_ENDINGS = ["有限公司", "股份有限公司", "商贸有限公司", "连锁有限公司", "分公司", "经营部"]


def enterprise_name(rng: random.Random, number: int) -> str:
    """Names of realistic and varied lengths, some long enough to wrap in their column."""
    middle = "".join(rng.choices(NAME_CHARACTERS, k=rng.randint(2, 14)))
    return f"杭州{middle}{rng.choice(NAME_ENDINGS)}（第{number}号）"


def populate(rows: int) -> Program:
    """One programme with `rows` granted titles, inserted in bulk."""
    rng = random.Random(315)
    districts = District.objects.bulk_create([District(code=code, name=name) for code, name in DISTRICTS])
    industries = list(Industry.objects.all())
    program = Program.objects.create(
        title="2027年度诚信经营示范单位评选",
        slug=SLUG,
        kind="honest_business",
        year=2027,
        issuing_body="杭州市消费者权益保护委员会",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=30),
        serial_prefix="CX",
    )
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=enterprise_name(rng, n),
                uscc=valid_uscc(n + 1_000_000),
                district=districts[n % len(districts)],
                industry=rng.choice(industries),
                contact_name="张三",
                contact_phone="13800138000",
            )
            for n in range(rows)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                program=program,
                enterprise=enterprise,
                status=ApplicationStatus.GRANTED,
                commitment_accepted=True,
                commitment_accepted_at=now,
                submitted_at=now,
            )
            for enterprise in enterprises
        ],
        batch_size=1000,
    )
    ReviewResult.objects.bulk_create(
        [
            ReviewResult(application=a, final_score=95, tier="A", rule_version="bench", explanation={})
            for a in applications
        ],
        batch_size=1000,
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                application=a,
                program=program,
                enterprise=a.enterprise,
                enterprise_name=a.enterprise.name,
                enterprise_uscc=a.enterprise.uscc,
                serial=f"CX-2027-{n:05d}",
                sequence=n,
                title=program.official_title,
                valid_from=program.ceremony_date,
                valid_until=program.ceremony_date.replace(year=program.year + 3),
            )
            for n, a in enumerate(applications, start=1)
        ],
        batch_size=1000,
    )
    return program


class TreeMemory(threading.Thread):
    """Samples the memory of this process and any children together, ten times a second.

    PSS (proportional set size) splits each page that processes share between them, so the sum is what the export
    really occupies; ru_maxrss of each process would count the shared pages once per process.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.peak_kb = 0

    def run(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(os.getpid())))
            if self.stopped.wait(0.1):
                return


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # the process has just ended
    return 0


def child(fmt: str, out: Path) -> None:
    """Export in this process and report the figures as JSON on the last line of stdout."""
    from certificates.exports import export_list

    program = Program.objects.get(slug=SLUG)
    sampler = TreeMemory()
    sampler.start()
    started = time.perf_counter()
    with out.open("wb") as target:
        rows = export_list(program, fmt=fmt, target=target)
    seconds = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    figures = {
        "rows": rows,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tree_mb": sampler.peak_kb / 1024,
        "size_kb": out.stat().st_size / 1024,
    }
    print(json.dumps(figures))


def run_child(fmt: str, folder: Path) -> dict:
    out = folder / f"list.{fmt}"
    result = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--out", str(out)], capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"{fmt} export failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if fmt == "pdf":
        from pypdf import PdfReader

        figures["pages"] = len(PdfReader(out).pages)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", choices=["pdf", "xlsx", "csv"], default=["pdf", "xlsx", "csv"])
    parser.add_argument("--child", choices=["pdf", "xlsx", "csv"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.out)
        return
    try:
        measure(args.rows, args.formats)
    finally:
        if OWN_VAR_DIR:
            shutil.rmtree(os.environ["DJANGO_VAR_DIR"], ignore_errors=True)


def measure(rows: int, formats: list[str]) -> None:
    call_command("migrate", verbosity=0)
    # A published list PDF is signed by the issuing body (PAdES), as on a site with its certificate installed.
    call_command("pdf_signing_certificate", "--self-signed", "--if-missing", stdout=io.StringIO())
    started = time.perf_counter()
    populate(rows)
    print(f"database: {connection.vendor}; {rows} titles inserted in {time.perf_counter() - started:.1f} s")
    print(
        f"{'format':>7}{'rows':>8}{'seconds':>10}{'peak MB':>10}{'PSS MB':>10}"
        f"{'size KB':>10}{'pages':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="award315-exports-") as folder:
        for fmt in formats:
            f = run_child(fmt, Path(folder))
            print(
                f"{fmt:>7}{f['rows']:>8}{f['seconds']:>10.1f}{f['peak_mb']:>10.0f}{f['tree_mb']:>10.0f}"
                f"{f['size_kb']:>10.0f}{f.get('pages', ''):>7}"
            )


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
