"""Print batches of certificates into one PDF and print the speed, the peak memory and the overhead against WeasyPrint.

Run: .venv/bin/python bench/certificates.py [--sizes 500 5000] [--repeat 1] [--chunk-size 200]
Uses a throw-away SQLite database unless DATABASE_URL is set. Every measurement runs in a fresh child process, so
that its peak memory (ru_maxrss) is its own and WeasyPrint's memory from an earlier batch does not count.
For every size it prints certificates per second (wall clock and CPU), the peak memory, and, up to --bare-max
titles, the ratio of the batch time to a bare WeasyPrint render of the same HTML as one document.
Targets on a 2-core machine: at least 25 certificates/s for 500, below 800 MB for 5,000, a ratio below 1.3.

With --workers it measures instead a print batch on the task queue, as organizers start it: the time from the
start of the job to its finished file with 1 worker process and with 2 (`manage.py worker`), and their ratio.
Target: 2 workers at least 1.8 times as fast as 1 for 2,000 certificates on this 2-core machine.
  .venv/bin/python bench/certificates.py --workers [--sizes 2000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The child processes inherit the parent's throw-away database through the environment.
THROWAWAY_DIR = None if "DJANGO_VAR_DIR" in os.environ else tempfile.mkdtemp(prefix="award315-bench-")
if THROWAWAY_DIR:
    os.environ["DJANGO_VAR_DIR"] = THROWAWAY_DIR

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from awards.models import Application, District, Enterprise, Industry  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.services import validity_end  # noqa: E402
from tests.factories import ProgramFactory, valid_uscc  # noqa: E402

SLUG = "bench-certificates"
DISTRICTS = [("330102", "上城区"), ("330105", "拱墅区"), ("330106", "西湖区"), ("330108", "滨江区")]


def create_titles(count: int) -> None:
    """A programme with `count` granted titles, written with bulk_create: the review flow is not what we measure."""
    program = ProgramFactory(slug=SLUG, serial_prefix="BC")
    districts = [District.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DISTRICTS]
    industry = Industry.objects.get(edition="GB/T 4754-2017", code="F")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            # Names of realistic and varied length, so that some wrap.
            name=f"杭州{'示范' * (i % 7)}商贸第{i}号有限公司",
            uscc=valid_uscc(10_000 + i),
            district=districts[i % len(districts)],
            industry=industry,
            contact_name="李四",
            contact_phone="13800138000",
        )
        for i in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(program=program, enterprise=e, status="granted", enrolled=True) for e in enterprises
    )
    valid_until = validity_end(program.ceremony_date, program.validity_years)
    Certificate.objects.bulk_create(
        Certificate(
            application=a,
            program=program,
            enterprise=a.enterprise,
            enterprise_name=a.enterprise.name,
            enterprise_uscc=a.enterprise.uscc,
            serial=f"BC-{program.year}-{n:05d}",
            sequence=n,
            title=program.official_title,
            valid_from=program.ceremony_date,
            valid_until=valid_until,
            granted_at=timezone.now(),
        )
        for n, a in enumerate(applications, start=1)
    )


def measure(mode: str, size: int, chunk_size: int) -> dict:
    """In the child: render the first `size` titles and report time and peak memory."""
    from awards.models import Program
    from certificates.pdf import certificate_html, render_titles_pdf, titles_for_print
    from certificates.pdf_base import font_config, html_to_pdf

    titles = titles_for_print(Program.objects.get(slug=SLUG))
    html_to_pdf(certificate_html(titles[:1]))  # load the fonts first, as a running worker already has
    with tempfile.TemporaryDirectory() as workdir:
        out = Path(workdir) / "batch.pdf"
        if mode == "batch":
            wall, cpu = time.perf_counter(), time.process_time()
            render_titles_pdf(
                titles[:size].iterator(chunk_size=chunk_size), kind="certificate", target=out, chunk_size=chunk_size
            )
        else:
            import weasyprint

            html = certificate_html(titles[:size])
            wall, cpu = time.perf_counter(), time.process_time()
            weasyprint.HTML(string=html).write_pdf(out, font_config=font_config())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size_bytes = out.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "peak_mb": peak_mb, "bytes": size_bytes}


def run_child(mode: str, size: int, chunk_size: int) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(size), "--chunk-size", str(chunk_size)]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the median is printed")
    parser.add_argument("--chunk-size", type=int, default=200)
    parser.add_argument("--bare-max", type=int, default=1000, help="largest size also rendered as one bare document")
    parser.add_argument("--workers", action="store_true", help="time a batch on the task queue with 1 and 2 workers")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]), args.chunk_size)))
        return
    try:
        compare_workers(args) if args.workers else compare(args)
    finally:
        if THROWAWAY_DIR:
            shutil.rmtree(THROWAWAY_DIR, ignore_errors=True)


def prepare_keys() -> None:
    """The key that signs every certificate's QR code, in the run's own folder, as `bin/serve` makes it."""
    call_command("signing_keys", "ensure", stdout=io.StringIO())


def compare(args: argparse.Namespace) -> None:
    call_command("migrate", verbosity=0)
    prepare_keys()
    create_titles(max(args.sizes))
    print(
        f"database: {connection.vendor}; A4 certificates in one PDF, chunks of {args.chunk_size}; {os.cpu_count()} cores"
    )
    print(f"{'titles':>7}{'cert/s':>9}{'cert/s CPU':>12}{'peak MB':>9}{'KB/cert':>9}{'vs bare':>9}{'vs bare CPU':>13}")
    for size in args.sizes:
        with_bare = size <= args.bare_max
        runs, bare = [], []
        for _ in range(args.repeat):
            # Alternate the two, so that a burst of load from elsewhere on the machine hits both alike.
            runs.append(run_child("batch", size, args.chunk_size))
            if with_bare:
                bare.append(run_child("bare", size, args.chunk_size))
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        line = (
            f"{size:>7}{size / wall:>9.1f}{size / cpu:>12.1f}{max(r['peak_mb'] for r in runs):>9.0f}"
            f"{runs[0]['bytes'] / size / 1024:>9.1f}"
        )
        if with_bare:
            ratio_wall = wall / statistics.median(r["wall"] for r in bare)
            ratio_cpu = cpu / statistics.median(r["cpu"] for r in bare)
            line += f"{ratio_wall:>9.2f}{ratio_cpu:>13.2f}"
        print(line, flush=True)


def batch_on_workers(program, user, workers: int, chunk_size: int) -> tuple[float, int]:
    """Start `workers` worker processes, then time one print job from its start to its finished file."""
    from django.db import transaction

    from certificates.printing import print_job_start
    from jobs.models import Job, JobStatus

    manage = Path(__file__).resolve().parent.parent / "manage.py"
    processes = [
        subprocess.Popen(
            [sys.executable, str(manage), "worker", "--interval", "0.05", "--worker-id", f"bench-{n}"],
            env=os.environ,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    try:
        time.sleep(3)  # let the workers start Django and reach the queue, as running workers have
        started = time.perf_counter()
        with transaction.atomic():
            job = print_job_start(program=program, kind="certificate", user=user, chunk_size=chunk_size)
        while True:
            job.refresh_from_db()
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        if job.status != JobStatus.DONE:
            raise SystemExit(f"the batch failed: {job.error}")
        size = job.file.size
        Job.objects.filter(pk=job.pk).delete()
        return elapsed, size
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def compare_workers(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model

    from awards.models import Program

    sizes = args.sizes if args.sizes != [500, 5000] else [2000]
    call_command("migrate", verbosity=0)
    prepare_keys()
    create_titles(max(sizes))
    program = Program.objects.get(slug=SLUG)
    user = get_user_model().objects.create(username="bench")
    print(
        f"database: {connection.vendor}; a print batch on the task queue, chunks of {args.chunk_size}; {os.cpu_count()} cores"
    )
    print(f"{'titles':>7}{'1 worker s':>12}{'2 workers s':>13}{'ratio':>8}{'KB/cert':>9}")
    for size in sizes:
        Certificate.objects.filter(program=program).exclude(
            pk__in=Certificate.objects.filter(program=program).order_by("serial").values("pk")[:size]
        ).update(status="revoked")
        one, two = [], []
        for _ in range(args.repeat):
            # Alternate the two, so that a burst of load from elsewhere on the machine hits both alike.
            one.append(batch_on_workers(program, user, 1, args.chunk_size))
            two.append(batch_on_workers(program, user, 2, args.chunk_size))
        t1 = statistics.median(t for t, _size in one)
        t2 = statistics.median(t for t, _size in two)
        print(f"{size:>7}{t1:>12.1f}{t2:>13.1f}{t1 / t2:>8.2f}{one[0][1] / size / 1024:>9.1f}", flush=True)


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
